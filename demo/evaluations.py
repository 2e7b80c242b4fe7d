"""The demo's yearly evaluations and rewards: last year's evaluations, graded from the evidence
and made final, so the demo adviser can read theirs, comment on it and ask for a review within
the scheme's days (this year's are left for the office to do); last year's reward fund with one
reward paid and one approved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from advisers.models import Adviser
from core.extensions import db
from core.models import User
from evaluation import annual
from evaluation.evidence import YearEvidence
from evaluation.models import GradeLabel
from evaluation.rewards import services


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


def load_rewards(actor: User, today: date) -> None:
    """Last year's fund; the demo adviser's reward approved and paid, another approved and
    waiting for its payment, and the rest of the fund still to allocate."""
    year = today.year - 1
    services.set_fund(actor, year=year, amount="50000", note="区财政法律顾问奖励经费")
    served = services.served_in(year)
    chosen = sorted(served.values(), key=lambda e: (e.adviser_id != _demo_adviser_id(), e.name))[:2]
    for evidence, amount, paid in zip(chosen, ("8000", "5000"), (True, False), strict=True):
        adviser = db.session.get(Adviser, evidence.adviser_id)
        nomination = services.nominate(
            actor, adviser, year=year, justification=services.draft_justification(evidence)
        )
        services.approve(actor, nomination, approved_on=today, doc_no=f"江府函〔{today.year}〕88号")
        services.allocate(actor, nomination, amount=amount)
        if paid:
            services.pay(actor, nomination, paid_on=today, reference=f"财政支付凭证{year}-0017")


def _demo_adviser_id() -> int | None:
    return db.session.scalar(select(Adviser.id).where(Adviser.user_id.is_not(None)).limit(1))
