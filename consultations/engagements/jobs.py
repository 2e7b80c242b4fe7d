"""Daily job of the register: remind the office before a department's contract ends."""

from __future__ import annotations

from datetime import date

from consultations.engagements import queries, services
from consultations.engagements.settings import remind_days
from core.models import Role
from core.notify import users_with_roles
from core.scheduler import register_job


def remind_engagement_endings(today: date) -> str:
    """Tell the office of every contract ending within the set days; once per contract end."""
    staff = users_with_roles(Role.OFFICE)
    ending = queries.engagements_ending(today, remind_days())
    told = sum(services.remind_ending(engagement, today, staff) for engagement in ending)
    return f"{len(ending)} contract(s) ending soon; {told} reminder(s) sent"


def register_jobs() -> None:
    register_job("remind_engagement_endings", remind_engagement_endings, hour=8, minute=5)
