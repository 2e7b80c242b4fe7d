"""Meetings, leave, attendance and dismissal through the services, on a real database."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.errors import DomainError, StaleEdit
from core.extensions import db
from core.i18n import today
from core.models import AuditEvent, Notification, Role
from meetings import services
from meetings.models import (
    LeaveStatus,
    MeetingStatus,
)
from tests.meetings.fixtures import at


def notes_for(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


# --- planning ---------------------------------------------------------------------------


def test_everyone_serving_that_day_is_invited_by_default(plan, serving, appoint):
    later = appoint(start=today() + timedelta(days=30)).adviser
    meeting = plan(today() + timedelta(days=7))
    assert {i.adviser for i in meeting.invitations} == set(serving)
    assert later not in {i.adviser for i in meeting.invitations}


def test_invitees_can_be_chosen(plan, serving):
    meeting = plan(invitee_ids=[serving[0].id])
    assert [i.adviser for i in meeting.invitations] == [serving[0]]
    with pytest.raises(DomainError):
        plan(invitee_ids=[999999])


def test_a_meeting_must_end_after_it_starts(serving):
    day = today() + timedelta(days=3)
    with pytest.raises(DomainError) as error:
        services.plan_meeting(
            None, kind="regular", title="x", starts_at=at(day, 14), ends_at=at(day, 14), place="x"
        )
    assert error.value.field == "ends_at"


def test_invitees_with_accounts_hear_of_plans_moves_and_cancellation(plan, serving, make_user):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    meeting = plan()
    services.update_meeting(
        None,
        meeting,
        version=meeting.version,
        kind="regular",
        title=meeting.title,
        starts_at=meeting.starts_at + timedelta(days=1),
        ends_at=meeting.ends_at + timedelta(days=1),
        place="第二会议室",
        agenda="",
        convened_by="",
    )
    services.cancel_meeting(None, meeting, reason="改期")
    db.session.commit()
    keys = sorted(n.key.split(":")[0] for n in notes_for(account))
    assert keys == ["meeting-cancelled", "meeting-moved", "meeting-planned"]


def test_a_stale_meeting_edit_is_refused(plan, serving):
    meeting = plan()
    opened = meeting.version
    fields = {
        "kind": "regular",
        "title": "新标题",
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": "x",
        "agenda": "",
        "convened_by": "",
    }
    services.update_meeting(None, meeting, version=opened, **fields)
    db.session.commit()
    with pytest.raises(StaleEdit):
        services.update_meeting(None, meeting, version=opened, **fields)


def test_held_or_cancelled_meetings_cannot_change(plan, serving):
    meeting = plan(today() - timedelta(days=1), held=True)
    with pytest.raises(DomainError):
        services.cancel_meeting(None, meeting, reason="x")


def test_a_meeting_is_held_only_once_it_has_started(plan, serving):
    meeting = plan(today() + timedelta(days=2))
    with pytest.raises(DomainError):
        services.hold_meeting(None, meeting)


# --- leave ------------------------------------------------------------------------------


@pytest.fixture
def adviser_account(serving, make_user):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    return account


def test_leave_is_asked_approved_and_becomes_excused(plan, serving, adviser_account, office_user):
    meeting = plan(today() + timedelta(days=5))
    invitation = next(i for i in meeting.invitations if i.adviser == serving[0])
    leave = services.request_leave(adviser_account, invitation, reason="出庭")
    with pytest.raises(DomainError):
        services.request_leave(adviser_account, invitation, reason="again")
    services.decide_leave(office_user, leave, approve=True, answer="同意")
    with pytest.raises(DomainError):
        services.decide_leave(office_user, leave, approve=False)
    db.session.commit()
    assert leave.status == LeaveStatus.APPROVED
    assert any(n.key == f"leave:{leave.id}" for n in notes_for(adviser_account))
    meeting.starts_at = meeting.ends_at = at(today() - timedelta(days=1))
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    services.hold_meeting(office_user, meeting)
    assert invitation.mark == "excused"


def test_leave_for_a_past_meeting_or_someone_else_is_refused(
    plan, serving, adviser_account, make_user
):
    past = plan(today() - timedelta(days=2))
    invitation = next(i for i in past.invitations if i.adviser == serving[0])
    with pytest.raises(DomainError):
        services.request_leave(adviser_account, invitation, reason="晚了")
    coming = plan(today() + timedelta(days=2))
    other = next(i for i in coming.invitations if i.adviser == serving[1])
    with pytest.raises(DomainError):
        services.request_leave(adviser_account, other, reason="代请")


# --- attendance -------------------------------------------------------------------------


def test_attendance_only_for_invitees_of_a_held_meeting(plan, serving):
    planned = plan()
    with pytest.raises(DomainError):
        services.record_attendance(None, planned, {planned.invitations[0].id: ("present", "")})
    held = plan(today() - timedelta(days=1), held=True)
    with pytest.raises(DomainError):
        services.record_attendance(None, held, {planned.invitations[0].id: ("present", "")})
    with pytest.raises(DomainError):
        services.record_attendance(None, held, {held.invitations[0].id: ("late", "")})


def test_excused_after_the_fact_needs_a_reason(plan, serving):
    held = plan(today() - timedelta(days=1), held=True)
    invitation = held.invitations[0]
    with pytest.raises(DomainError) as error:
        services.record_attendance(None, held, {invitation.id: ("excused", " ")})
    assert error.value.field == f"mark-{invitation.id}"
    services.record_attendance(None, held, {invitation.id: ("excused", "突发疾病")})
    assert invitation.excuse_reason == "突发疾病"


def test_corrections_are_audited(plan, serving):
    held = plan(today() - timedelta(days=1), held=True)
    invitation = held.invitations[0]
    services.record_attendance(None, held, {invitation.id: ("absent", "")})
    db.session.commit()
    services.record_attendance(None, held, {invitation.id: ("present", "")})
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "Invitation", AuditEvent.action == "update")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.before["mark"], e.after["mark"]) for e in events][-2:] == [
        (None, "absent"),
        ("absent", "present"),
    ]


def test_the_meeting_jobs_run_once(app, plan, serving, make_user):
    from core.scheduler import run_job

    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    plan(today() + timedelta(days=1))
    assert run_job(app, "remind_meetings", today()) is True
    assert run_job(app, "remind_meetings", today()) is False
    assert run_job(app, "evaluate_dismissal_rule", today()) is True
    reminders = [n for n in notes_for(account) if n.key.startswith("meeting-reminder")]
    assert len(reminders) == 1


def test_cancelled_meetings_are_kept(plan, serving):
    meeting = plan()
    services.cancel_meeting(None, meeting, reason="改期")
    db.session.commit()
    assert meeting.status == MeetingStatus.CANCELLED
    assert db.session.scalar(select(func.count()).select_from(type(meeting))) == 1


def tallies() -> dict[int, tuple[int, int, int]]:
    from meetings.models import AttendanceTally

    rows = list(db.session.scalars(select(AttendanceTally)))
    quarters = {t.adviser_id: (t.present, t.excused, t.absent) for t in rows if t.quarter}
    years = {t.adviser_id: (t.present, t.excused, t.absent) for t in rows if not t.quarter}
    assert quarters == years, "one meeting: its quarter and its year count the same"
    return quarters


def test_the_quarterly_tallies_follow_every_attendance_change(plan, serving):
    meeting = plan(today() - timedelta(days=1), held=True)
    assert tallies() == {a.id: (0, 0, 0) for a in serving}, "invited, nothing recorded yet"
    first, second, third = (next(i for i in meeting.invitations if i.adviser == a) for a in serving)
    services.record_attendance(
        None,
        meeting,
        {first.id: ("present", ""), second.id: ("absent", ""), third.id: ("excused", "病假")},
    )
    assert tallies() == {
        serving[0].id: (1, 0, 0),
        serving[1].id: (0, 0, 1),
        serving[2].id: (0, 1, 0),
    }
    services.record_attendance(None, meeting, {second.id: ("present", "")})
    assert tallies()[serving[1].id] == (1, 0, 0)


def test_topics_are_numbered_one_after_another_and_never_twice(plan):
    """Issue 7, point 30: two clerks adding a topic at once got the same number."""
    from sqlalchemy.exc import IntegrityError

    from meetings.models import MeetingTopic

    meeting = plan(today() + timedelta(days=3))
    first = services.add_topic(None, meeting, title="一", opinion="")
    second = services.add_topic(None, meeting, title="二", opinion="")
    db.session.commit()
    assert (first.position, second.position) == (1, 2)
    db.session.add(MeetingTopic(meeting=meeting, title="重号", position=2))
    with pytest.raises(IntegrityError):  # the database refuses a number used already
        db.session.flush()
    db.session.rollback()
