"""Reads for the consultation reports, the "顾而不问" lists and the dashboard's matter counts.

Every figure comes from a GROUP BY query, so a report runs the same handful of queries however
many matters there are. What the figures mean:

- A matter belongs to the period in which it was **received**; the report follows each matter
  received in the period to where it stands now (its opinion, whether on time, its adoption),
  so every rate is taken over one set of matters.
- **Delivered**: the matter has an opinion forwarded to its department. A matter counts once
  however many corrected versions it had.
- **On time**: of the delivered matters, those whose first signed opinion was submitted by the
  due date (`consultations.rules.on_time`): a later correction does not make it late.
- **Adoption**: the department's record on the delivered opinion: adopted, partly adopted, not
  adopted. The adoption rate is (adopted + partly adopted) / matters with a record.
- Per adviser, the matters are those on which their assignment was **accepted**, as lead or
  co-adviser; delivered, on time and adoption are counted for the matters they led.
- **Hours** are the work logged on days in the period; **activities** (duties 6 and 7) are
  those held in the period, with their attendance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property

from sqlalchemy import and_, exists, extract, func, or_, select

from advisers.models import Adviser, Term
from advisers.queries import serving_on
from consultations.figures import (
    Adoptions,
    AdviserRow,
    adviser_workload,
    count_where,
    opinion_facts,
    outcome_columns,
    percent,
)
from consultations.models import (
    Activity,
    ActivityKind,
    Assignment,
    Matter,
    MatterKind,
    MatterStatus,
)
from core.extensions import db
from core.models import Department
from reports.queries import period_bounds

OPEN = MatterStatus.open_values()


@dataclass
class DepartmentRow:
    """One department's requests received in the period and what became of them."""

    id: int | None
    name: str
    requests: int = 0
    returned: int = 0
    closed: int = 0
    adoptions: Adoptions = field(default_factory=Adoptions)

    def add(self, other: DepartmentRow) -> None:
        self.requests += other.requests
        self.returned += other.returned
        self.closed += other.closed
        self.adoptions.add(other.adoptions)


@dataclass
class KindRow:
    """One of the eight duties: requests, opinions, timeliness, adoption; activities for 6, 7."""

    kind: MatterKind | None
    requests: int = 0
    delivered: int = 0
    on_time: int = 0
    adoptions: Adoptions = field(default_factory=Adoptions)
    #: activities held and people reached (training and publicity only)
    activities: int | None = None
    attendance: int | None = None

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.delivered)

    def add(self, other: KindRow) -> None:
        self.requests += other.requests
        self.delivered += other.delivered
        self.on_time += other.on_time
        self.adoptions.add(other.adoptions)
        if other.activities is not None:
            self.activities = (self.activities or 0) + other.activities
            self.attendance = (self.attendance or 0) + (other.attendance or 0)


class ConsultationReport:
    """Per adviser, per department and per kind, for the matters received between two days;
    each table is read when first used, in one or two queries whatever the number of rows."""

    def __init__(self, first: date, last: date):
        self.first, self.last = first, last

    @cached_property
    def advisers(self) -> list[AdviserRow]:
        return adviser_workload(self.first, self.last)

    @cached_property
    def departments(self) -> list[DepartmentRow]:
        return _department_rows(self.first, self.last)

    @cached_property
    def kinds(self) -> list[KindRow]:
        return _kind_rows(self.first, self.last)

    @property
    def kind_total(self) -> KindRow:
        total = KindRow(None)
        for row in self.kinds:
            total.add(row)
        return total

    @property
    def department_total(self) -> DepartmentRow:
        total = DepartmentRow(None, "")
        for row in self.departments:
            total.add(row)
        return total

    def chart_data(self, labels: dict[str, str]) -> dict:
        """Requests per kind, and adoption per department (stacked), for the bar charts.

        `labels` names the series: requests, adopted, partly, not_adopted.
        """
        return {
            "byKind": {
                "labels": [str(row.kind.number) for row in self.kinds],
                "titles": [str(row.kind.label) for row in self.kinds],
                "series": [
                    {
                        "label": labels["requests"],
                        "values": [row.requests for row in self.kinds],
                        "colour": "--bs-primary",
                    }
                ],
            },
            "adoptionByDepartment": {
                "labels": [row.name for row in self.departments],
                "series": [
                    {
                        "label": labels[name],
                        "values": [getattr(row.adoptions, name) for row in self.departments],
                        "colour": colour,
                    }
                    for name, colour in (
                        ("adopted", "--bs-success"),
                        ("partly", "--bs-warning"),
                        ("not_adopted", "--bs-danger"),
                    )
                ],
            },
        }


