"""Reads for the lawsuits register: the list with its filters and search, a case with
everything on it, and the next open deadline of each case listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from cases.models import (
    Case,
    CaseDeadline,
    CaseFile,
    CaseKind,
    CaseMember,
    CaseStatus,
)
from cases.policy import visible_to
from core import search
from core.extensions import db
from core.models import Department

CASE_SORTS = {
    "registered": Case.registered_on,
    "amount": Case.amount,
    "kind": Case.kind,
    "court": Case.court,
}


@dataclass
class CaseFilters:
    kind: str = ""
    department_id: int | None = None
    status: str = ""
    #: yuan: cases of at least this amount
    min_amount: Decimal | None = None
    words: str = ""

    def apply(self, stmt):
        if self.kind in CaseKind.values():
            stmt = stmt.where(Case.kind == self.kind)
        if self.department_id:
            stmt = stmt.where(Case.department_id == self.department_id)
        if self.status in CaseStatus.values():
            stmt = stmt.where(Case.status == self.status)
        if self.min_amount is not None:
            stmt = stmt.where(Case.amount >= self.min_amount)
        if self.words:
            stmt = stmt.where(Case.id.in_(search.matching("case", self.words)))
        return stmt


def cases_statement(user, filters: CaseFilters, nothing: bool = False):
    """The cases this user may see, filtered, as rows with what the list shows; none at all
    with `nothing` (a search that could not be made)."""
    stmt = select(
        Case.id,
        Case.reference,
        Case.case_number,
        Case.kind,
        Case.court,
        Case.cause,
        Case.government_role,
        Case.amount,
        Case.registered_on,
        Case.status,
        Case.team_status,
        Department.name.label("department"),
    ).outerjoin(Department, Department.id == Case.department_id)
    if nothing:
        return stmt.where(false())
    return filters.apply(visible_to(user, stmt))


def cases_count(user, filters: CaseFilters):
    return filters.apply(visible_to(user, select(func.count(Case.id))))


def next_deadlines(case_ids: list[int]) -> dict[int, date]:
    """The earliest open deadline of each of these cases, in one query."""
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(CaseDeadline.case_id, func.min(CaseDeadline.due_on))
        .where(CaseDeadline.case_id.in_(case_ids), CaseDeadline.done_on.is_(None))
        .group_by(CaseDeadline.case_id)
    )
    return dict(rows.all())


def case_detail(case_id: int) -> Case | None:
    """A case with its department, matter, stages, team, deadlines and files loaded."""
    stmt = (
        select(Case)
        .where(Case.id == case_id)
        .options(
            selectinload(Case.department),
            selectinload(Case.from_matter),
            selectinload(Case.stages),
            selectinload(Case.members).selectinload(CaseMember.adviser),
            selectinload(Case.deadlines),
            selectinload(Case.files).selectinload(CaseFile.file),
        )
    )
    return db.session.scalar(stmt)


def case_of_matter(matter_id: int) -> Case | None:
    return db.session.scalar(select(Case).where(Case.from_matter_id == matter_id))


def search_texts(case: Case) -> tuple:
    """The title and texts a case is found by: its cause, numbers, court and parties."""
    numbers = " ".join(filter(None, [case.case_number, *(s.case_number for s in case.stages)]))
    return (
        case.cause,
        case.reference,
        numbers,
        case.court,
        case.opposing_parties,
        case.third_parties,
    )


def indexed_cases():
    """Every case with what it is found by, for `flask search rebuild`."""
    stmt = select(Case).options(selectinload(Case.stages))
    for case in db.session.scalars(stmt):
        title, *texts = search_texts(case)
        yield case.id, title, texts
