"""The evidence of a year's service, gathered for every adviser at once: meetings, matters
assigned and how they were answered, opinions, cases, activities and hours. A handful of
GROUP BY queries whatever the size of the panel or the number of records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from cases.models import Case, CaseMember, CaseStage, MemberStatus
from consultations.figures import AdviserRow, adviser_workload
from consultations.models import Assignment, AssignmentStatus, Matter
from core.extensions import db
from evaluation import grading
from meetings.models import AttendanceTally

#: the attendance tally of a whole year (its quarters are 1–4)
WHOLE_YEAR = 0


@dataclass
class Answers:
    """How an adviser answered the assignments made to them in the year."""

    assigned: int = 0
    accepted: int = 0
    declined: int = 0
    #: declined for a declared conflict of interest: the right answer, never held against them
    conflicts: int = 0
    #: still unanswered past the days to answer
    unanswered: int = 0

    @property
    def weighed(self) -> int:
        return self.accepted + self.declined + self.unanswered


@dataclass
class YearEvidence:
    """One adviser's year, each figure as the office and the adviser read it."""

    adviser_id: int
    name: str
    year: int
    present: int = 0
    excused: int = 0
    absent: int = 0
    answers: Answers = field(default_factory=Answers)
    work: AdviserRow | None = None
    cases: int = 0
    #: judgments and decisions given in the year on the adviser's cases, by outcome
    outcomes: dict[str, int] = field(default_factory=dict)

    def rates(self) -> dict[str, Decimal | None]:
        """The four rates the scheme weighs, exact."""
        work = self.work or AdviserRow(self.adviser_id, self.name)
        return {
            "attendance": grading.rate(self.present, self.present + self.absent),
            "answered": grading.rate(self.answers.accepted, self.answers.weighed),
            "on_time": grading.rate(work.on_time, work.delivered),
            "adoption": grading.rate(
                work.adoptions.adopted + work.adoptions.partly, work.adoptions.recorded
            ),
        }

    def as_dict(self) -> dict:
        """The figures as stored with a final evaluation, so it reads the same in years."""
        work = self.work or AdviserRow(self.adviser_id, self.name)
        return {
            "present": self.present,
            "excused": self.excused,
            "absent": self.absent,
            "assigned": self.answers.assigned,
            "accepted": self.answers.accepted,
            "declined": self.answers.declined,
            "conflicts": self.answers.conflicts,
            "unanswered": self.answers.unanswered,
            "lead": work.lead,
            "co": work.co,
            "delivered": work.delivered,
            "on_time": work.on_time,
            "adopted": work.adoptions.adopted,
            "partly": work.adoptions.partly,
            "not_adopted": work.adoptions.not_adopted,
            "hours": str(work.hours),
            "activities": work.activities,
            "cases": self.cases,
            "outcomes": dict(self.outcomes),
            "rates": {
                k: None if v is None else str(grading.shown(v)) for k, v in self.rates().items()
            },
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(grading.shown(value))


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _attendance(year: int, evidence: dict[int, YearEvidence]) -> None:
    rows = db.session.execute(
        select(
            AttendanceTally.adviser_id,
            AttendanceTally.present,
            AttendanceTally.excused,
            AttendanceTally.absent,
        ).where(AttendanceTally.year == year, AttendanceTally.quarter == WHOLE_YEAR)
    )
    for adviser_id, present, excused, absent in rows:
        if adviser_id in evidence:
            found = evidence[adviser_id]
            found.present, found.excused, found.absent = present, excused, absent


def _answers(year: int, day: date, answer_days: int, evidence: dict[int, YearEvidence]) -> None:
    first, last = year_bounds(year)
    late = min(day, last) - timedelta(days=answer_days)
    pending = Assignment.status == AssignmentStatus.PENDING
    declined = Assignment.status == AssignmentStatus.DECLINED
    rows = db.session.execute(
        select(
            Assignment.adviser_id,
            func.count(Assignment.id),
            func.count().filter(Assignment.status == AssignmentStatus.ACCEPTED),
            func.count().filter(declined & Assignment.declined_for_conflict.is_(False)),
            func.count().filter(declined & Assignment.declined_for_conflict.is_(True)),
            func.count().filter(pending & (Assignment.assigned_on <= late)),
        )
        .join(Matter, Matter.id == Assignment.matter_id)
        .where(
            Assignment.assigned_on.between(first, last),
            Assignment.status != AssignmentStatus.WITHDRAWN,
            Matter.voided_at.is_(None),
        )
        .group_by(Assignment.adviser_id)
    )
    for adviser_id, *counts in rows:
        if adviser_id in evidence:
            evidence[adviser_id].answers = Answers(*counts)


def _cases(year: int, evidence: dict[int, YearEvidence]) -> None:
    first, last = year_bounds(year)
    on_team = (CaseMember.status != MemberStatus.REPLACED) & (Case.registered_on <= last)
    open_in_year = Case.closed_on.is_(None) | (Case.closed_on >= first)
    counted = db.session.execute(
        select(CaseMember.adviser_id, func.count(func.distinct(Case.id)))
        .join(Case, Case.id == CaseMember.case_id)
        .where(on_team, open_in_year)
        .group_by(CaseMember.adviser_id)
    )
    for adviser_id, cases in counted:
        if adviser_id in evidence:
            evidence[adviser_id].cases = cases
    outcomes = db.session.execute(
        select(CaseMember.adviser_id, CaseStage.outcome, func.count(func.distinct(CaseStage.id)))
        .join(CaseStage, CaseStage.case_id == CaseMember.case_id)
        .where(
            CaseMember.status != MemberStatus.REPLACED,
            CaseStage.outcome.is_not(None),
            CaseStage.judgment_on.between(first, last),
        )
        .group_by(CaseMember.adviser_id, CaseStage.outcome)
    )
    for adviser_id, outcome, count in outcomes:
        if adviser_id in evidence:
            evidence[adviser_id].outcomes[outcome.value] = count


def year_evidence(year: int, day: date, answer_days: int) -> dict[int, YearEvidence]:
    """Every adviser who served in the year (or has work in it), by id, in name order.

    `day` is today: in the year still running, an assignment counts as unanswered only once
    `answer_days` have passed, as the dismissal rule reads it.
    """
    first, last = year_bounds(year)
    evidence = {
        row.id: YearEvidence(row.id, row.name, year, work=row)
        for row in adviser_workload(first, last)
    }
    _attendance(year, evidence)
    _answers(year, day, answer_days, evidence)
    _cases(year, evidence)
    return evidence
