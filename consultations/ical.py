"""Matters' due dates in the user's calendar feed: the open matters they may see."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from consultations.models import Matter, MatterStatus
from consultations.policy import visible_to
from core.extensions import db
from core.ical import all_day_event


def due_date_events(user, host: str, stamp: str) -> list[list[str]]:
    """A whole-day event on each open matter's due date, for the matters the user may see."""
    rows = db.session.execute(
        visible_to(
            user,
            select(Matter.id, Matter.reference, Matter.title, Matter.due_on, Matter.version).where(
                Matter.status.in_(MatterStatus.awaiting_opinion())
            ),
        ).order_by(Matter.due_on)
    )
    label = _("Due")
    return [
        all_day_event(
            f"matter-due-{row.id}@{host}",
            row.due_on,
            f"{label}：{row.title}",
            row.reference,
            stamp,
            row.version,
        )
        for row in rows
    ]
