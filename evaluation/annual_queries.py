"""Reads for the yearly evaluation: the year's list, the records behind an adviser's figures,
and the scheme's versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cases.models import Case, CaseMember, MemberStatus
from consultations.figures import opinion_facts
from consultations.models import (
    Activity,
    Adoption,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Matter,
    WorkLog,
    activity_adviser,
)
from core.extensions import db
from core.i18n import TIMEZONE
from evaluation import annual
from evaluation.evidence import YearEvidence, year_bounds
from evaluation.models import AnnualEvaluation, EvaluationStatus, GradeLabel, SchemeVersion
from meetings.models import Invitation, Meeting, MeetingStatus


@dataclass
class EvaluationRow:
    """An adviser on the year's list: the evidence, what it earns, and the office's work."""

    evidence: YearEvidence
    score: Decimal | None
    suggested: GradeLabel | None
    evaluation: AnnualEvaluation | None

    @property
    def state(self) -> str:
        """ "todo" (not yet evaluated), "draft" or "final"."""
        return self.evaluation.status.value if self.evaluation else "todo"

    def shown_by(self, status: str) -> bool:
        """Whether the list filtered by this status shows the row ("review": one to answer)."""
        if status == "review":
            return self.evaluation is not None and self.evaluation.review_pending
        return self.state == status


def evaluation_rows(
    year: int, evidence: dict[int, YearEvidence], scheme: SchemeVersion
) -> list[EvaluationRow]:
    """Every adviser of the year in name order, with their evaluation if there is one."""
    done = {
        e.adviser_id: e
        for e in db.session.scalars(
            select(AnnualEvaluation)
            .where(AnnualEvaluation.year == year)
            .options(selectinload(AnnualEvaluation.scheme_version))
        )
    }
    rows = []
    for adviser_id, found in evidence.items():
        evaluation = done.get(adviser_id)
        score, suggested = annual.suggestion(
            found, evaluation.scheme_version if evaluation else scheme
        )
        rows.append(EvaluationRow(found, score, suggested, evaluation))
    return sorted(rows, key=lambda row: (row.evidence.name, row.evidence.adviser_id))


@dataclass
class EvidenceRecords:
    """The records behind one adviser's figures for a year, each to be opened."""

    meetings: list
    assignments: list
    led: list
    cases: list
    activities: list
    hours: list


def _meetings(adviser_id: int, first: date, last: date) -> list:
    rows = db.session.execute(
        select(Meeting.id, Meeting.title, Meeting.starts_at, Invitation.mark)
        .join(Invitation, Invitation.meeting_id == Meeting.id)
        .where(Invitation.adviser_id == adviser_id, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at)
    )
    found = []
    for meeting_id, title, starts_at, mark in rows:
        day = starts_at.astimezone(TIMEZONE).date()
        if first <= day <= last:
            found.append((meeting_id, title, day, mark))
    return found


def _assignments(adviser_id: int, first: date, last: date) -> list:
    return list(
        db.session.execute(
            select(Assignment, Matter.title, Matter.reference)
            .join(Matter, Matter.id == Assignment.matter_id)
            .where(
                Assignment.adviser_id == adviser_id,
                Assignment.assigned_on.between(first, last),
                Assignment.status != AssignmentStatus.WITHDRAWN,
                Matter.voided_at.is_(None),
            )
            .order_by(Assignment.assigned_on, Assignment.id)
        )
    )


def _led(adviser_id: int, first: date, last: date) -> list:
    facts = opinion_facts(first, last)
    rows = db.session.execute(
        select(Matter, facts.c.first_signed, facts.c.delivered_on, facts.c.adoption)
        .join(Assignment, Assignment.matter_id == Matter.id)
        .outerjoin(facts, facts.c.matter_id == Matter.id)
        .where(
            Assignment.adviser_id == adviser_id,
            Assignment.role == AssignmentRole.LEAD,
            Assignment.status == AssignmentStatus.ACCEPTED,
            Matter.received_on.between(first, last),
        )
        .order_by(Matter.received_on, Matter.id)
    )
    return [
        (matter, signed, delivered, Adoption(adoption) if adoption else None)
        for matter, signed, delivered, adoption in rows
    ]


