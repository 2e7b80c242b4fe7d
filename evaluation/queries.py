"""Reads for the dismissal pages and for the attendance cards other pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from advisers.models import Adviser
from core.extensions import db
from evaluation import rules
from evaluation.models import CandidateStatus, DismissalCandidate, DismissalRuleVersion
from evaluation.services import current_rule_version, serving_since
from meetings.queries import attendance_records
from meetings.rules import Mark, attendance_rate


def candidates_statement(status: str = ""):
    """Candidates of one status (all when none is given), newest first, with what they show."""
    stmt = select(DismissalCandidate).options(
        selectinload(DismissalCandidate.adviser),
        selectinload(DismissalCandidate.decided_by),
    )
    if status in CandidateStatus.values():
        stmt = stmt.where(DismissalCandidate.status == status)
    return stmt.order_by(DismissalCandidate.raised_on.desc(), DismissalCandidate.id.desc())


def open_candidate_count() -> int:
    return db.session.scalar(
        select(func.count(DismissalCandidate.id)).where(
            DismissalCandidate.status == CandidateStatus.OPEN
        )
    )


def rule_versions() -> list[DismissalRuleVersion]:
    stmt = select(DismissalRuleVersion).options(selectinload(DismissalRuleVersion.created_by))
    return list(db.session.scalars(stmt.order_by(DismissalRuleVersion.id.desc())))


@dataclass
class AttendanceStanding:
    """An adviser's attendance over the rule's window, and whether they near the rule."""

    months: int
    present: int
    excused: int
    absent: int
    rate: Decimal | None
    near_threshold: bool
    rule: rules.DismissalRule


def attendance_standing(adviser: Adviser, today: date) -> AttendanceStanding:
    """How the dismissal rule sees an adviser today: while serving, only meetings since the
    (unbroken) appointment count, as the rule judges them."""
    rule = current_rule_version().as_rule()
    records = attendance_records([adviser.id])[adviser.id]
    term = adviser.term_on(today)
    since = serving_since(adviser.terms, term) if term else date.min
    window = rules.window_of(records, rule, today, since)  # the window the rule itself reads
    counts = {mark: sum(1 for r in window if r.mark == mark) for mark in Mark}
    near = bool(term) and rules.near_threshold(records, rule, today, since)
    return AttendanceStanding(
        rule.window_months,
        counts[Mark.PRESENT],
        counts[Mark.EXCUSED],
        counts[Mark.ABSENT],
        attendance_rate(window),
        near,
        rule,
    )
