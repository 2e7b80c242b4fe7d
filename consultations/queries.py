"""Reads for the consultations pages: the list with its filters and search, a matter with
everything on it, the adviser's and the department's day, and the due-date reminders."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import selectinload

from advisers.models import Adviser
from consultations.models import (
    Assignment,
    AssignmentStatus,
    Matter,
    MatterFile,
    MatterKind,
    MatterStatus,
    Opinion,
    OpinionComment,
    OpinionStatus,
    WorkLog,
)
from consultations.policy import ALL_MATTERS, visible_to
from core import search
from core.extensions import db
from core.models import Department, Role

MATTER_SORTS = {
    "reference": Matter.id,
    "title": Matter.title,
    "kind": Matter.kind,
    "department": Department.name,
    "received": Matter.received_on,
    "due": Matter.due_on,
    "status": Matter.status,
}

OPEN = MatterStatus.open_values()
#: assignments no longer in force
_ENDED = (AssignmentStatus.DECLINED, AssignmentStatus.WITHDRAWN)


@dataclass
class MatterFilters:
    status: str = ""
    kind: str = ""
    department_id: int | None = None
    year: int | None = None
    words: str = ""
    overdue_on: date | None = None
    #: search only the opinions delivered to the department (a liaison's search must not
    #: probe the text of an opinion the office has not forwarded yet)
    delivered_opinions_only: bool = False

    def apply(self, stmt):
        if self.status == "open":
            stmt = stmt.where(Matter.status.in_(OPEN))
        elif self.status in MatterStatus.values():
            stmt = stmt.where(Matter.status == self.status)
        if self.kind in MatterKind.values():
            stmt = stmt.where(Matter.kind == self.kind)
        if self.department_id:
            stmt = stmt.where(Matter.department_id == self.department_id)
        if self.year:
            stmt = stmt.where(
                Matter.received_on.between(date(self.year, 1, 1), date(self.year, 12, 31))
            )
        if self.overdue_on:
            stmt = stmt.where(Matter.status.in_(OPEN), Matter.due_on < self.overdue_on)
        if self.words:
            stmt = stmt.where(
                or_(
                    Matter.id.in_(search.matching("matter", self.words)),
                    Matter.id.in_(
                        select(Opinion.matter_id).where(
                            Opinion.id.in_(search.matching("opinion", self.words)),
                            Opinion.delivered_on.is_not(None)
                            if self.delivered_opinions_only
                            else Opinion.status != OpinionStatus.DRAFT,
                        )
                    ),
                )
            )
        return stmt


def _for(user, filters: MatterFilters) -> MatterFilters:
    """The filters as this user may search: one who reads only the opinions delivered to
    their department searches only those."""
    return replace(filters, delivered_opinions_only=not user.has_role(*ALL_MATTERS, Role.ADVISER))


def matters_statement(user, filters: MatterFilters, nothing: bool = False):
    """The matters this user may see, filtered, as rows with what the list shows; none at all
    with `nothing` (a search that could not be made)."""
    columns = (
        Matter.id,
        Matter.reference,
        Matter.title,
        Matter.kind,
        Matter.status,
        Matter.urgency,
        Matter.received_on,
        Matter.due_on,
        Matter.due_provisional,
        Department.name.label("department"),
    )
    stmt = select(*columns).join(Department, Department.id == Matter.department_id)
    if nothing:
        return stmt.where(false())
    return _for(user, filters).apply(visible_to(user, stmt))


def matters_count(user, filters: MatterFilters):
    """Count what `matters_statement` lists; no join to the departments, which would read
    every counted row: the count then comes from an index of the matters alone."""
    stmt = select(func.count(Matter.id))
    return _for(user, filters).apply(visible_to(user, stmt))


def lead_names(matter_ids: list[int]) -> dict[int, str]:
    """The lead adviser of each of these matters, in one query."""
    if not matter_ids:
        return {}
    rows = db.session.execute(
        select(Assignment.matter_id, Adviser.name)
        .join(Adviser, Adviser.id == Assignment.adviser_id)
        .where(
            Assignment.matter_id.in_(matter_ids),
            Assignment.role == "lead",
            # in force, said as "not ended": an IN of the statuses in force would tempt
            # SQLite to read every accepted assignment rather than these matters' few
            Assignment.status.not_in(_ENDED),
        )
    )
    return dict(rows.all())


def matter_detail(matter_id: int) -> Matter | None:
    """A matter with its department, files, assignments, opinions and comments loaded.

    The advisers' accounts are not loaded: the access checks compare `adviser.user_id`.
    """
    stmt = (
        select(Matter)
        .where(Matter.id == matter_id)
        .options(
            selectinload(Matter.department),
            selectinload(Matter.specialty),
            selectinload(Matter.files).selectinload(MatterFile.file),
            selectinload(Matter.assignments).selectinload(Assignment.adviser),
            selectinload(Matter.opinions).selectinload(Opinion.author),
            selectinload(Matter.opinions)
            .selectinload(Opinion.comments)
            .selectinload(OpinionComment.author),
        )
    )
    return db.session.scalar(stmt)


def opinion_detail(opinion_id: int) -> Opinion | None:
    stmt = (
        select(Opinion)
        .where(Opinion.id == opinion_id)
        .options(
            selectinload(Opinion.author),
            selectinload(Opinion.matter).selectinload(Matter.department),
            selectinload(Opinion.matter)
            .selectinload(Matter.assignments)
            .selectinload(Assignment.adviser),
        )
    )
    return db.session.scalar(stmt)


def work_log(matter: Matter) -> list[WorkLog]:
    return list(
        db.session.scalars(
            select(WorkLog)
            .where(WorkLog.matter_id == matter.id)
            .options(selectinload(WorkLog.adviser))
            .order_by(WorkLog.worked_on.desc(), WorkLog.id.desc())
        )
    )


def hours_by_adviser(matter: Matter) -> dict[str, object]:
    rows = db.session.execute(
        select(Adviser.name, func.sum(WorkLog.hours))
        .join(Adviser, Adviser.id == WorkLog.adviser_id)
        .where(WorkLog.matter_id == matter.id)
        .group_by(Adviser.name)
    )
    return dict(rows.all())


# --- the day's work --------------------------------------------------------------------


@dataclass
class AdviserDay:
    """What an adviser has on: assignments to answer, matters in hand, drafts to finish."""

    to_answer: list[Assignment] = field(default_factory=list)
    in_hand: list[Assignment] = field(default_factory=list)
    drafts: list[Opinion] = field(default_factory=list)


def adviser_day(adviser: Adviser) -> AdviserDay:
    """The adviser's open assignments, soonest due first, and the drafts they lead."""
    assignments = db.session.scalars(
        select(Assignment)
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(
            Assignment.adviser_id == adviser.id,
            Assignment.status.in_((AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)),
            Matter.status.in_(OPEN),
            # the open matters, few, as a set: the adviser's years of assignments are then
            # checked against it in their index, not each joined to its matter's row
            Assignment.matter_id.in_(select(Matter.id).where(Matter.status.in_(OPEN))),
        )
        .options(selectinload(Assignment.matter).selectinload(Matter.department))
        .order_by(Matter.due_on, Matter.id)
    )
    day = AdviserDay()
    for assignment in assignments:
        if assignment.status is AssignmentStatus.PENDING:
            day.to_answer.append(assignment)
        else:
            day.in_hand.append(assignment)
    day.drafts = list(
        db.session.scalars(
            select(Opinion)
            .join(Matter, Matter.id == Opinion.matter_id)
            .where(
                Opinion.author_id == adviser.id,
                Opinion.status == OpinionStatus.DRAFT,
                Matter.status == MatterStatus.IN_PROGRESS,
            )
            .options(selectinload(Opinion.matter))
            .order_by(Matter.due_on)
        )
    )
    return day