def _cases(adviser_id: int, first: date, last: date) -> list:
    return list(
        db.session.scalars(
            select(Case)
            .join(CaseMember, CaseMember.case_id == Case.id)
            .where(
                CaseMember.adviser_id == adviser_id,
                CaseMember.status != MemberStatus.REPLACED,
                Case.registered_on <= last,
                Case.closed_on.is_(None) | (Case.closed_on >= first),
            )
            .options(selectinload(Case.stages))
            .distinct()
            .order_by(Case.registered_on, Case.id)
        )
    )


def _activities(adviser_id: int, first: date, last: date) -> list:
    return list(
        db.session.scalars(
            select(Activity)
            .join(activity_adviser, activity_adviser.c.activity_id == Activity.id)
            .where(
                activity_adviser.c.adviser_id == adviser_id,
                Activity.held_on.between(first, last),
            )
            .order_by(Activity.held_on, Activity.id)
        )
    )


def _hours(adviser_id: int, first: date, last: date) -> list:
    return list(
        db.session.execute(
            select(Matter.id, Matter.title, func.sum(WorkLog.hours))
            .join(WorkLog, WorkLog.matter_id == Matter.id)
            .where(WorkLog.adviser_id == adviser_id, WorkLog.worked_on.between(first, last))
            .group_by(Matter.id, Matter.title)
            .order_by(Matter.id)
        )
    )


def evidence_records(adviser_id: int, year: int) -> EvidenceRecords:
    """Six queries, each the records behind a group of figures."""
    first, last = year_bounds(year)
    return EvidenceRecords(
        meetings=_meetings(adviser_id, first, last),
        assignments=_assignments(adviser_id, first, last),
        led=_led(adviser_id, first, last),
        cases=_cases(adviser_id, first, last),
        activities=_activities(adviser_id, first, last),
        hours=_hours(adviser_id, first, last),
    )


def scheme_versions() -> list[SchemeVersion]:
    stmt = select(SchemeVersion).options(selectinload(SchemeVersion.created_by))
    return list(db.session.scalars(stmt.order_by(SchemeVersion.id.desc())))


def final_evaluations(adviser_id: int) -> list[AnnualEvaluation]:
    """An adviser's final evaluations, the latest year first (drafts are the office's)."""
    return list(
        db.session.scalars(
            select(AnnualEvaluation)
            .where(
                AnnualEvaluation.adviser_id == adviser_id,
                AnnualEvaluation.status == EvaluationStatus.FINAL,
            )
            .options(selectinload(AnnualEvaluation.scheme_version))
            .order_by(AnnualEvaluation.year.desc())
        )
    )


def latest_evaluation(adviser_id: int) -> AnnualEvaluation | None:
    """The adviser's evaluation of the latest year, final or a draft."""
    return db.session.scalar(
        select(AnnualEvaluation)
        .where(AnnualEvaluation.adviser_id == adviser_id)
        .order_by(AnnualEvaluation.year.desc())
        .limit(1)
    )


def reviews_to_answer() -> tuple[int, int | None]:
    """How many requests for a review the office has not answered, and the earliest year."""
    count, year = db.session.execute(
        select(func.count(), func.min(AnnualEvaluation.year)).where(
            AnnualEvaluation.review_requested_at.is_not(None),
            AnnualEvaluation.review_answered_at.is_(None),
        )
    ).one()
    return count, year


def evaluations_of(adviser_id: int) -> list[AnnualEvaluation]:
    """All of an adviser's evaluations, drafts too, the latest year first."""
    return list(
        db.session.scalars(
            select(AnnualEvaluation)
            .where(AnnualEvaluation.adviser_id == adviser_id)
            .order_by(AnnualEvaluation.year.desc())
        )
    )
