"""Serious events (issue 9, point 5) and what the calendar changes: a defence done late raises
the flag once and tells the leaders; an appeal done late raises none; the office closes a flag
with an explanation, and a closed flag stays closed; entering next year's holidays recounts the
deadlines counted without them; the calendar feed carries deadlines and hearings."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from cases import deadlines, serious, services
from cases.ical import case_events
from cases.models import CaseHearing, SeriousEvent, SeriousKind, StageKind
from core.errors import DomainError
from core.extensions import db
from core.models import Notification, Role, utcnow
from core.workdays.services import enter_holiday_year

D = date


pytestmark = pytest.mark.usefixtures("in_english")


def _deadline(case, rule):
    db.session.refresh(case)
    return next(d for d in case.deadlines if d.rule == rule)


def _flags(case):
    return db.session.scalars(select(SeriousEvent).where(SeriousEvent.case_id == case.id)).all()


def test_a_defence_filed_the_day_after_its_deadline_raises_the_flag_once(world, served):
    leader = world.viewer
    defence = _deadline(served, "admin_defence")
    assert defence.due_on == D(2026, 3, 18)
    deadlines.record_done(world.office, defence, done_on=D(2026, 3, 19), proof="法院签收")
    db.session.commit()
    [flag] = _flags(served)
    assert flag.kind is SeriousKind.MISSED_DEADLINE and flag.is_open
    assert flag.source == f"deadline:{defence.id}"
    told = db.session.scalars(select(Notification).where(Notification.user_id == leader.id)).all()
    assert [n.subject for n in told] == [
        f"Serious event: {SeriousKind.MISSED_DEADLINE.label}, {served.reference}"
    ]
    assert serious.raise_event(served, SeriousKind.MISSED_DEADLINE, defence) is flag
    assert len(_flags(served)) == 1


def test_a_defence_done_on_its_last_day_or_an_appeal_done_late_raises_nothing(world, served):
    defence = _deadline(served, "admin_defence")
    deadlines.record_done(world.office, defence, done_on=D(2026, 3, 18), proof="法院签收")
    objection = _deadline(served, "admin_jurisdiction")
    deadlines.record_done(world.office, objection, done_on=D(2026, 3, 20), proof="邮寄")
    db.session.commit()
    assert _flags(served) == []


def test_the_office_closes_a_flag_with_an_explanation_once(world, served):
    defence = _deadline(served, "admin_defence")
    flag = serious.raise_event(served, SeriousKind.MISSED_DEADLINE, defence)
    with pytest.raises(DomainError) as refused:
        serious.close_event(world.office, flag, explanation="迟交")
    assert refused.value.field == "explanation"
    serious.close_event(
        world.office, flag, explanation="承办人休假未交接，已追责并建立双人盯办制度。"
    )
    db.session.commit()
    assert not flag.is_open and flag.closed_by == world.office
    with pytest.raises(DomainError, match="closed already"):
        serious.close_event(world.office, flag, explanation="再次关闭的说明文字")
    assert serious.raise_event(served, SeriousKind.MISSED_DEADLINE, defence) is flag
    assert not flag.is_open


LINES_2027 = """\
元旦 2027-01-01 2027-01-03
春节 2027-02-06 2027-02-13 调休 2027-02-14 2027-02-20
国庆节 2027-10-01 2027-10-07 调休 2027-09-26 2027-10-09
"""


def test_entering_next_years_holidays_recounts_the_provisional_deadlines(
    world, register_case, make_user
):
    """Retrial: 6 months from 6 August 2026 ends on Saturday 6 February 2027. Without 2027's
    notice that rolls to Monday the 8th, provisionally; in it, the 6th to the 13th are Spring
    Festival and Sunday the 14th is worked, so the period ends on the 14th."""
    case = register_case(amount=Decimal("10000.00"), filed_on=D(2026, 3, 2))
    services.add_stage(
        world.office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        judgment_on=D(2026, 7, 20),
        effective_on=D(2026, 8, 6),
    )
    db.session.commit()
    retrial = _deadline(case, "retrial")
    assert (retrial.due_on, retrial.is_provisional) == (D(2027, 2, 8), True)
    enter_holiday_year(
        make_user(Role.ADMIN, username="keeper"), 2027, text=LINES_2027, notice="通知"
    )
    db.session.commit()
    retrial = _deadline(case, "retrial")
    assert (retrial.due_on, retrial.is_provisional) == (D(2027, 2, 14), False)
    assert retrial.why == "rolled_forward"  # the roll lands on a make-up working Sunday


def test_the_calendar_feed_carries_open_deadlines_and_hearings_the_user_may_see(world, served):
    db.session.add(
        CaseHearing(case=served, starts_at=utcnow() + timedelta(days=5), place="第三法庭")
    )
    db.session.commit()
    events = case_events(world.office, "counsel.test", "20261128T000000Z")
    summaries = [line for event in events for line in event if line.startswith("SUMMARY:")]
    uids = [line for event in events for line in event if line.startswith("UID:")]
    assert sum(uid.startswith("UID:case-deadline-") for uid in uids) == 3
    assert sum(uid.startswith("UID:case-hearing-") for uid in uids) == 1
    assert any("Hearing" in s and served.reference in s for s in summaries)
    assert case_events(world.other_liaison, "counsel.test", "20261128T000000Z") == []


def test_the_department_and_the_office_hear_of_each_deadline_the_moment_it_is_counted(
    world, served
):
    subjects = db.session.scalars(
        select(Notification.subject).where(Notification.user_id == world.liaison.id)
    ).all()
    assert len(subjects) == len(served.deadlines) == 3  # in the liaison's language
    assert all("2026-03-18" in s and served.reference in s for s in subjects)
    assert db.session.scalar(select(Notification.id).where(Notification.user_id == world.office.id))
