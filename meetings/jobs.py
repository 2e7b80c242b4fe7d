"""Daily job of the meetings: remind invitees the day before."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from core.scheduler import register_job
from meetings import services
from meetings.models import Invitation, Meeting, MeetingStatus
from meetings.queries import local_midnight


def remind_meetings(today: date) -> str:
    """Remind the invitees of tomorrow's planned meetings."""
    tomorrow = today + timedelta(days=1)
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.status == MeetingStatus.PLANNED,
            Meeting.starts_at >= local_midnight(tomorrow),
            Meeting.starts_at < local_midnight(tomorrow + timedelta(days=1)),
        )
        .options(selectinload(Meeting.invitations).selectinload(Invitation.adviser))
    ).all()
    for meeting in meetings:
        services.remind_invitees(meeting)
    return f"reminded invitees of {len(meetings)} meeting(s)"


def register_jobs() -> None:
    register_job("remind_meetings", remind_meetings, hour=9, minute=0)
