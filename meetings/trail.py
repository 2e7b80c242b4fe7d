"""How meetings, invitations and leave read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from advisers.models import Adviser
from core.audit import BOOKKEEPING, Page, describe
from meetings.models import (
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    MeetingTopic,
    mark_label,
)

MEETING_PAGE = Page("meetings.meeting", "meeting_id", "meeting_id")


def _invitation_names():
    return (
        select(Invitation.id, Adviser.name + " · " + Meeting.title)
        .join(Adviser, Adviser.id == Invitation.adviser_id)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
    )


def _leave_names():
    return (
        select(LeaveRequest.id, Adviser.name + " · " + Meeting.title)
        .join(Invitation, Invitation.id == LeaveRequest.invitation_id)
        .join(Adviser, Adviser.id == Invitation.adviser_id)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
    )


def _meeting_of_leave(leave: LeaveRequest) -> tuple[str, int] | None:
    invitation = leave.invitation
    return (Meeting.__name__, invitation.meeting_id) if invitation is not None else None


def register() -> None:
    """Describe meetings, their topics, invitations and leave requests."""
    describe(
        Meeting,
        _l("Meeting"),
        name=Meeting.title,
        fields={
            "kind": _l("Kind"),
            "title": _l("Title"),
            "starts_at": _l("Starts at"),
            "ends_at": _l("Ends at"),
            "place": _l("Place"),
            "agenda": _l("Agenda"),
            "convened_by": _l("Convened by"),
            "status": _l("Status"),
            "minutes": _l("Minutes"),
            "cancel_reason": _l("Why it is cancelled"),
            "created_at": _l("Created at"),
        },
        page=Page("meetings.meeting", "meeting_id"),
        phrases={"create": _l("planned %(record)s on %(starts_at)s at %(place)s")},
        transitions={
            ("status", MeetingStatus.HELD.value): _l("recorded %(record)s as held"),
            ("status", MeetingStatus.CANCELLED.value): _l(
                "cancelled %(record)s: %(cancel_reason)s"
            ),
        },
    )
    describe(
        MeetingTopic,
        _l("Topic"),
        name=MeetingTopic.title,
        fields={
            "meeting_id": _l("Meeting"),
            "position": _l("Position"),
            "title": _l("Topic"),
            "opinion": _l("The panel's opinion"),
        },
        parent="meeting_id",
        page=MEETING_PAGE,
        phrases={"create": _l("added the topic %(record)s")},
    )
    describe(
        Invitation,
        _l("Invitation"),
        names=_invitation_names,
        display_name=lambda shown: f"{shown['adviser_id']} · {shown['meeting_id']}",
        fields={
            "meeting_id": _l("Meeting"),
            "adviser_id": _l("Adviser"),
            "mark": _l("Attendance"),
            "excuse_reason": _l("Why the absence is excused"),
            "recorded_at": _l("Recorded at"),
        },
        formats={"mark": mark_label},
        #: when a mark was entered: the entry's own time says it
        quiet=BOOKKEEPING | {"recorded_at"},
        parent="meeting_id",
        page=MEETING_PAGE,
        phrases={
            "create": _l("invited %(adviser_id)s"),
            "delete": _l("withdrew the invitation of %(adviser_id)s"),
        },
        many={
            "create": lambda n: ngettext("invited %(num)d adviser", "invited %(num)d advisers", n),
            "delete": lambda n: ngettext(
                "withdrew %(num)d invitation", "withdrew %(num)d invitations", n
            ),
            "update": lambda n: ngettext(
                "recorded the attendance of %(num)d adviser",
                "recorded the attendance of %(num)d advisers",
                n,
            ),
        },
    )
    describe(
        LeaveRequest,
        _l("Leave request"),
        names=_leave_names,
        display_name=lambda shown: shown["invitation_id"],
        fields={
            "invitation_id": _l("Invitation"),
            "reason": _l("Reason for leave"),
            "status": _l("Status"),
            "requested_at": _l("Asked at"),
            "decided_at": _l("Decided at"),
            "decided_by_id": _l("Decided by"),
            "answer": _l("Answer to the adviser"),
        },
        parent=_meeting_of_leave,
        page=Page("meetings.decide_leave", "leave_id"),
        phrases={"create": _l("asked for leave from %(invitation_id)s: %(reason)s")},
        transitions={
            ("status", LeaveStatus.APPROVED.value): _l("approved %(record)s"),
            ("status", LeaveStatus.REFUSED.value): _l("refused %(record)s"),
        },
    )
