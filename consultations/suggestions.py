"""Which serving advisers to put on a matter, best first, each with its one-line reason.

The facts come from a fixed number of queries whatever the panel's size: the serving terms,
specialties, open work, last assignment and absences; `rules.rank` weighs them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from advisers import availability
from advisers.models import Adviser, Term, adviser_specialty
from advisers.queries import serving_on
from consultations import rules
from consultations.models import Assignment, AssignmentStatus, Matter, MatterStatus
from consultations.settings import due_soon_days
from core import workdays
from core.extensions import db
from core.i18n import today

_ACTIVE = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)


@dataclass(frozen=True)
class Suggested:
    """A ranked suggestion with what the office reads about it."""

    adviser_id: int
    name: str
    line: str
    blocked: bool
    conflict_line: str
    suggestion: rules.Suggestion


def _serving(day: date) -> list[tuple[Adviser, date]]:
    rows = db.session.execute(
        select(Adviser, Term.last_day)
        .join(Term, Term.adviser_id == Adviser.id)
        .where(serving_on(day))
        .order_by(Adviser.name)
    )
    return [(adviser, last_day) for adviser, last_day in rows]


def fitting(adviser_ids: list[int], specialty_id: int | None) -> set[int]:
    """The advisers among these with the specialty (none when no specialty is asked)."""
    if specialty_id is None:
        return set()
    return set(
        db.session.scalars(
            select(adviser_specialty.c.adviser_id).where(
                adviser_specialty.c.adviser_id.in_(adviser_ids),
                adviser_specialty.c.specialty_id == specialty_id,
            )
        )
    )


def _open_work(adviser_ids: list[int], soon_until: date) -> tuple[Counter, Counter]:
    """Each adviser's open matters, and how many of those fall due by `soon_until`."""
    rows = db.session.execute(
        select(Assignment.adviser_id, Matter.due_on)
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(
            Assignment.adviser_id.in_(adviser_ids),
            Assignment.status.in_(_ACTIVE),
            Matter.status.in_(MatterStatus.open_values()),
        )
    )
    open_count, due_soon = Counter(), Counter()
    for adviser_id, due_on in rows:
        open_count[adviser_id] += 1
        if due_on <= soon_until:
            due_soon[adviser_id] += 1
    return open_count, due_soon


def last_assigned(adviser_ids: list[int] | None = None) -> dict[int, date]:
    """The day each adviser was last put on a matter (declined or not: they were asked)."""
    stmt = select(Assignment.adviser_id, func.max(Assignment.assigned_on)).group_by(
        Assignment.adviser_id
    )
    if adviser_ids is not None:
        stmt = stmt.where(Assignment.adviser_id.in_(adviser_ids))
    return dict(db.session.execute(stmt).all())


def candidates(matter: Matter, day: date | None = None) -> list[rules.Candidate]:
    """The facts about every adviser serving today, for this matter."""
    day = day or today()
    serving = _serving(day)
    ids = [adviser.id for adviser, _last in serving]
    fits = fitting(ids, matter.specialty_id)
    soon_until = workdays.add_working_days(day, due_soon_days())
    open_count, due_soon = _open_work(ids, soon_until)
    last = last_assigned(ids)
    away = availability.absences(ids, day, max(matter.due_on, day))
    parties = matter.party_names
    found = []
    for adviser, last_day in serving:
        declared = rules.names_of(adviser.conflicts)
        found.append(
            rules.Candidate(
                adviser_id=adviser.id,
                name=adviser.name,
                fits=adviser.id in fits,
                open_matters=open_count[adviser.id],
                due_soon=due_soon[adviser.id],
                days_since_last=(day - last[adviser.id]).days if adviser.id in last else None,
                term_last_day=last_day,
                absences=tuple(away.get(adviser.id, ())),
                conflicts=tuple(rules.conflicts(parties, declared, adviser.organisation)),
            )
        )
    return found


def suggest(matter: Matter, day: date | None = None) -> list[Suggested]:
    """Every serving adviser for this matter, best first, each with a reason in one line."""
    ranked = rules.rank(candidates(matter, day), matter.due_on)
    specialty = matter.specialty.name if matter.specialty else None
    return [
        Suggested(
            adviser_id=s.candidate.adviser_id,
            name=s.candidate.name,
            line=reason_line(s, specialty),
            blocked=s.blocked,
            conflict_line=conflict_line(s.candidate.conflicts),
            suggestion=s,
        )
        for s in ranked
    ]


def conflict_line(found) -> str:
    """What the conflict check found, as a sentence; empty when nothing."""
    parts = []
    for conflict in found:
        if conflict.source == "organisation":
            parts.append(
                _(
                    "party “%(party)s” matches their organisation %(org)s",
                    party=conflict.party,
                    org=conflict.declared,
                )
            )
        else:
            parts.append(
                _(
                    "party “%(party)s” matches their declared conflict “%(name)s”",
                    party=conflict.party,
                    name=conflict.declared,
                )
            )
    return "；".join(parts)


def reason_line(suggestion: rules.Suggestion, specialty: str | None) -> str:
    """One line the office reads: 行政法 · 2 件在办（1 件将到期）· 45 天未分派 · 无利益冲突."""
    c = suggestion.candidate
    parts = []
    if specialty:
        parts.append(specialty if c.fits else _("not %(specialty)s", specialty=specialty))
    if c.open_matters:
        parts.append(_("%(n)d open", n=c.open_matters))
        if c.due_soon:
            parts[-1] += _(" (%(n)d due soon)", n=c.due_soon)
    else:
        parts.append(_("no open matters"))
    if c.days_since_last is None:
        parts.append(_("never assigned"))
    else:
        parts.append(_("last assigned %(n)d days ago", n=c.days_since_last))
    parts.extend(c.absences)
    if suggestion.term_ends_first:
        parts.append(_("term ends %(day)s, before the due date", day=c.term_last_day.isoformat()))
    parts.append(_("conflict of interest") if c.conflicts else _("no conflict of interest"))
    return " · ".join(parts)
