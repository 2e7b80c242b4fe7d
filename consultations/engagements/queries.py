"""Reads of the engagements register: the list with its filters, one engagement, the
departments to choose from, and the contracts the office is to be reminded of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from consultations.engagements.models import EngagedAs, Engagement, StateLabel
from consultations.engagements.policy import READ_ALL, visible_to
from core.extensions import db
from core.models import Department, User

SORTS = {
    "department": Department.name,
    "person": Engagement.person_name,
    "type": Engagement.engaged_as,
    "start": Engagement.start_on,
    "end": Engagement.end_on,
    "fee": Engagement.fee,
}
DEFAULT_SORT = "-end"


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; empty values do not narrow it."""

    department_id: int | None = None
    engaged_as: str = ""
    state: str = ""


def state_condition(state: str, today: date, days: int):
    """The SQL condition for a contract state on a day, as rules.state_on decides it."""
    last_reminded = today + timedelta(days=days)
    conditions = {
        StateLabel.UPCOMING: (Engagement.start_on > today) & (Engagement.end_on > last_reminded),
        StateLabel.IN_FORCE: (Engagement.start_on <= today) & (Engagement.end_on >= today),
        StateLabel.ENDING: Engagement.end_on.between(today, last_reminded),
        StateLabel.ENDED: Engagement.end_on < today,
    }
    return conditions[StateLabel(state)]


def _filtered(stmt, user: User, filters: Filters, today: date, days: int):
    stmt = visible_to(user, stmt.join(Department, Department.id == Engagement.department_id))
    if filters.department_id:
        stmt = stmt.where(Engagement.department_id == filters.department_id)
    if filters.engaged_as in EngagedAs.values():
        stmt = stmt.where(Engagement.engaged_as == filters.engaged_as)
    if filters.state in StateLabel.values():
        stmt = stmt.where(state_condition(filters.state, today, days))
    return stmt


def engagements_statement(user: User, filters: Filters, today: date, days: int):
    """The engagements the user may see, narrowed by the filters, as the rows the list shows."""
    columns = (
        Engagement.id,
        Engagement.person_name,
        Engagement.engaged_as,
        Engagement.organisation,
        Engagement.start_on,
        Engagement.end_on,
        Engagement.fee,
        Engagement.contract_file_id,
        Department.name.label("department"),
    )
    return _filtered(select(*columns), user, filters, today, days)


def engagements_count(user: User, filters: Filters, today: date, days: int):
    return _filtered(select(func.count(Engagement.id)), user, filters, today, days)


def engagements_for_export(
    user: User, filters: Filters, today: date, days: int, sort_column, descending: bool
) -> list[Engagement]:
    """Every engagement the list shows (all pages), with its department and contract file."""
    stmt = _filtered(select(Engagement), user, filters, today, days).options(
        joinedload(Engagement.department), joinedload(Engagement.contract_file)
    )
    order = sort_column.desc() if descending else sort_column.asc()
    return list(db.session.scalars(stmt.order_by(order, Engagement.id)))


def engagement_detail(engagement_id: int) -> Engagement | None:
    stmt = (
        select(Engagement)
        .where(Engagement.id == engagement_id)
        .options(joinedload(Engagement.department), joinedload(Engagement.contract_file))
    )
    return db.session.scalar(stmt)


def filter_departments(user: User) -> list[tuple[int, str]]:
    """The departments the list can be narrowed to: every one for staff, a liaison's own."""
    stmt = select(Department.id, Department.name).order_by(Department.name)
    if not user.has_role(*READ_ALL):
        stmt = stmt.where(Department.id == user.department_id)
    return [(row.id, row.name) for row in db.session.execute(stmt)]


def form_departments(current_id: int | None = None) -> list[tuple[int, str]]:
    """The departments an engagement can be registered for: those in use, and its own."""
    in_use = Department.is_active.is_(True)
    if current_id:
        in_use = or_(in_use, Department.id == current_id)
    rows = db.session.execute(
        select(Department.id, Department.name).where(in_use).order_by(Department.name)
    )
    return [(row.id, row.name) for row in rows]


def engagements_ending(today: date, days: int) -> list[Engagement]:
    """The engagements whose contract ends from today to `days` days ahead, soonest first."""
    stmt = (
        select(Engagement)
        .where(Engagement.end_on.between(today, today + timedelta(days=days)))
        .options(joinedload(Engagement.department))
        .order_by(Engagement.end_on, Engagement.id)
    )
    return list(db.session.scalars(stmt))
