"""Who may see and run the panel's meetings: staff read them, the office runs them, an adviser
sees the meetings they are invited to and asks for leave from their own invitations.
"""

from __future__ import annotations

from advisers.models import Adviser
from core.models import Role
from core.policy import EVERYONE, OFFICE, READERS, Policy
from meetings.models import Invitation, Meeting

policy = Policy("meetings")


def _invited_or_reader(user, meeting) -> bool:
    """Staff see every meeting; an adviser sees the meetings they are invited to."""
    return user.has_role(*READERS) or any(i.adviser.user_id == user.id for i in meeting.invitations)


def _own_invitation(user, invitation) -> bool:
    return invitation.adviser.user_id == user.id


def _reader_or_own(user, invitation) -> bool:
    """Why an adviser was excused is staff's to read, and the adviser's own."""
    return user.has_role(*READERS) or _own_invitation(user, invitation)


READ = policy.allow("read", READERS)
VIEW = policy.allow("view", EVERYONE, check=_invited_or_reader)
MANAGE = policy.allow("manage", OFFICE)
REQUEST_LEAVE = policy.allow("request_leave", {Role.ADVISER}, check=_own_invitation)
OWN = policy.allow("own", {Role.ADVISER})
CALENDAR = policy.allow("calendar", EVERYONE)
SEE_EXCUSE = policy.allow("see_excuse", EVERYONE, check=_reader_or_own)


def visible_to(user, stmt):
    """Scope a query of meetings to those the user may see: staff all, an adviser their own."""
    if user.has_role(*READERS):
        return stmt
    return (
        stmt.join(Invitation, Invitation.meeting_id == Meeting.id)
        .join(Adviser, Adviser.id == Invitation.adviser_id)
        .where(Adviser.user_id == user.id)
    )
