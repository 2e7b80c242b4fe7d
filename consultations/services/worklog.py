"""The work log: hours an adviser spent on a matter, evidence for the yearly evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from advisers.queries import adviser_for_user
from consultations import rules
from consultations.models import Matter, WorkLog
from consultations.policy import LOG_WORK
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import User
from core.policy import service

_HOURS_PROBLEMS = {
    "not_positive": lambda: _("Enter more than 0 hours."),
    "over_a_day": lambda: _("A day has at most 24 hours."),
    "too_fine": lambda: _("Enter hours in quarters of an hour, e.g. 1.25."),
}


@service(LOG_WORK)
def log_work(
    actor: User | None, matter: Matter, *, worked_on: date, hours: Decimal, note: str
) -> WorkLog:
    """An adviser on the matter logs the hours of one day's work with a short note."""
    if worked_on > today():
        raise DomainError(_("Work cannot be logged for a day still to come."), field="worked_on")
    if worked_on < matter.received_on:
        raise DomainError(
            _(
                "The day worked cannot be before the request was received (%(day)s).",
                day=matter.received_on,
            ),
            field="worked_on",
        )
    problem = rules.hours_problem(hours)
    if problem:
        raise DomainError(_HOURS_PROBLEMS[problem](), field="hours")
    if not (note or "").strip():
        raise DomainError(_("Say in a few words what was done."), field="note")
    adviser = adviser_for_user(actor.id) if actor else matter.lead.adviser
    entry = WorkLog(
        matter=matter, adviser=adviser, worked_on=worked_on, hours=hours, note=note.strip()
    )
    db.session.add(entry)
    db.session.flush()
    return entry
