"""How the dismissal rule and its cases read in the audit trail."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from advisers.models import Adviser
from core.audit import Page, describe
from evaluation.models import (
    AnnualEvaluation,
    CandidateStatus,
    DismissalCandidate,
    DismissalRuleVersion,
    EvaluationStatus,
    SchemeVersion,
)
from evaluation.rules import Reason


def _candidate_names():
    return select(DismissalCandidate.id, Adviser.name).join(
        Adviser, Adviser.id == DismissalCandidate.adviser_id
    )


def _reasons(codes: str) -> str:
    """The grounds a case was raised on, in words."""
    words = {
        Reason.CONSECUTIVE.value: _("consecutive absences without excuse"),
        Reason.LOW_RATE.value: _("attendance rate below the threshold"),
        Reason.IGNORED.value: _("matters declined or left unanswered"),
        Reason.INCOMPETENT.value: _("graded 不称职 in the yearly evaluation"),
    }
    return "; ".join(words.get(code, code) for code in codes.split(",") if code)


def _rule_version_name(shown) -> str:
    return _("version %(number)s", number=shown["id"])


def register() -> None:
    """Describe the dismissal rule's versions and the cases it raises."""
    describe(
        DismissalRuleVersion,
        _l("Dismissal rule"),
        display_name=_rule_version_name,
        fields={
            "consecutive_absences": _l("Consecutive unexcused absences"),
            "min_rate": _l("Lowest attendance rate (%)"),
            "window_months": _l("Window for the rate (months)"),
            "min_meetings": _l("Meetings needed in the window to judge the rate"),
            "ignored_matters": _l("Matters declined or left unanswered in the window"),
            "answer_days": _l("Days to answer an assignment"),
            "created_at": _l("Created at"),
            "created_by_id": _l("Changed by"),
        },
        page=Page("evaluation.rule"),
    )
    describe(
        DismissalCandidate,
        _l("Dismissal case"),
        names=_candidate_names,
        display_name=lambda shown: shown["adviser_id"],
        fields={
            "adviser_id": _l("Adviser"),
            "term_id": _l("Term"),
            "rule_version_id": _l("Dismissal rule"),
            "reasons": _l("Grounds for dismissal"),
            "evidence": _l("Evidence"),
            "status": _l("Status"),
            "raised_on": _l("Raised on"),
            "decided_at": _l("Decided at"),
            "decided_by_id": _l("Decided by"),
            "decision_note": _l("Reason for the decision"),
        },
        formats={"reasons": _reasons},
        quiet=frozenset({"id", "version", "evidence_key"}),
        parent="adviser_id",
        page=Page("evaluation.decide_candidate", "candidate_id"),
        phrases={"create": _l("raised %(adviser_id)s as a dismissal candidate (%(reasons)s)")},
        transitions={
            (
                "status",
                CandidateStatus.DISMISSED.value,
            ): _l("decided to dismiss %(adviser_id)s: %(decision_note)s"),
            (
                "status",
                CandidateStatus.WAIVED.value,
            ): _l("decided to keep %(adviser_id)s: %(decision_note)s"),
            (
                "status",
                CandidateStatus.LAPSED.value,
            ): _l("closed the dismissal case of %(adviser_id)s: it no longer applies"),
        },
    )


def register_evaluations() -> None:
    """Describe the evaluation scheme's versions and the yearly evaluations."""
    describe(
        SchemeVersion,
        _l("Evaluation scheme"),
        display_name=_rule_version_name,
        fields={
            "attendance": _l("Weight of attendance (%)"),
            "answered": _l("Weight of assignments accepted (%)"),
            "on_time": _l("Weight of opinions on time (%)"),
            "adoption": _l("Weight of opinions adopted (%)"),
            "excellent": _l("Lowest score for 优秀"),
            "competent": _l("Lowest score for 称职"),
            "basic": _l("Lowest score for 基本称职"),
            "review_days": _l("Days to ask for a review"),
            "created_at": _l("Created at"),
            "created_by_id": _l("Changed by"),
        },
        page=Page("evaluation.scheme"),
    )
    describe(
        AnnualEvaluation,
        _l("Yearly evaluation"),
        display_name=lambda shown: f"{shown['adviser_id']} {shown['year']}",
        fields={
            "adviser_id": _l("Adviser"),
            "year": _l("Year"),
            "scheme_version_id": _l("Evaluation scheme"),
            "status": _l("Status"),
            "score": _l("Score"),
            "suggested": _l("Grade the score earns"),
            "grade": _l("Grade"),
            "assessment": _l("The office's assessment"),
            "evidence": _l("Evidence"),
            "finalised_at": _l("Made final"),
            "finalised_by_id": _l("Made final by"),
            "early_reason": _l("Why before the year was over"),
            "comment": _l("The adviser's comment"),
            "commented_at": _l("Commented at"),
            "review_reason": _l("Why the adviser asks for a review"),
            "review_requested_at": _l("Review asked for at"),
            "review_answer": _l("The office's answer to the review"),
            "review_answered_at": _l("Review answered at"),
            "review_answered_by_id": _l("Review answered by"),
            "grade_before_review": _l("Grade before the review"),
        },
        quiet=frozenset({"id", "version"}),
        parent="adviser_id",
        page=Page("advisers.adviser", "adviser_id", "adviser_id"),
        transitions={
            ("status", EvaluationStatus.FINAL.value): _l(
                "made the %(year)s evaluation of %(adviser_id)s final: %(grade)s"
            ),
        },
    )
