"""An adviser's own yearly evaluations: the final grade and the office's assessment, their
comment, and their request for a review. Drafts stay with the office."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advisers.queries import adviser_for_user
from core.flow import render_form, submit
from core.policy import check_or_403, requires
from evaluation import annual_queries as queries
from evaluation import reviews
from evaluation.forms import CommentForm, ReviewRequestForm
from evaluation.models import AnnualEvaluation
from evaluation.policy import OWN, RESPOND
from evaluation.views import bp


def _own_evaluation(year: int) -> AnnualEvaluation:
    adviser = adviser_for_user(current_user.id)
    found = next(
        (e for e in queries.final_evaluations(adviser.id) if e.year == year) if adviser else (),
        None,
    )
    if found is None:
        abort(404)
    check_or_403(RESPOND, found)
    return found


@bp.route("/my/evaluations")
@requires(OWN)
def own_evaluations():
    adviser = adviser_for_user(current_user.id)
    if adviser is None:
        return render_template("advisers/not_linked.html")
    return render_template(
        "evaluation/own_evaluations.html",
        evaluations=queries.final_evaluations(adviser.id),
        last_day=reviews.review_last_day,
    )


def _own_page(evaluation: AnnualEvaluation, comment_form=None, review_form=None):
    return render_form(
        "evaluation/own_evaluation.html",
        evaluation=evaluation,
        figures=evaluation.evidence,
        score=evaluation.score,
        suggested=evaluation.suggested,
        comment_form=comment_form or CommentForm(comment=evaluation.comment),
        review_form=review_form or ReviewRequestForm(),
        may_ask=reviews.may_ask_review(evaluation),
        last_day=reviews.review_last_day(evaluation),
    )


@bp.route("/my/evaluations/<int:year>")
@requires(OWN)
def own_evaluation(year: int):
    return _own_page(_own_evaluation(year))


@bp.route("/my/evaluations/<int:year>/comment", methods=["POST"])
@requires(RESPOND)
def comment(year: int):
    evaluation = _own_evaluation(year)
    form = CommentForm()
    response = submit(
        form,
        lambda: reviews.comment_on_evaluation(current_user, evaluation, comment=form.comment.data),
        _("Your comment is saved."),
        url_for("evaluation.own_evaluation", year=year),
    )
    return response or _own_page(evaluation, comment_form=form)


@bp.route("/my/evaluations/<int:year>/review", methods=["POST"])
@requires(RESPOND)
def ask_review(year: int):
    evaluation = _own_evaluation(year)
    form = ReviewRequestForm()
    response = submit(
        form,
        lambda: reviews.request_review(current_user, evaluation, reason=form.reason.data),
        _("Your request for a review is sent to the office."),
        url_for("evaluation.own_evaluation", year=year),
    )
    return response or _own_page(evaluation, review_form=form)
