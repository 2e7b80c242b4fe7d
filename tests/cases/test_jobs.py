"""The register's daily job (issue 9, points 3, 4, 5, 6 and 8): reminders at 7, 3 and 1 days
before and on the day to the team, the office and the department; overdue deadlines told to
the leaders, a missed defence flagged; hearings reminded with the head's name; performance not
done in time flagged; a court's suggestion reminded until it is answered. Each once."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cases import jobs, services
from cases.models import (
    CaseHearing,
    CasePerformance,
    FollowUp,
    FollowUpKind,
    Obligation,
    SeriousEvent,
    SeriousKind,
)
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import Notification

D = date


pytestmark = pytest.mark.usefixtures("in_english")


def _told(user, containing: str) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.subject.contains(containing))
    )


def _run(day: date) -> str:
    summary = jobs.run_daily(day)
    db.session.commit()
    return summary


@pytest.mark.parametrize(("day", "reminded"), [(D(2026, 3, 11), 3), (D(2026, 3, 12), 0)])
def test_deadlines_are_reminded_seven_days_before_and_not_six(world, served, day, reminded):
    assert _run(day).startswith(f"deadlines reminded {reminded}, overdue 0")
    assert _told(world.liaison, "due in 7 day(s)") == reminded
    assert _told(world.office, "due in 7 day(s)") == reminded


def test_a_reminder_goes_once_however_often_the_job_runs(world, served):
    for day in (D(2026, 3, 15), D(2026, 3, 15), D(2026, 3, 17), D(2026, 3, 18)):
        _run(day)
    assert _told(world.liaison, "due in 3 day(s)") == 3
    assert _told(world.liaison, "due in 1 day(s)") == 3
    assert _told(world.liaison, "due today") == 3
    assert db.session.scalar(select(func.count()).select_from(SeriousEvent)) == 0


def test_the_day_after_the_leaders_hear_and_a_missed_defence_is_flagged(world, served):
    assert "overdue 3" in _run(D(2026, 3, 19))
    assert _told(world.viewer, "Deadline missed") == 3
    flags = db.session.scalars(select(SeriousEvent)).all()
    assert [f.kind for f in flags] == [SeriousKind.MISSED_DEADLINE]  # the defence only
    _run(D(2026, 3, 20))
    assert _told(world.viewer, "Deadline missed") == 3
    assert db.session.scalar(select(func.count()).select_from(SeriousEvent)) == 1


def test_a_hearing_is_reminded_three_days_before_naming_the_principal_head(world, served):
    world.department.principal_head = "姚军"
    starts = datetime(2026, 3, 24, 9, 30, tzinfo=TIMEZONE)
    db.session.add(CaseHearing(case=served, starts_at=starts, place="第三法庭"))
    db.session.commit()
    assert "hearings reminded 0" in _run(D(2026, 3, 20))
    assert "hearings reminded 1" in _run(D(2026, 3, 21))
    [notice] = db.session.scalars(
        select(Notification).where(
            Notification.user_id == world.liaison.id, Notification.subject.contains("Hearing")
        )
    ).all()
    assert "2026-03-24 09:30" in notice.subject and "姚军" in notice.body


def test_performance_not_done_by_its_day_is_flagged_the_day_after(world, served):
    db.session.add(
        CasePerformance(
            case=served,
            obligation=Obligation.PAY,
            description="支付补偿款",
            amount=Decimal("80000.00"),
            due_on=D(2026, 6, 30),
        )
    )
    db.session.commit()
    assert "flagged 0" in _run(D(2026, 6, 30))
    assert _told(world.liaison, "Judgment to perform due today") == 1
    assert "flagged 1" in _run(D(2026, 7, 1))
    kinds = db.session.scalars(select(SeriousEvent.kind)).all()
    assert kinds.count(SeriousKind.NOT_PERFORMED) == 1


@pytest.mark.parametrize(
    ("day", "reminded"),
    [(D(2026, 5, 1), 1), (D(2026, 5, 2), 0), (D(2026, 5, 8), 1), (D(2026, 5, 7), 0)],
)
def test_a_suggestion_is_reminded_on_its_day_and_every_week_after(world, served, day, reminded):
    db.session.add(
        FollowUp(
            kind=FollowUpKind.JUDICIAL_SUGGESTION,
            case=served,
            issued_by="南宁市青秀区人民法院",
            received_on=D(2026, 4, 1),
            content="建议规范程序",
            department=world.department,
            reply_due_on=D(2026, 5, 1),
        )
    )
    db.session.commit()
    assert f"follow-ups reminded {reminded}" in _run(day)
    assert _told(world.office, "awaits its reply") == reminded
    assert _told(world.liaison, "awaits its reply") == reminded


def test_an_answered_suggestion_is_reminded_no_more(world, served):
    db.session.add(
        FollowUp(
            kind=FollowUpKind.JUDICIAL_SUGGESTION,
            issued_by="南宁市青秀区人民法院",
            received_on=D(2026, 4, 1),
            content="建议规范程序",
            reply_due_on=D(2026, 5, 1),
            replied_on=D(2026, 4, 20),
            reply="已整改",
        )
    )
    db.session.commit()
    assert "follow-ups reminded 0" in _run(D(2026, 5, 1))


def test_a_closed_case_is_reminded_of_nothing(world, served):
    services.close_case(world.office, served, closed_on=D(2026, 3, 10))
    db.session.commit()
    assert _run(D(2026, 3, 11)).startswith("deadlines reminded 0, overdue 0")
