"""The demo's yearly evaluations: last year's, graded from the evidence and made final, so the
demo adviser can read theirs, comment on it and ask for a review within the scheme's days; this
year's are left for the office to do."""

from __future__ import annotations

from datetime import date

from advisers.models import Adviser
from core.extensions import db
from core.models import User
from evaluation import annual
from evaluation.evidence import YearEvidence
from evaluation.models import GradeLabel


def _assessment(year: int, evidence: YearEvidence) -> str:
    delivered, hours = (evidence.work.delivered, evidence.work.hours) if evidence.work else (0, 0)
    return (
        f"{year}年度出席顾问团会议{evidence.present}次，"
        f"受指派事项{evidence.answers.assigned}件、接受{evidence.answers.accepted}件，"
        f"牵头出具法律意见{delivered}件，记录工作{hours}小时。"
        "履职情况良好，能够按要求参与政府法律事务。"
    )


def _demo_grade(suggested: GradeLabel | None) -> GradeLabel:
    """The grade the evidence earns, never 不称职 in the demo (that raises a dismissal case)."""
    if suggested in (None, GradeLabel.INCOMPETENT):
        return GradeLabel.COMPETENT if suggested is None else GradeLabel.BASIC
    return suggested


def load_evaluations(actor: User, today: date) -> None:
    """Grade and make final every evaluation of last year."""
    year = today.year - 1
    scheme = annual.current_scheme()
    for adviser_id, evidence in sorted(annual.evidence_for(year).items()):
        adviser = db.session.get(Adviser, adviser_id)
        _score, suggested = annual.suggestion(evidence, scheme)
        annual.save_evaluation(
            actor,
            adviser,
            year=year,
            grade=_demo_grade(suggested),
            assessment=_assessment(year, evidence),
        )
        annual.finalise_evaluation(actor, adviser, year=year)