# --- the report ------------------------------------------------------------------------


def _kind_rows(first: date, last: date) -> list[KindRow]:
    facts = opinion_facts(first, last)
    rows = db.session.execute(
        select(Matter.kind, func.count(Matter.id), *outcome_columns(facts))
        .outerjoin(facts, facts.c.matter_id == Matter.id)
        .where(Matter.received_on.between(first, last))
        .group_by(Matter.kind)
    )
    found = {
        kind: KindRow(kind, requests, delivered, on_time, Adoptions(adopted, partly, not_adopted))
        for kind, requests, delivered, on_time, adopted, partly, not_adopted in rows
    }
    held = db.session.execute(
        select(Activity.kind, func.count(Activity.id), func.sum(Activity.attendance))
        .where(Activity.held_on.between(first, last))
        .group_by(Activity.kind)
    )
    activities = {kind.value: (count, attendance or 0) for kind, count, attendance in held}
    result = []
    for kind in MatterKind:
        row = found.get(kind, KindRow(kind))
        if kind.value in ActivityKind.values():
            row.activities, row.attendance = activities.get(kind.value, (0, 0))
        result.append(row)
    return result


def _department_rows(first: date, last: date) -> list[DepartmentRow]:
    facts = opinion_facts(first, last)
    rows = db.session.execute(
        select(
            Department.id,
            Department.name,
            func.count(Matter.id),
            count_where(Matter.status == MatterStatus.RETURNED),
            count_where(Matter.status == MatterStatus.CLOSED),
            *outcome_columns(facts)[2:],
        )
        .join(Department, Department.id == Matter.department_id)
        .outerjoin(facts, facts.c.matter_id == Matter.id)
        .where(Matter.received_on.between(first, last))
        .group_by(Department.id, Department.name)
        .order_by(func.count(Matter.id).desc(), Department.name)
    )
    return [
        DepartmentRow(id_, name, requests, returned, closed, Adoptions(*adoptions))
        for id_, name, requests, returned, closed, *adoptions in rows
    ]


def consultation_report(year: int, quarter: int | None = None) -> ConsultationReport:
    """The consultations of a year or quarter: seven queries at most, whatever the number of
    matters, advisers or departments."""
    return ConsultationReport(*period_bounds(year, quarter))


# --- "顾而不问" ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IdleAdviser:
    """A serving adviser with no matter assigned for a long time."""

    id: int
    name: str
    #: the day of their last assignment, or their first term's start when never assigned
    since: date
    days: int
    never_assigned: bool


@dataclass(frozen=True)
class IdleDepartment:
    """An active department that has not asked the advisers anything for a long time."""

    id: int
    name: str
    last_request: date | None
    #: days since the last request; None when it never asked
    days: int | None


