"""After an evaluation is final: the adviser's comment, their request for a review within the
scheme's days to ask, and the office's answer, which keeps or changes the grade."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from advisers.queries import accounts_of
from core.errors import DomainError
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import Role, User, utcnow
from core.notify import notify, path_for, users_with_roles
from core.policy import service
from evaluation import services as dismissal
from evaluation.models import AnnualEvaluation, GradeLabel
from evaluation.policy import EVALUATE, RESPOND

#: the shortest reason for a review, and the shortest answer to one
MIN_TEXT = 10


def review_last_day(evaluation: AnnualEvaluation) -> date:
    """The last day the adviser may ask for a review: the scheme's days after it was final."""
    final_day = evaluation.finalised_at.astimezone(TIMEZONE).date()
    return final_day + timedelta(days=evaluation.scheme_version.review_days)


def may_ask_review(evaluation: AnnualEvaluation, day: date | None = None) -> bool:
    return (
        evaluation.is_final
        and evaluation.review_requested_at is None
        and (day or today()) <= review_last_day(evaluation)
    )


def _require_final(evaluation: AnnualEvaluation) -> None:
    if not evaluation.is_final:
        raise DomainError(_("This evaluation is not final yet."))


def _long_enough(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        raise DomainError(message % {"n": MIN_TEXT}, field=field)
    return text


@service(RESPOND)
def comment_on_evaluation(actor: User, evaluation: AnnualEvaluation, *, comment: str) -> None:
    """Keep the adviser's comment beside the office's assessment; a new one replaces it."""
    _require_final(evaluation)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Write your comment."), field="comment")
    evaluation.comment, evaluation.commented_at = comment, utcnow()
    db.session.flush()


@service(RESPOND)
def request_review(actor: User, evaluation: AnnualEvaluation, *, reason: str) -> None:
    """Ask the office to look at the grade again, once, within the days the scheme gives."""
    _require_final(evaluation)
    if evaluation.review_requested_at is not None:
        raise DomainError(_("A review has been asked for already."))
    if today() > review_last_day(evaluation):
        raise DomainError(
            _(
                "The days to ask for a review ended on %(day)s.",
                day=review_last_day(evaluation).isoformat(),
            )
        )
    evaluation.review_reason = _long_enough(
        reason,
        "reason",
        _("Say why the grade should be looked at again (at least %(n)d characters)."),
    )
    evaluation.review_requested_at = utcnow()
    db.session.flush()

    def render():
        return (
            _(
                "Review asked for: %(name)s, %(year)d",
                name=evaluation.adviser.name,
                year=evaluation.year,
            ),
            evaluation.review_reason,
        )

    notify(
        users_with_roles(Role.OFFICE),
        render,
        link=_page(evaluation),
        key=f"review-asked:{evaluation.id}",
    )


@service(EVALUATE)
def answer_review(
    actor: User, evaluation: AnnualEvaluation, *, answer: str, grade: GradeLabel | None
) -> None:
    """Answer the adviser's request: the grade stands or changes, and the old one is kept.
    A grade changed to 不称职 raises a dismissal case; one changed from it lets its case lapse."""
    if not evaluation.review_pending:
        raise DomainError(_("There is no request for a review to answer."))
    if grade is None:
        raise DomainError(_("Choose a grade."), field="grade")
    evaluation.review_answer = _long_enough(
        answer, "answer", _("Write the office's answer (at least %(n)d characters).")
    )
    evaluation.review_answered_at, evaluation.review_answered_by_id = utcnow(), actor.id
    before = evaluation.grade
    if grade is not before:
        evaluation.grade_before_review, evaluation.grade = before, grade
    db.session.flush()
    follow_grade(evaluation, before)

    def render():
        return (
            _("Your review for %(year)d is answered", year=evaluation.year),
            _("Grade: %(grade)s", grade=evaluation.grade.label) + "\n" + evaluation.review_answer,
        )

    notify(
        accounts_of([evaluation.adviser]),
        render,
        link=_own_page(evaluation),
        key=f"review-answered:{evaluation.id}",
    )


def follow_grade(evaluation: AnnualEvaluation, before: GradeLabel | None) -> None:
    """Raise a dismissal case for a final 不称职, or let one lapse when the grade left it."""
    if evaluation.grade is GradeLabel.INCOMPETENT:
        dismissal.raise_for_grade(
            evaluation.adviser, year=evaluation.year, evaluation_id=evaluation.id, day=today()
        )
    elif before is GradeLabel.INCOMPETENT:
        dismissal.lapse_grade_case(evaluation.adviser, year=evaluation.year)


def tell_adviser_final(evaluation: AnnualEvaluation) -> None:
    """The adviser learns the grade and until when they may ask for a review."""

    def render():
        return (
            _("Your evaluation for %(year)d is final", year=evaluation.year),
            _(
                "Grade: %(grade)s. You may comment on it, and ask for a review until %(day)s.",
                grade=evaluation.grade.label,
                day=review_last_day(evaluation).isoformat(),
            ),
        )

    notify(
        accounts_of([evaluation.adviser]),
        render,
        link=_own_page(evaluation),
        key=f"evaluation-final:{evaluation.id}",
    )


def _page(evaluation: AnnualEvaluation) -> str:
    return path_for("evaluation.evaluation", year=evaluation.year, adviser_id=evaluation.adviser_id)


def _own_page(evaluation: AnnualEvaluation) -> str:
    return path_for("evaluation.own_evaluation", year=evaluation.year)
