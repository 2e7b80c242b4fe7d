"""The demo's lawsuits register tells the stories issue 9 asks for: the threshold either side
of ¥500,000.00, hearings with the head's appearance, a judgment being performed, a court's
suggestion awaiting its reply, and a reconsideration across the 2025 National Day holiday."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cases.models import (
    Appearance,
    Case,
    CaseHearing,
    CaseKind,
    FollowUp,
    PerformanceStatus,
    SeriousEvent,
    TeamStatus,
)
from core.extensions import db
from core.i18n import today
from demo.panel import DEMO_PASSWORD, load_demo
from tests.conftest import log_in


def _case(number: str) -> Case:
    return db.session.scalar(select(Case).where(Case.case_number == number))


def test_the_threshold_cases_sit_either_side_of_the_line(app):
    load_demo(today())
    exactly = db.session.scalar(select(Case).where(Case.amount == Decimal("500000.00")))
    below = db.session.scalar(select(Case).where(Case.amount == Decimal("499999.99")))
    assert exactly.active_members and exactly.team_status == TeamStatus.CONFIRMED
    assert not below.active_members
    upcoming = [h for h in exactly.hearings if h.appeared is None]
    assert upcoming and upcoming[0].starts_at.date() > today()


def test_an_administrative_case_has_its_hearings_and_who_appeared(app):
    load_demo(today())
    case = _case("（2026）桂0105行初45号")
    appeared = [h.appeared for h in sorted(case.hearings, key=lambda h: h.starts_at)]
    assert appeared == [Appearance.PRINCIPAL_HEAD, Appearance.DEPUTY_HEAD]
    deputy = case.hearings[-1] if case.hearings[-1].appeared == Appearance.DEPUTY_HEAD else None
    assert deputy is None or deputy.absence_reason
    (event,) = db.session.scalars(select(SeriousEvent))
    assert event.case.department.name == "白鹭镇人民政府" and event.is_open


def test_a_judgment_is_being_performed_and_a_suggestion_awaits_its_reply(app):
    load_demo(today())
    (pending,) = [p for c in db.session.scalars(select(Case)) for p in c.performances]
    assert pending.status == PerformanceStatus.PENDING and pending.due_on > today()
    assert pending.amount == Decimal("286450.00")
    suggestion = db.session.scalar(select(FollowUp))
    assert suggestion.replied_on is None and suggestion.reply_due_on > today()


def test_the_reconsideration_counts_across_national_day(app):
    load_demo(today())
    case = db.session.scalar(
        select(Case).where(Case.kind == CaseKind.RECONSIDERATION, Case.filed_on < date(2026, 1, 1))
    )
    due = {d.rule: d.due_on for d in case.deadlines}
    assert due["reconsideration_acceptance"] > date(2025, 10, 8)
    assert all(d.done_on is not None for d in case.deadlines if d.due_on < today())


def test_the_demo_logins_see_the_register(app, client):
    load_demo(today())
    db.session.commit()
    hearing = db.session.scalar(select(CaseHearing).where(CaseHearing.appeared.is_(None)))
    assert log_in(client, "office", DEMO_PASSWORD).status_code == 302
    page = client.get(f"/cases/{hearing.case_id}").get_data(as_text=True)
    assert "江南区人民法院第三审判庭" in page
    client.post("/logout")
    assert log_in(client, "leader", DEMO_PASSWORD).status_code == 302
    assert "（2026）桂0105民初88号" in client.get("/cases/").get_data(as_text=True)
