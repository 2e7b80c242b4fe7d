"""Every write about meetings: planning, moving, cancelling, holding, leave and attendance.

Services take the actor, check the policy, flush, never commit, and raise DomainError. When
attendance changes they send `attendance_changed`, and the packages above react.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from advisers.models import Adviser
from advisers.queries import accounts_of, advisers_serving_on
from core import voiding
from core.errors import DomainError
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import Role, User, utcnow
from core.notify import notify, path_for, users_with_roles
from core.policy import service
from core.services import check_version
from meetings import tallies
from meetings.models import (
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingTopic,
)
from meetings.policy import MANAGE, REQUEST_LEAVE
from meetings.rules import Mark
from meetings.signals import attendance_changed

# --- notifications -----------------------------------------------------------------


def _when(meeting: Meeting) -> str:
    return meeting.starts_at.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")


def _tell_invitees(meeting: Meeting, event: str, advisers=None) -> None:
    advisers = advisers if advisers is not None else [i.adviser for i in meeting.invitations]
    subjects = {
        "planned": lambda: _("Meeting invitation: %(title)s", title=meeting.title),
        "moved": lambda: _("Meeting moved: %(title)s", title=meeting.title),
        "cancelled": lambda: _("Meeting cancelled: %(title)s", title=meeting.title),
        "voided": lambda: _("Meeting withdrawn: %(title)s", title=meeting.title),
        "reminder": lambda: _("Tomorrow: %(title)s", title=meeting.title),
    }

    def render():
        body = _("%(when)s, %(place)s", when=_when(meeting), place=meeting.place)
        if event == "cancelled" and meeting.cancel_reason:
            body += "\n" + meeting.cancel_reason
        return subjects[event](), body

    # a reminder is due once per meeting time; other news once per saved version
    stamp = meeting.starts_at.isoformat() if event == "reminder" else meeting.version
    link = path_for("meetings.meeting", meeting_id=meeting.id)
    notify(accounts_of(advisers), render, link=link, key=f"meeting-{event}:{meeting.id}:{stamp}")


# --- planning ------------------------------------------------------------------------


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")


def _set_invitees(meeting: Meeting, adviser_ids: Iterable[int] | None) -> list[Adviser]:
    """Invite exactly these advisers (default: everyone serving that day); return the new ones."""
    current = {i.adviser_id: i for i in meeting.invitations}
    if adviser_ids is None:
        wanted = {a.id: a for a in advisers_serving_on(meeting.day)}
    else:
        ids = set(adviser_ids)
        wanted = {a.id: a for a in db.session.scalars(select(Adviser).where(Adviser.id.in_(ids)))}
        if len(wanted) != len(ids):
            raise DomainError(_("Choose invitees from the list."), field="invitees")
        # chosen by hand: each must serve that day (the default list serves by construction)
        _check_serving(meeting, [a for i, a in wanted.items() if not _has_history(current, i)])
    for adviser_id, invitation in current.items():
        if adviser_id not in wanted:
            if invitation.leave_requests or invitation.mark:
                raise DomainError(
                    _(
                        "%(name)s has asked for leave or has a mark; keep them invited.",
                        name=invitation.adviser.name,
                    ),
                    field="invitees",
                )
            meeting.invitations.remove(invitation)
            db.session.delete(invitation)
    added = [a for a_id, a in wanted.items() if a_id not in current]
    for adviser in added:
        meeting.invitations.append(Invitation(adviser=adviser))
    return added


def _has_history(current: dict[int, Invitation], adviser_id: int) -> bool:
    """An invitee who asked for leave or has a mark stays, whatever the date."""
    invitation = current.get(adviser_id)
    return invitation is not None and bool(invitation.leave_requests or invitation.mark)


def _check_serving(meeting: Meeting, invitees: list[Adviser]) -> None:
    """Only advisers serving on the meeting's day can be invited to it."""
    serving = {a.id for a in advisers_serving_on(meeting.day)}
    outside = sorted(a.name for a in invitees if a.id not in serving)
    if outside:
        raise DomainError(
            _(
                "%(names)s do not serve on %(day)s: untick them, or choose a day within "
                "their terms.",
                names="、".join(outside),
                day=meeting.day.isoformat(),
            ),
            field="invitees",
        )


@service(MANAGE)
def plan_meeting(
    actor: User | None,
    *,
    kind: MeetingKind,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    agenda: str = "",
    convened_by: str = "",
    invitee_ids: Iterable[int] | None = None,
) -> Meeting:
    """Plan a meeting, invite the advisers serving that day (or those chosen), tell them."""
    _check_times(starts_at, ends_at)
    meeting = Meeting(
        kind=MeetingKind(kind),
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=agenda,
        convened_by=convened_by,
    )
    db.session.add(meeting)
    _set_invitees(meeting, invitee_ids)
    tallies.recount_meeting(meeting)
    if meeting.starts_at > utcnow():
        _tell_invitees(meeting, "planned")
    return meeting


