"""Reads of the pool: the filtered list, the departments without a designated legal-affairs
person, the trainings of a year and who was marked at each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from advisers.pool.models import (
    LegalTraining,
    PoolEntry,
    PoolKind,
    TrainingAttendance,
    pool_entry_specialty,
)
from core.extensions import db
from core.models import Department, DepartmentKind

#: the units that must each have a designated legal-affairs person (七.3)
UNITS_WITH_LEGAL_STAFF = (DepartmentKind.BUREAU, DepartmentKind.TOWN, DepartmentKind.SUBDISTRICT)

POOL_SORTS = {
    "name": PoolEntry.name,
    "kind": PoolEntry.kind,
    "organisation": PoolEntry.organisation,
    "id": PoolEntry.id,
}


@dataclass(frozen=True)
class PoolFilters:
    query: str = ""
    kind: str = ""
    specialty_id: int | None = None
    department_id: int | None = None
    #: "yes" / "no": listed with consent or not (the office alone sees "no")
    consent: str = ""
    designated: bool = False
    #: "listed" (in the pool), "moved" (recommended to the panel), "removed"
    state: str = "listed"

    def apply(self, stmt, *, consented_only: bool):
        stmt = stmt.where(*self._state())
        if consented_only or self.consent == "yes":
            stmt = stmt.where(PoolEntry.consent.is_(True))
        elif self.consent == "no":
            stmt = stmt.where(PoolEntry.consent.is_(False))
        if self.kind in PoolKind.values():
            stmt = stmt.where(PoolEntry.kind == self.kind)
        if self.specialty_id:
            stmt = stmt.where(
                exists().where(
                    pool_entry_specialty.c.entry_id == PoolEntry.id,
                    pool_entry_specialty.c.specialty_id == self.specialty_id,
                )
            )
        if self.department_id:
            stmt = stmt.where(PoolEntry.department_id == self.department_id)
        if self.designated:
            stmt = stmt.where(PoolEntry.designated.is_(True))
        if self.query:
            pattern = f"%{self.query}%"
            stmt = stmt.where(
                or_(PoolEntry.name.ilike(pattern), PoolEntry.organisation.ilike(pattern))
            )
        return stmt

    def _state(self) -> tuple:
        if self.state == "moved":
            return (PoolEntry.adviser_id.is_not(None),)
        if self.state == "removed":
            return (PoolEntry.is_active.is_(False),)
        return (PoolEntry.is_active.is_(True), PoolEntry.adviser_id.is_(None))


def pool_statement(filters: PoolFilters, *, consented_only: bool):
    """The entries as ORM objects with their specialties and department, for one page."""
    stmt = select(PoolEntry).options(
        selectinload(PoolEntry.specialties), selectinload(PoolEntry.department)
    )
    return filters.apply(stmt, consented_only=consented_only)


def units_without_legal_staff() -> list[Department]:
    """Active departments, towns and sub-districts with no designated legal-affairs person."""
    designated = exists().where(
        PoolEntry.department_id == Department.id,
        PoolEntry.designated.is_(True),
        PoolEntry.is_active.is_(True),
    )
    return list(
        db.session.scalars(
            select(Department)
            .where(
                Department.is_active.is_(True),
                Department.kind.in_(UNITS_WITH_LEGAL_STAFF),
                ~designated,
            )
            .order_by(Department.name)
        )
    )


def count_units_without_legal_staff() -> int:
    designated = exists().where(
        PoolEntry.department_id == Department.id,
        PoolEntry.designated.is_(True),
        PoolEntry.is_active.is_(True),
    )
    return db.session.scalar(
        select(func.count(Department.id)).where(
            Department.is_active.is_(True), Department.kind.in_(UNITS_WITH_LEGAL_STAFF), ~designated
        )
    )


def designated_staff() -> list[PoolEntry]:
    """The designated legal-affairs persons in the pool, by department: a training's roll."""
    return list(
        db.session.scalars(
            select(PoolEntry)
            .where(PoolEntry.designated.is_(True), PoolEntry.is_active.is_(True))
            .options(selectinload(PoolEntry.department))
            .order_by(PoolEntry.department_id, PoolEntry.name)
        )
    )


@dataclass(frozen=True)
class TrainingLine:
    training: LegalTraining
    attended: int
    marked: int


def trainings_of(year: int) -> list[TrainingLine]:
    """The year's trainings with how many attended of those marked; one query."""
    attended = func.count(TrainingAttendance.id).filter(TrainingAttendance.mark == "attended")
    rows = db.session.execute(
        select(LegalTraining, attended, func.count(TrainingAttendance.id))
        .outerjoin(TrainingAttendance, TrainingAttendance.training_id == LegalTraining.id)
        .where(LegalTraining.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(LegalTraining.id)
        .order_by(LegalTraining.held_on)
    )
    return [TrainingLine(training, a, m) for training, a, m in rows]
