"""The dashboard's lawsuits card (issue 9, point 3): this week's and overdue deadlines, open
serious events, hearings in the next 14 days and follow-ups awaiting a reply, each list scoped
to the cases the reader may see, at its day boundaries, in a bounded number of queries."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from cases import serious, services
from cases.models import (
    CaseDeadline,
    CaseHearing,
    CaseMember,
    FollowUp,
    FollowUpKind,
    MemberSource,
    SeriousKind,
)
from core.extensions import db
from core.i18n import TIMEZONE, today
from reports.cases import CARD_ITEMS, lawsuits_card
from tests.conftest import assert_constant_queries, count_queries


def text(response) -> str:
    return response.get_data(as_text=True)


def _deadline(case, due_on: date, rule: str = "admin_defence", done_on=None) -> CaseDeadline:
    deadline = CaseDeadline(
        case=case,
        rule=rule,
        party="government",
        starts_on=due_on - timedelta(days=15),
        due_on=due_on,
        done_on=done_on,
    )
    db.session.add(deadline)
    db.session.commit()
    return deadline


def _hearing(case, day: date, hour: int = 9) -> CaseHearing:
    hearing = CaseHearing(
        case=case, starts_at=datetime.combine(day, time(hour), TIMEZONE), place="第二法庭"
    )
    db.session.add(hearing)
    db.session.commit()
    return hearing


def _follow_up(department, reply_due_on: date, replied_on: date | None = None) -> FollowUp:
    item = FollowUp(
        kind=FollowUpKind.JUDICIAL_SUGGESTION,
        issued_by="南宁市青秀区人民法院",
        received_on=today() - timedelta(days=30),
        content="建议规范执法程序",
        department=department,
        reply_due_on=reply_due_on,
        replied_on=replied_on,
    )
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def cases(world, register_case):
    """An open case of 区住建局, one of 区教育局, and a closed case of 区住建局; below the
    threshold, so no lawyer team is formed."""
    filed, small = today() - timedelta(days=60), Decimal("10000.00")
    mine = register_case(filed_on=filed, cause="房屋征收补偿决定", amount=small)
    theirs = register_case(
        filed_on=filed, cause="学校用地划拨", department=world.other_department, amount=small
    )
    closed = register_case(filed_on=filed, cause="已结案件", amount=small)
    services.close_case(world.office, closed)
    db.session.commit()
    return mine, theirs, closed


def _card(user):
    return lawsuits_card(user, today(), True)


def test_this_weeks_deadlines_run_from_today_to_six_days_on(world, cases):
    mine, _theirs, _closed = cases
    day = today()
    for days in (0, 6, 7):
        _deadline(mine, day + timedelta(days=days))
    card = _card(world.office)
    assert [item.deadline.due_on for item in card.this_week.items] == [
        day,
        day + timedelta(days=6),
    ]
    assert card.overdue.total == 0


def test_an_open_deadline_due_yesterday_is_overdue_and_a_done_one_is_not_listed(world, cases):
    mine, _theirs, closed = cases
    day = today()
    _deadline(mine, day - timedelta(days=1))
    _deadline(mine, day - timedelta(days=2), done_on=day - timedelta(days=3))
    _deadline(closed, day - timedelta(days=1))  # a closed case's: not on the card
    card = _card(world.office)
    assert [item.deadline.due_on for item in card.overdue.items] == [day - timedelta(days=1)]
    assert card.overdue.items[0].reference == mine.reference
    assert card.this_week.total == 0


def test_the_lists_show_a_few_and_count_the_rest(world, cases):
    mine, _theirs, _closed = cases
    for n in range(CARD_ITEMS + 3):
        _deadline(mine, today() - timedelta(days=1 + n))
    card = _card(world.office)
    assert len(card.overdue.items) == CARD_ITEMS and card.overdue.more == 3
    assert card.overdue.items[0].deadline.due_on == today() - timedelta(days=CARD_ITEMS + 3)


def test_the_card_shows_the_case_the_rule_the_day_and_who_must_act(world, cases, client, login):
    mine, _theirs, _closed = cases
    _deadline(mine, today() - timedelta(days=2))
    _deadline(mine, today() + timedelta(days=3), rule="admin_jurisdiction")
    login(world.office)
    page = text(client.get("/dashboard"))
    assert 'data-testid="lawsuits-card"' in page
    overdue = page[page.index('data-testid="lawsuits-overdue"') :]
    overdue = overdue[: overdue.index("</div>\n")]
    assert f"/cases/{mine.id}" in overdue and "link-danger" in overdue
    assert mine.reference in overdue and "房屋征收补偿决定" in overdue
    assert "text-bg-danger" in overdue  # the days overdue, in red
    week = page[page.index('data-testid="lawsuits-this-week"') :]
    assert (today() + timedelta(days=3)).isoformat() in week


def test_a_liaison_sees_only_their_departments_deadlines(world, cases, client, login):
    mine, theirs, _closed = cases
    _deadline(mine, today() + timedelta(days=1))
    _deadline(theirs, today() + timedelta(days=2))
    _deadline(theirs, today() - timedelta(days=2))
    card = _card(world.liaison)
    assert [item.reference for item in card.this_week.items] == [mine.reference]
    assert card.overdue.total == 0
    login(world.liaison)
    page = text(client.get("/dashboard"))
    assert mine.reference in page and theirs.reference not in page
    client.post("/logout")
    login(world.viewer)  # the leaders see every department's
    page = text(client.get("/dashboard"))
    assert mine.reference in page and theirs.reference in page


def test_an_adviser_sees_the_deadlines_of_their_teams_cases(world, cases):
    mine, theirs, _closed = cases
    adviser = world.advisers[0]
    db.session.add(
        CaseMember(
            case=mine,
            adviser=adviser,
            category=adviser.category,
            reason="测试",
            source=MemberSource.MANUAL,
        )
    )
    _deadline(mine, today() + timedelta(days=1))
    _deadline(theirs, today() + timedelta(days=1))
    card = _card(world.adviser_users[0])
    assert [item.reference for item in card.this_week.items] == [mine.reference]


def test_open_serious_events_show_in_red_and_closed_ones_do_not(world, cases, client, login):
    mine, theirs, _closed = cases
    raised = serious.raise_event(mine, SeriousKind.MISSED_DEADLINE, _deadline(mine, today()))
    other = serious.raise_event(theirs, SeriousKind.NO_APPEARANCE, _hearing(theirs, today()))
    shut = serious.raise_event(mine, SeriousKind.NOT_PERFORMED, _deadline(mine, today(), "x"))
    serious.close_event(world.office, shut, explanation="已履行完毕，补交凭证")
    db.session.commit()
    card = _card(world.office)
    assert [(e.kind, e.reference) for e in card.events.items] == [
        (raised.kind, mine.reference),
        (other.kind, theirs.reference),
    ]
    assert [e.reference for e in _card(world.liaison).events.items] == [mine.reference]
    login(world.viewer)
    page = text(client.get("/dashboard"))
    alert = page[page.index('data-testid="lawsuits-serious-events"') :]
    alert = alert[: alert.index("</div>")]
    assert "alert-danger" in page[page.index("lawsuits-serious-events") - 80 :][:120]
    assert SeriousKind.MISSED_DEADLINE.label in alert and theirs.reference in alert
    assert SeriousKind.NOT_PERFORMED.label not in alert
    assert f"/cases/{mine.id}" in alert


def test_no_open_serious_event_no_alert(world, cases, client, login):
    login(world.office)
    assert "lawsuits-serious-events" not in text(client.get("/dashboard"))


def test_hearings_in_the_next_14_days_by_the_local_date(world, cases):
    mine, theirs, closed = cases
    day = today()
    _hearing(mine, day + timedelta(days=13), hour=23)  # the 14th day, late in the evening
    _hearing(mine, day + timedelta(days=14), hour=0)  # the 15th, just after midnight
    _hearing(theirs, day, hour=8)
    _hearing(closed, day + timedelta(days=1))
    card = _card(world.office)
    assert [h.reference for h in card.hearings.items] == [theirs.reference, mine.reference]
    assert card.hearings.items[0].place == "第二法庭"
    assert [h.reference for h in _card(world.liaison).hearings.items] == [mine.reference]


def test_follow_ups_awaiting_a_reply_and_those_overdue(world, cases, client, login):
    day = today()
    _follow_up(world.department, day + timedelta(days=5))
    _follow_up(world.department, day - timedelta(days=1))  # overdue
    _follow_up(world.department, day)  # due today: not overdue
    _follow_up(world.department, day - timedelta(days=9), replied_on=day - timedelta(days=10))
    _follow_up(world.other_department, day - timedelta(days=3))
    counts = _card(world.office).follow_ups
    assert (counts.awaiting, counts.overdue) == (4, 2)
    liaison = _card(world.liaison).follow_ups
    assert (liaison.awaiting, liaison.overdue) == (3, 1)
    login(world.office)
    page = text(client.get("/dashboard"))
    assert 'data-testid="follow-ups-overdue">2<' in page.replace(' text-danger"', '"')
    assert "/cases/follow-ups?status=overdue" in page and "/cases/follow-ups?status=open" in page


def test_a_user_who_may_not_read_follow_ups_gets_no_count(world, cases):
    adviser = world.adviser_users[0]
    assert lawsuits_card(adviser, today(), False).follow_ups is None


def test_the_card_runs_as_many_queries_for_many_cases_as_for_a_few(
    world, cases, register_case, client, login
):
    mine, theirs, _closed = cases
    login(world.office)

    def grow(case, n):
        for i in range(n):
            _deadline(case, today() + timedelta(days=i % 10 - 4))
            hearing = _hearing(case, today() + timedelta(days=i % 14))
            if i % 3 == 0:
                serious.raise_event(case, SeriousKind.NO_APPEARANCE, hearing)
            _follow_up(case.department, today() + timedelta(days=i % 7 - 3))
        db.session.commit()

    grow(mine, 2)
    client.get("/dashboard")
    with count_queries() as small:
        assert client.get("/dashboard").status_code == 200
    grow(mine, 20)
    grow(theirs, 20)
    for _ in range(3):
        grow(register_case(filed_on=today() - timedelta(days=30), amount=None), 5)
    with count_queries() as large:
        assert client.get("/dashboard").status_code == 200
    assert_constant_queries(small[0], large[0], "/dashboard")


def test_the_card_is_three_queries_and_four_with_the_follow_ups(world, cases):
    lawsuits_card(world.office, today(), False)  # the user's roles load once
    with count_queries() as without:
        lawsuits_card(world.office, today(), False)
    with count_queries() as with_follow_ups:
        lawsuits_card(world.office, today(), True)
    assert (without[0], with_follow_ups[0]) == (3, 4)