def _require_planned(meeting: Meeting) -> None:
    if not meeting.is_planned:
        raise DomainError(
            _(
                "This meeting is %(status)s; it can no longer be changed.",
                status=meeting.status.label,
            )
        )


@service(MANAGE)
def update_meeting(
    actor: User | None, meeting: Meeting, *, version=None, invitee_ids=None, **fields
) -> Meeting:
    """Change a planned meeting; invitees hear when it moves, new invitees are invited."""
    _require_planned(meeting)
    check_version(meeting, version)
    _check_times(fields["starts_at"], fields["ends_at"])
    moved = (fields["starts_at"], fields["ends_at"], fields["place"]) != (
        meeting.starts_at,
        meeting.ends_at,
        meeting.place,
    )
    for name, value in fields.items():
        setattr(meeting, name, value)
    added = _set_invitees(
        meeting,
        invitee_ids if invitee_ids is not None else [i.adviser_id for i in meeting.invitations],
    )
    tallies.recount_meeting(meeting)
    if meeting.starts_at > utcnow():
        if moved:
            _tell_invitees(
                meeting, "moved", [i.adviser for i in meeting.invitations if i.adviser not in added]
            )
        if added:
            _tell_invitees(meeting, "planned", added)
    return meeting


@service(MANAGE)
def cancel_meeting(actor: User | None, meeting: Meeting, *, reason: str) -> Meeting:
    """Cancel a planned meeting; it counts for nobody's attendance."""
    _require_planned(meeting)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    db.session.flush()
    _tell_invitees(meeting, "cancelled")
    return meeting


@service(MANAGE)
def hold_meeting(actor: User | None, meeting: Meeting, *, minutes: str = "") -> Meeting:
    """Record that a planned meeting took place; attendance can then be recorded."""
    _require_planned(meeting)
    if meeting.starts_at > utcnow():
        raise DomainError(_("A meeting can be marked as held only once it has started."))
    meeting.status = MeetingStatus.HELD
    meeting.minutes = minutes
    for invitation in meeting.invitations:
        if invitation.approved_leave and invitation.mark is None:
            invitation.mark = Mark.EXCUSED
            invitation.recorded_at = utcnow()
    tallies.recount_meeting(meeting)
    invitees = [i.adviser_id for i in meeting.invitations]
    tallies.recount(invitees, meeting.day)
    attendance_changed.send(meeting, adviser_ids=invitees, day=today())
    return meeting


@service(MANAGE)
def save_minutes(actor: User | None, meeting: Meeting, *, minutes: str, version) -> Meeting:
    if not meeting.is_held:
        raise DomainError(_("Minutes are kept for held meetings."))
    check_version(meeting, version)
    meeting.minutes = minutes
    db.session.flush()
    return meeting


