"""Nightly jobs of the panel: end expired terms; remind the office before terms end."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from advisers import queries, rules, services
from core.models import Role
from core.notify import notify, path_for, users_with_roles
from core.scheduler import register_job


def end_expired_terms(today: date) -> str:
    """End every term whose last day has passed."""
    return f"ended {services.expire_terms(today)} term(s)"


def remind_term_endings(today: date) -> str:
    """Tell office staff 90, 30 and 7 days before a term ends, once for each threshold."""
    staff = users_with_roles(Role.OFFICE)
    sent = 0
    for term in queries.terms_ending(today, within_days=max(rules.REMINDER_DAYS)):
        threshold = rules.due_reminder(term.end_on, today)
        if threshold is None:
            continue

        def render(term=term, threshold=threshold):
            return (
                _(
                    "%(name)s's term ends on %(day)s",
                    name=term.adviser.name,
                    day=term.end_on.isoformat(),
                ),
                _(
                    "%(days)d-day reminder: renew the term or let it end. Letter %(no)s.",
                    days=threshold,
                    no=term.letter_no,
                ),
            )

        link = path_for("advisers.adviser", adviser_id=term.adviser_id)
        sent += len(notify(staff, render, link=link, key=f"term-end:{term.id}:{threshold}"))
    return f"sent {sent} reminder(s)"


def register_jobs() -> None:
    register_job("end_expired_terms", end_expired_terms, hour=0, minute=10)
    register_job("remind_term_endings", remind_term_endings, hour=8, minute=0)