@dataclass
class DepartmentDay:
    """A department's requests in hand and the opinions waiting for its adoption record."""

    requests: list[Matter] = field(default_factory=list)
    awaiting_adoption: list[Matter] = field(default_factory=list)


def department_day(department_id: int, limit: int = 50) -> DepartmentDay:
    matters = list(
        db.session.scalars(
            select(Matter)
            .where(
                Matter.department_id == department_id,
                Matter.status.not_in((MatterStatus.CLOSED, MatterStatus.RETURNED)),
            )
            .options(selectinload(Matter.opinions))
            .order_by(Matter.due_on, Matter.id)
            .limit(limit)
        )
    )
    day = DepartmentDay()
    for matter in matters:
        if matter.status is MatterStatus.DELIVERED:
            day.awaiting_adoption.append(matter)
        else:
            day.requests.append(matter)
    return day


def requests_to_accept(limit: int = 20) -> list[Matter]:
    """Requests awaiting the office's acceptance, oldest first."""
    return list(
        db.session.scalars(
            select(Matter)
            .where(Matter.status == MatterStatus.REQUESTED)
            .options(selectinload(Matter.department))
            .order_by(Matter.received_on, Matter.id)
            .limit(limit)
        )
    )


def due_for_reminders(soon_until: date) -> list[Matter]:
    """Open matters due by `soon_until` (overdue ones included), with their leads loaded."""
    return list(
        db.session.scalars(
            select(Matter)
            .where(Matter.status.in_(OPEN), Matter.due_on <= soon_until)
            .options(
                selectinload(Matter.assignments)
                .selectinload(Assignment.adviser)
                .selectinload(Adviser.user)
            )
            .order_by(Matter.due_on)
        )
    )
