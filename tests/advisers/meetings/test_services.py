"""Meetings, leave, attendance and dismissal through the services, on a real database."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from advisers.meetings import evaluation, services
from advisers.meetings.models import (
    CandidateStatus,
    DismissalCandidate,
    LeaveStatus,
    MeetingStatus,
)
from advisers.models import EndReason, Post
from core.errors import DomainError, StaleEdit
from core.extensions import db
from core.i18n import today
from core.models import AuditEvent, Notification, Role
from tests.advisers.meetings.conftest import at


def candidates(status=None):
    stmt = select(DismissalCandidate).order_by(DismissalCandidate.id)
    if status:
        stmt = stmt.where(DismissalCandidate.status == status)
    return list(db.session.scalars(stmt))


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
        select(AuditEvent).where(
            AuditEvent.record_type == "Invitation", AuditEvent.action == "update"
        )
    ).all()
    assert [(e.before["mark"], e.after["mark"]) for e in events][-2:] == [
        (None, "absent"),
        ("absent", "present"),
    ]


# --- the dismissal rule ------------------------------------------------------------------


def test_three_absences_raise_a_candidate_with_evidence(held_series, make_user):
    staff = make_user(Role.OFFICE)
    meetings = held_series("PPPAAA", "PPPPPP", "PAPAPP")
    [candidate] = candidates()
    assert candidate.status == CandidateStatus.OPEN
    assert [r["meeting_id"] for r in candidate.evidence["run"]] == [m.id for m in meetings[3:]]
    assert candidate.rule_version.consecutive_absences == 3
    assert len(notes_for(staff)) == 1


def test_the_nightly_evaluation_is_idempotent(held_series, make_user, app):
    staff = make_user(Role.OFFICE)
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    for _ in range(2):
        evaluation.evaluate_advisers(None, today())
        db.session.commit()
    assert len(candidates()) == 1 and len(notes_for(staff)) == 1


def test_a_waiver_holds_until_new_absences(held_series, plan, serving, office_user):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [candidate] = candidates()
    services.waive_candidate(office_user, candidate, reason="住院")
    evaluation.evaluate_advisers(None, today())
    assert candidates(CandidateStatus.OPEN) == []
    meeting = plan(today() - timedelta(days=1), held=True)
    invitation = next(i for i in meeting.invitations if i.adviser == serving[0])
    services.record_attendance(None, meeting, {invitation.id: ("absent", "")})
    assert len(candidates(CandidateStatus.OPEN)) == 1


def test_a_corrected_mark_lapses_the_open_candidate(held_series, serving):
    meetings = held_series("PPPAAA", "PPPPPP", "PPPPPP")
    last = next(i for i in meetings[-1].invitations if i.adviser == serving[0])
    services.record_attendance(None, meetings[-1], {last.id: ("excused", "补交请假条")})
    assert [c.status for c in candidates()] == [CandidateStatus.LAPSED]


def test_a_cancelled_meeting_counts_for_nobody(plan, serving, held_series):
    held_series("PPPPAA", "PPPPPP", "PPPPPP")
    cancelled = plan(today() + timedelta(days=1))
    services.cancel_meeting(None, cancelled, reason="取消")
    evaluation.evaluate_advisers(None, today())
    assert candidates() == []


def test_an_adviser_appointed_mid_window_is_judged_after_appointment(plan, appoint, held_series):
    held_series("PPPPPP", "PPPPPP", "PPPPPP")
    newcomer = appoint(post=Post.MEMBER, start=today() - timedelta(days=3)).adviser
    meeting = plan(today() - timedelta(days=1), held=True)
    mine = next(i for i in meeting.invitations if i.adviser == newcomer)
    services.record_attendance(None, meeting, {mine.id: ("absent", "")})
    assert candidates() == []  # one absence since appointment: neither rule applies


def test_dismissal_ends_the_term_with_reason_and_evidence(
    held_series, serving, office_user, make_user
):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [candidate] = candidates()
    with pytest.raises(DomainError):
        services.dismiss_candidate(office_user, candidate, reason="  ")
    term = services.dismiss_candidate(office_user, candidate, reason="长期不参加会议")
    db.session.commit()
    assert term.end_reason == EndReason.DISMISSED
    assert term.ended_on == today() - timedelta(days=1)  # no longer serving today
    assert (
        "长期不参加会议" in term.end_note and "缺席" in term.end_note
    ) or "Absent" in term.end_note
    assert candidate.status == CandidateStatus.DISMISSED
    assert any(n.key == f"dismissed:{candidate.id}" for n in notes_for(account))
    with pytest.raises(DomainError):
        services.waive_candidate(office_user, candidate, reason="x")


def test_rule_changes_are_versioned_and_used(held_series, make_user):
    admin = make_user(Role.ADMIN)
    first = evaluation.current_rule_version()
    second = services.change_dismissal_rule(
        admin, consecutive_absences="2", min_rate="50", window_months="12", min_meetings="4"
    )
    assert second.id > first.id and second.created_by_id == admin.id
    held_series("PPPPAA", "PPPPPP", "PPPPPP")
    [candidate] = candidates()
    assert candidate.rule_version_id == second.id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("consecutive_absences", "three"),
        ("consecutive_absences", "0"),
        ("min_rate", "abc"),
        ("min_rate", "101"),
        ("min_rate", "NaN"),
        ("window_months", "-1"),
        ("min_meetings", ""),
    ],
)
def test_bad_rule_values_are_refused(make_user, field, value):
    values = {
        "consecutive_absences": "3",
        "min_rate": "50",
        "window_months": "12",
        "min_meetings": "4",
    }
    values[field] = value
    with pytest.raises(DomainError) as error:
        services.change_dismissal_rule(make_user(Role.ADMIN), **values)
    assert error.value.field == field


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