def idle_advisers(day: date, days: int) -> list[IdleAdviser]:
    """Advisers serving on `day` whose last assignment (asked, whatever their answer) is at
    least `days` days back; one never assigned counts from the start of their first term.
    Longest idle first."""
    # the newest assignment, found from ix_assignment_adviser_assigned without reading the rest
    last_on = (
        select(Assignment.assigned_on)
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(Assignment.adviser_id == Adviser.id)
        .order_by(Assignment.assigned_on.desc())
        .limit(1)
        .correlate(Adviser)
        .scalar_subquery()
    )
    started = (
        select(Term.adviser_id, func.min(Term.start_on).label("first_on"))
        .group_by(Term.adviser_id)
        .subquery("first_term")
    )
    serving = exists(select(Term.id).where(Term.adviser_id == Adviser.id, serving_on(day)))
    served = (
        select(Adviser.id, Adviser.name, last_on.label("last_on"), started.c.first_on)
        .join(started, started.c.adviser_id == Adviser.id)
        .where(serving)
        .subquery("served")
    )
    since = func.coalesce(served.c.last_on, served.c.first_on)
    rows = db.session.execute(
        select(served.c.id, served.c.name, served.c.last_on, served.c.first_on)
        .where(since <= day - timedelta(days=days))
        .order_by(since, served.c.name, served.c.id)
    )
    return [
        IdleAdviser(id_, name, last_on or first_on, (day - (last_on or first_on)).days, not last_on)
        for id_, name, last_on, first_on in rows
    ]


def idle_departments(day: date, days: int) -> list[IdleDepartment]:
    """Active departments with no request received in the last `days` days (or ever): those
    that never asked first, then the longest silent."""
    last = (
        select(Matter.department_id, func.max(Matter.received_on).label("last_on"))
        .group_by(Matter.department_id)
        .subquery("last_request")
    )
    rows = db.session.execute(
        select(Department.id, Department.name, last.c.last_on)
        .outerjoin(last, last.c.department_id == Department.id)
        .where(
            Department.is_active,
            or_(last.c.last_on.is_(None), last.c.last_on <= day - timedelta(days=days)),
        )
        .order_by(last.c.last_on.is_not(None), last.c.last_on, Department.name)
    )
    return [
        IdleDepartment(id_, name, last_on, None if last_on is None else (day - last_on).days)
        for id_, name, last_on in rows
    ]


@dataclass
class QuarterRow:
    """A department's requests in each quarter of a year."""

    id: int
    name: str
    quarters: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    @property
    def total(self) -> int:
        return sum(self.quarters)


def requests_by_quarter(year: int) -> list[QuarterRow]:
    """Each active department (and any inactive one that asked that year) × Q1–Q4."""
    month = extract("month", Matter.received_on)
    received = and_(
        Matter.department_id == Department.id,
        Matter.received_on.between(date(year, 1, 1), date(year, 12, 31)),
    )
    rows = db.session.execute(
        select(Department.id, Department.name, month, func.count(Matter.id))
        .outerjoin(Matter, received)
        .where(or_(Department.is_active, Matter.id.is_not(None)))
        .group_by(Department.id, Department.name, month)
        .order_by(Department.name, Department.id)
    )
    found: dict[int, QuarterRow] = {}
    for id_, name, in_month, count in rows:
        row = found.setdefault(id_, QuarterRow(id_, name))
        if in_month is not None:
            row.quarters[(int(in_month) - 1) // 3] += count
    return list(found.values())


def quarter_totals(rows: list[QuarterRow]) -> list[int]:
    totals = defaultdict(int)
    for row in rows:
        for q, count in enumerate(row.quarters):
            totals[q] += count
    return [totals[q] for q in range(4)]


# --- the dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class MatterCounts:
    """Matters waiting on someone, for the dashboard's card and the office's to-do list."""

    to_accept: int
    open: int
    overdue: int
    to_forward: int
    awaiting_adoption: int


def matter_counts(day: date) -> MatterCounts:
    """In one query: requests to accept, open and overdue matters (advisers working, past the
    due date), opinions signed but not forwarded, and opinions awaiting an adoption record."""
    waiting = (
        MatterStatus.REQUESTED,
        *OPEN,
        MatterStatus.SUBMITTED,
        MatterStatus.DELIVERED,
    )
    is_open = Matter.status.in_(OPEN)
    row = db.session.execute(
        select(
            count_where(Matter.status == MatterStatus.REQUESTED),
            count_where(is_open),
            count_where(is_open & (Matter.due_on < day)),
            count_where(Matter.status == MatterStatus.SUBMITTED),
            count_where(Matter.status == MatterStatus.DELIVERED),
        ).where(Matter.status.in_(waiting))
    ).one()
    return MatterCounts(*row)
