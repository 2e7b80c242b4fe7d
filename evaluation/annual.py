"""The yearly evaluation (年度履职评价): the scheme the office sets, and each adviser's
evaluation from the evidence to a grade the office gives and makes final."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from advisers.models import Adviser
from core.errors import DomainError, Problem
from core.extensions import db
from core.i18n import today
from core.models import User, utcnow
from core.policy import service
from evaluation import grading, reviews
from evaluation.evidence import YearEvidence, year_evidence
from evaluation.models import (
    SCHEME_FIELDS,
    AnnualEvaluation,
    EvaluationStatus,
    GradeLabel,
    SchemeVersion,
)
from evaluation.policy import EVALUATE, SET_SCHEME
from evaluation.services import current_rule_version

#: days an adviser has to ask for a review, until the office sets its own
REVIEW_DAYS = 15
#: the shortest explanation for making a year's evaluation final before the year is over
MIN_REASON = 10


def current_scheme() -> SchemeVersion:
    """The scheme in force: the latest version, or the defaults before any is stored."""
    version = db.session.scalar(select(SchemeVersion).order_by(SchemeVersion.id.desc()).limit(1))
    if version is not None:
        return version
    default = grading.Scheme()
    return SchemeVersion(
        review_days=REVIEW_DAYS, **{name: getattr(default, name) for name in SCHEME_FIELDS}
    )


def _stored_scheme() -> SchemeVersion:
    version = current_scheme()
    if version.id is None:
        db.session.add(version)
        db.session.flush()
    return version


def _scheme_message(problem: grading.SchemeProblem) -> str:
    return {
        grading.SchemeProblem.WEIGHT_RANGE: _("Enter a weight from 0 to 100."),
        grading.SchemeProblem.WEIGHTS_TOTAL: _("The four weights must add up to 100."),
        grading.SchemeProblem.THRESHOLD_RANGE: _("Enter a score from 1 to 100."),
        grading.SchemeProblem.THRESHOLD_ORDER: _(
            "Each grade needs a higher score than the one below it: 优秀 above 称职 above 基本称职."
        ),
    }[problem]


def _whole(values: dict, name: str, current: SchemeVersion) -> int | None:
    raw = str(values.get(name, getattr(current, name))).strip()
    return int(raw) if raw.isdigit() else None


@service(SET_SCHEME)
def change_scheme(actor: User, **values: str) -> SchemeVersion:
    """Store new weights and thresholds as a new version; a part not given keeps its value."""
    current = current_scheme()
    numbers = {name: _whole(values, name, current) for name in (*SCHEME_FIELDS, "review_days")}
    problems = [
        Problem(name, _("Enter a whole number.")) for name, n in numbers.items() if n is None
    ]
    if not problems and not 1 <= numbers["review_days"] <= 90:
        problems.append(Problem("review_days", _("Enter a number of days from 1 to 90.")))
    if not problems:
        scheme = grading.Scheme(**{name: numbers[name] for name in SCHEME_FIELDS})
        problems = [
            Problem(field, _scheme_message(problem))
            for field, problem in grading.scheme_problems(scheme)
        ]
    if problems:
        raise DomainError(problems=problems)
    version = SchemeVersion(created_by_id=actor.id, **numbers)
    db.session.add(version)
    db.session.flush()
    return version


def evidence_for(year: int) -> dict[int, YearEvidence]:
    """Every adviser's evidence for the year, as the dismissal rule reads unanswered matters."""
    return year_evidence(year, today(), current_rule_version().answer_days)


def suggestion(evidence: YearEvidence, scheme: SchemeVersion):
    """(score, grade) the evidence earns under the scheme."""
    value = grading.score(evidence.rates(), scheme.as_scheme())
    found = grading.grade_for(value, scheme.as_scheme())
    return grading.shown(value), GradeLabel(found.value) if found else None


def evaluation_of(adviser: Adviser, year: int) -> AnnualEvaluation | None:
    return db.session.scalar(
        select(AnnualEvaluation).where(
            AnnualEvaluation.adviser_id == adviser.id, AnnualEvaluation.year == year
        )
    )


def _check_open(evaluation: AnnualEvaluation | None) -> None:
    if evaluation is not None and evaluation.is_final:
        raise DomainError(_("This evaluation is final and cannot be changed."))


def _check_text(grade: GradeLabel | None, assessment: str) -> list[Problem]:
    problems = []
    if grade is None:
        problems.append(Problem("grade", _("Choose a grade.")))
    if not assessment:
        problems.append(Problem("assessment", _("Write the office's assessment.")))
    return problems


@service(EVALUATE)
def save_evaluation(
    actor: User, adviser: Adviser, *, year: int, grade: GradeLabel | None, assessment: str
) -> AnnualEvaluation:
    """Keep the office's grade and assessment as a draft, under the scheme in force."""
    evaluation = evaluation_of(adviser, year)
    _check_open(evaluation)
    assessment = (assessment or "").strip()
    evidence = evidence_for(year).get(adviser.id)
    problems = _check_text(grade, assessment)
    if evidence is None:
        problems.insert(
            0, Problem(None, _("%(name)s did not serve in %(year)d.", name=adviser.name, year=year))
        )
    if problems:
        raise DomainError(problems=problems)
    scheme = _stored_scheme()
    score, suggested = suggestion(evidence, scheme)
    if evaluation is None:
        evaluation = AnnualEvaluation(adviser=adviser, year=year)
        db.session.add(evaluation)
    evaluation.scheme_version_id = scheme.id
    evaluation.score, evaluation.suggested = score, suggested
    evaluation.grade, evaluation.assessment = grade, assessment
    db.session.flush()
    return evaluation


def year_is_over(year: int, day: date | None = None) -> bool:
    return (day or today()).year > year


@service(EVALUATE)
def finalise_evaluation(
    actor: User, adviser: Adviser, *, year: int, early_reason: str = ""
) -> AnnualEvaluation:
    """Make the adviser's evaluation for the year final with the evidence as it stands.
    While the year is still running the office must say why; afterwards nothing changes."""
    evaluation = evaluation_of(adviser, year)
    if evaluation is None:
        raise DomainError(_("Save a grade and the assessment before making it final."))
    _check_open(evaluation)
    reason = (early_reason or "").strip()
    if not year_is_over(evaluation.year) and len(reason) < MIN_REASON:
        raise DomainError(
            _(
                "%(year)d is not over yet: say why this evaluation is made final now "
                "(at least %(n)d characters).",
                year=evaluation.year,
                n=MIN_REASON,
            ),
            field="early_reason",
        )
    evidence = evidence_for(evaluation.year)[evaluation.adviser_id]
    scheme = evaluation.scheme_version
    evaluation.score, evaluation.suggested = suggestion(evidence, scheme)
    evaluation.evidence = evidence.as_dict()
    evaluation.status = EvaluationStatus.FINAL
    evaluation.finalised_at, evaluation.finalised_by_id = utcnow(), actor.id
    evaluation.early_reason = reason if not year_is_over(evaluation.year) else None
    db.session.flush()
    reviews.tell_adviser_final(evaluation)
    reviews.follow_grade(evaluation, None)
    return evaluation