@service(MANAGE)
def add_topic(actor: User | None, meeting: Meeting, *, title: str, opinion: str) -> MeetingTopic:
    """Add a topic discussed at the meeting, with the panel's opinion on it."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("A cancelled meeting has no topics."))
    topic = MeetingTopic(
        meeting=meeting, title=title, opinion=opinion, position=_next_topic_number(meeting)
    )
    db.session.add(topic)
    db.session.flush()
    return topic


def _next_topic_number(meeting: Meeting) -> int:
    """Claim the meeting's next topic number: the UPDATE takes the row's write lock, so two
    clerks adding a topic at the same moment get 1 and 2, never 1 twice."""
    return db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(topic_count=Meeting.topic_count + 1)
        .returning(Meeting.topic_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()


# --- leave ---------------------------------------------------------------------------


@service(REQUEST_LEAVE)
def request_leave(user: User, invitation: Invitation, *, reason: str) -> LeaveRequest:
    """An adviser asks for leave (请假) from a coming meeting they are invited to."""
    meeting = invitation.meeting
    if not meeting.is_planned or meeting.starts_at <= utcnow():
        raise DomainError(_("Leave can be asked for only before a planned meeting starts."))
    if invitation.open_leave is not None:
        raise DomainError(_("You have asked for leave from this meeting already."))
    leave = LeaveRequest(invitation=invitation, reason=reason)
    db.session.add(leave)
    db.session.flush()
    _tell_office_of_leave(leave)
    return leave


def _tell_office_of_leave(leave: LeaveRequest) -> None:
    invitation = leave.invitation
    meeting = invitation.meeting

    def render():
        return (
            _("Leave requested: %(name)s", name=invitation.adviser.name),
            _("%(title)s, %(when)s", title=meeting.title, when=_when(meeting))
            + f"\n{leave.reason}",
        )

    notify(
        users_with_roles(Role.OFFICE),
        render,
        link=path_for("meetings.decide_leave", leave_id=leave.id),
        key=f"leave-requested:{leave.id}",
    )


@service(MANAGE)
def decide_leave(actor: User, leave: LeaveRequest, *, approve: bool, answer: str = "") -> None:
    """Office staff approve or refuse a leave request; the adviser is told."""
    if leave.status != LeaveStatus.PENDING:
        raise DomainError(_("This request has been answered already."))
    leave.status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    leave.decided_at, leave.decided_by_id, leave.answer = utcnow(), actor.id, answer or None
    db.session.flush()
    meeting = leave.invitation.meeting
    if approve and meeting.is_held:
        _excuse_after_the_meeting(leave.invitation)

    def render():
        return leave.status.label, _(
            "%(title)s, %(when)s", title=meeting.title, when=_when(meeting)
        ) + (f"\n{answer}" if answer else "")

    notify(
        accounts_of([leave.invitation.adviser]),
        render,
        link=path_for("meetings.my_meetings"),
        key=f"leave:{leave.id}",
    )


def _excuse_after_the_meeting(invitation: Invitation) -> None:
    """Leave approved once the meeting was held: an absence (or no mark yet) becomes excused,
    and the attendance counts and the dismissal rule follow."""
    if invitation.mark not in (None, Mark.ABSENT):
        return  # they came after all: present stands
    meeting = invitation.meeting
    invitation.mark = Mark.EXCUSED
    invitation.recorded_at = utcnow()
    tallies.recount_meeting(meeting)
    tallies.recount([invitation.adviser_id], meeting.day)
    attendance_changed.send(meeting, adviser_ids=[invitation.adviser_id], day=today())


# --- attendance ----------------------------------------------------------------------


@service(MANAGE)
def record_attendance(
    actor: User | None, meeting: Meeting, marks: dict[int, tuple[str, str]]
) -> list[Invitation]:
    """Record invitees as present, excused or absent: {invitation_id: (mark, reason)}.

    Errors name the invitation they belong to, in DomainError.field as "mark-<id>".
    """
    if not meeting.is_held:
        raise DomainError(_("Attendance is recorded only for a held meeting."))
    invitations = {i.id: i for i in meeting.invitations}
    changed = []
    for invitation_id, (mark, reason) in marks.items():
        invitation = invitations.get(invitation_id)
        if invitation is None:
            raise DomainError(_("Only the meeting's invitees can be recorded."))
        if mark not in {m.value for m in Mark}:
            raise DomainError(
                _("Choose present, excused or absent."), field=f"mark-{invitation_id}"
            )
        reason = (reason or "").strip()
        if mark == Mark.EXCUSED and not reason and invitation.approved_leave is None:
            raise DomainError(
                _("Without approved leave, say why the absence is excused."),
                field=f"mark-{invitation_id}",
            )
        if (invitation.mark, invitation.excuse_reason or "") != (mark, reason):
            invitation.mark = mark
            invitation.excuse_reason = reason or None
            invitation.recorded_at = utcnow()
            changed.append(invitation)
    tallies.recount_meeting(meeting)
    tallies.recount([i.adviser_id for i in changed], meeting.day)
    attendance_changed.send(meeting, adviser_ids=[i.adviser_id for i in changed], day=today())
    return changed


def remind_invitees(meeting: Meeting) -> None:
    """Remind the invitees the day before; once per meeting time."""
    _tell_invitees(meeting, "reminder")


# --- voiding a meeting entered by mistake --------------------------------------------------


def _recount_after_void(meeting: Meeting) -> None:
    """A voided or restored meeting leaves or rejoins every count and the dismissal rule."""
    invitees = [i.adviser_id for i in meeting.invitations]
    if meeting.is_held:
        tallies.recount(invitees, meeting.day)
        attendance_changed.send(meeting, adviser_ids=invitees, day=today())


@service(MANAGE)
def void_meeting(actor: User | None, meeting: Meeting, *, reason: str) -> None:
    """Void a meeting entered by mistake: its invitations and marks count nowhere; the
    invitees of a meeting still to come are told it is withdrawn."""
    voiding.mark_voided(meeting, actor, reason)
    db.session.flush()
    _recount_after_void(meeting)
    if meeting.is_planned and meeting.starts_at > utcnow():
        _tell_invitees(meeting, "voided")


@service(MANAGE)
def restore_meeting(actor: User | None, meeting: Meeting) -> None:
    voiding.clear_void(meeting)
    db.session.flush()
    _recount_after_void(meeting)
