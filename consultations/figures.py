"""Per-adviser and per-matter figures of the consultations, for every page that counts them:
the consultation reports and the yearly evaluation read the same numbers.

- A matter belongs to the period in which it was **received**; its opinion, timeliness and
  adoption are followed to where they stand now.
- **Delivered**: the matter has an opinion forwarded to its department, once however many
  corrected versions it had. **On time**: its first signed opinion was submitted by the due
  date (a later correction does not make it late). **Adoption**: the department's record.
- Per adviser, the matters are those on which their assignment was **accepted**, as lead or
  co-adviser; delivered, on time and adoption are counted for the matters they led. **Hours**
  are the work logged on days in the period; **activities** those held in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import String, and_, case, exists, func, or_, select, type_coerce

from advisers.models import Adviser, Term
from consultations.models import (
    Activity,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Matter,
    MatterKind,
    Opinion,
    WorkLog,
    activity_adviser,
)
from consultations.rules import Adoption
from core.extensions import db

#: hours are logged in quarter hours
HOURS = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """A share as a percentage with one decimal; None when there is nothing to share."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Adoptions:
    """How the departments received the delivered opinions."""

    adopted: int = 0
    partly: int = 0
    not_adopted: int = 0

    @property
    def recorded(self) -> int:
        return self.adopted + self.partly + self.not_adopted

    @property
    def rate(self) -> Decimal | None:
        """Adopted in whole or in part, of the opinions whose fate is recorded."""
        return percent(self.adopted + self.partly, self.recorded)

    def add(self, other: Adoptions) -> None:
        self.adopted += other.adopted
        self.partly += other.partly
        self.not_adopted += other.not_adopted


@dataclass
class AdviserRow:
    """One adviser's work on the matters received in the period."""

    id: int
    name: str
    #: matters by kind (the kind's value), lead and co-adviser together
    by_kind: dict[str, int] = field(default_factory=dict)
    lead: int = 0
    co: int = 0
    #: of the matters they led
    delivered: int = 0
    on_time: int = 0
    adoptions: Adoptions = field(default_factory=Adoptions)
    hours: Decimal = Decimal(0)
    activities: int = 0

    @property
    def matters(self) -> int:
        return self.lead + self.co

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.delivered)

    def kind_counts(self) -> list[int]:
        """Matters of each of the eight kinds, in their order."""
        return [self.by_kind.get(kind.value, 0) for kind in MatterKind]


def opinion_facts(first: date, last: date):
    """Per matter received between the two days: the day its first opinion was signed, the
    last day one was delivered, and the adoption recorded (a matter closes with its adoption
    record, so it has at most one). Only the period's matters are grouped: the reports join it
    to them, and grouping every opinion of ten years first would read them all each time."""
    return (
        select(
            Opinion.matter_id.label("matter_id"),
            func.min(Opinion.submitted_on).label("first_signed"),
            func.max(Opinion.delivered_on).label("delivered_on"),
            func.max(type_coerce(Opinion.adoption, String)).label("adoption"),
        )
        .join(Matter, Matter.id == Opinion.matter_id)
        .where(Opinion.submitted_on.is_not(None), Matter.received_on.between(first, last))
        .group_by(Opinion.matter_id)
        .subquery("opinion_facts")
    )


def count_where(condition):
    """How many rows of the group meet the condition."""
    return func.count(case((condition, 1)))


def outcome_columns(facts, condition=None):
    """Delivered, on time, adopted, partly and not adopted, among rows meeting `condition`."""
    delivered = facts.c.delivered_on.is_not(None)
    on_time = delivered & (facts.c.first_signed <= Matter.due_on)

    def when(test):
        return count_where(test if condition is None else and_(condition, test))

    return (
        when(delivered),
        when(on_time),
        when(facts.c.adoption == Adoption.ADOPTED.value),
        when(facts.c.adoption == Adoption.PARTLY.value),
        when(facts.c.adoption == Adoption.NOT_ADOPTED.value),
    )


def adviser_workload(first: date, last: date) -> list[AdviserRow]:
    """Each adviser who served in the period or has figures in it, with their work; four
    queries whatever the number of matters."""
    facts = opinion_facts(first, last)
    lead = Assignment.role == AssignmentRole.LEAD
    assignments = db.session.execute(
        select(
            Assignment.adviser_id,
            Matter.kind,
            func.count(func.distinct(case((lead, Matter.id)))),
            func.count(func.distinct(case((~lead, Matter.id)))),
            *outcome_columns(facts, lead),
        )
        .join(Matter, Matter.id == Assignment.matter_id)
        .outerjoin(facts, facts.c.matter_id == Matter.id)
        .where(
            Assignment.status == AssignmentStatus.ACCEPTED,
            Matter.received_on.between(first, last),
        )
        .group_by(Assignment.adviser_id, Matter.kind)
    ).all()
    hours = dict(
        db.session.execute(
            select(WorkLog.adviser_id, func.sum(WorkLog.hours))
            .join(Matter, Matter.id == WorkLog.matter_id)
            .where(WorkLog.worked_on.between(first, last))
            .group_by(WorkLog.adviser_id)
        ).all()
    )
    activities = dict(
        db.session.execute(
            select(activity_adviser.c.adviser_id, func.count(Activity.id))
            .join(Activity, Activity.id == activity_adviser.c.activity_id)
            .where(Activity.held_on.between(first, last))
            .group_by(activity_adviser.c.adviser_id)
        ).all()
    )
    with_figures = {row[0] for row in assignments} | set(hours) | set(activities)
    served = exists(
        select(Term.id).where(
            Term.adviser_id == Adviser.id, Term.start_on <= last, Term.last_day >= first
        )
    )
    names = db.session.execute(
        select(Adviser.id, Adviser.name)
        .where(or_(served, Adviser.id.in_(with_figures)))
        .order_by(Adviser.name, Adviser.id)
    )
    rows = {id_: AdviserRow(id_, name) for id_, name in names}
    for adviser_id, kind, led, co, delivered, on_time, *adoptions in assignments:
        row = rows.get(adviser_id)
        if row is None:  # a voided adviser record: nothing to show it under
            continue
        row.by_kind[kind.value] = row.by_kind.get(kind.value, 0) + led + co
        row.lead += led
        row.co += co
        row.delivered += delivered
        row.on_time += on_time
        row.adoptions.add(Adoptions(*adoptions))
    for adviser_id, row in rows.items():
        row.hours = Decimal(hours.get(adviser_id) or 0).quantize(HOURS)
        row.activities = activities.get(adviser_id, 0)
    return list(rows.values())
