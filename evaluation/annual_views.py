"""The yearly evaluation's pages: the year's list, an adviser's evidence and evaluation, and
the scheme. Thin: load, check, call one service, redirect."""

from __future__ import annotations

from flask import abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advisers.models import Adviser
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import today
from core.listing import choice_arg, int_arg, paginate_list
from core.policy import requires
from evaluation import annual, reviews
from evaluation import annual_queries as queries
from evaluation.forms import EvaluationForm, FinaliseForm, ReviewAnswerForm, SchemeForm
from evaluation.models import AnnualEvaluation, GradeLabel
from evaluation.policy import EVALUATE, READ, SET_SCHEME
from evaluation.views import bp, setting_values


def _year() -> int:
    return int_arg("year", 2000, 2100) or today().year


@bp.route("/evaluations")
@requires(READ)
def evaluations():
    year = _year()
    status = choice_arg("status", {"todo", "draft", "final", "review"})
    rows = queries.evaluation_rows(year, annual.evidence_for(year), annual.current_scheme())
    if status:
        rows = [row for row in rows if row.shown_by(status)]
    return render_template(
        "evaluation/evaluations.html",
        year=year,
        status=status,
        page=paginate_list(rows),
        scheme=annual.current_scheme(),
    )


def _evaluation_page(adviser: Adviser, year: int, form, finalise_form, answer_form=None):
    evidence = annual.evidence_for(year).get(adviser.id)
    if evidence is None:
        abort(404)
    evaluation = annual.evaluation_of(adviser, year)
    scheme = evaluation.scheme_version if evaluation else annual.current_scheme()
    if evaluation is not None and evaluation.is_final:  # as it stood when made final
        score, suggested = evaluation.score, evaluation.suggested
    else:
        score, suggested = annual.suggestion(evidence, scheme)
    return render_form(
        "evaluation/evaluation.html",
        adviser=adviser,
        year=year,
        evidence=evidence,
        records=queries.evidence_records(adviser.id, year),
        evaluation=evaluation,
        scheme=scheme,
        score=score,
        suggested=suggested,
        form=form,
        finalise_form=finalise_form,
        answer_form=answer_form or _answer_form(evaluation),
        year_over=annual.year_is_over(year),
    )


def _grade_choices(field) -> None:
    field.choices = [("", _("Choose…"))] + [(g.value, g.label) for g in GradeLabel]


def _answer_form(current: AnnualEvaluation | None) -> ReviewAnswerForm:
    form = ReviewAnswerForm(grade=current.grade.value if current else None)
    _grade_choices(form.grade)
    return form


def _evaluation_form(current: AnnualEvaluation | None) -> EvaluationForm:
    form = EvaluationForm(obj=current)
    _grade_choices(form.grade)
    return form


@bp.route("/evaluations/<int:year>/<int:adviser_id>")
@requires(READ)
def evaluation(year: int, adviser_id: int):
    adviser = db.get_or_404(Adviser, adviser_id)
    form = _evaluation_form(annual.evaluation_of(adviser, year))
    return _evaluation_page(adviser, year, form, FinaliseForm())


@bp.route("/evaluations/<int:year>/<int:adviser_id>", methods=["POST"])
@requires(EVALUATE)
def save_evaluation(year: int, adviser_id: int):
    adviser = db.get_or_404(Adviser, adviser_id)
    current = annual.evaluation_of(adviser, year)
    form = _evaluation_form(current)
    if _refused_as_final(current):
        return _evaluation_page(adviser, year, form, FinaliseForm())
    response = submit(
        form,
        lambda: annual.save_evaluation(
            current_user,
            adviser,
            year=year,
            grade=GradeLabel(form.grade.data) if form.grade.data else None,
            assessment=form.assessment.data,
        ),
        _("Evaluation saved as a draft."),
        url_for("evaluation.evaluation", year=year, adviser_id=adviser.id),
    )
    return response or _evaluation_page(adviser, year, form, FinaliseForm())


@bp.route("/evaluations/<int:year>/<int:adviser_id>/final", methods=["POST"])
@requires(EVALUATE)
def finalise(year: int, adviser_id: int):
    adviser = db.get_or_404(Adviser, adviser_id)
    form = FinaliseForm()
    current = annual.evaluation_of(adviser, year)
    if _refused_as_final(current):
        return _evaluation_page(adviser, year, _evaluation_form(current), form)
    response = submit(
        form,
        lambda: annual.finalise_evaluation(
            current_user, adviser, year=year, early_reason=form.early_reason.data
        ),
        _("The evaluation is final."),
        url_for("evaluation.evaluation", year=year, adviser_id=adviser.id),
    )
    return response or _evaluation_page(adviser, year, _evaluation_form(current), form)


def _refused_as_final(current: AnnualEvaluation | None) -> bool:
    """A final evaluation shows no forms: say so above the page instead of beside a field."""
    if current is not None and current.is_final:
        flash(_("This evaluation is final and cannot be changed."), "danger")
        return True
    return False


@bp.route("/evaluations/<int:year>/<int:adviser_id>/review", methods=["POST"])
@requires(EVALUATE)
def answer_review(year: int, adviser_id: int):
    adviser = db.get_or_404(Adviser, adviser_id)
    current = annual.evaluation_of(adviser, year)
    form = _answer_form(current)
    if current is None or not current.review_pending:
        flash(_("There is no request for a review to answer."), "danger")
        return _evaluation_page(adviser, year, _evaluation_form(current), FinaliseForm(), form)
    response = submit(
        form,
        lambda: reviews.answer_review(
            current_user,
            current,
            answer=form.answer.data,
            grade=GradeLabel(form.grade.data) if form.grade.data else None,
        ),
        _("The review is answered and the adviser told."),
        url_for("evaluation.evaluation", year=year, adviser_id=adviser.id),
    )
    return response or _evaluation_page(
        adviser, year, _evaluation_form(current), FinaliseForm(), form
    )


def _scheme_page(form: SchemeForm):
    return render_form("evaluation/scheme.html", form=form, versions=queries.scheme_versions())


@bp.route("/evaluations/scheme")
@requires(READ)
def scheme():
    return _scheme_page(SchemeForm(obj=annual.current_scheme()))


@bp.route("/evaluations/scheme", methods=["POST"])
@requires(SET_SCHEME)
def change_scheme():
    form = SchemeForm()
    response = submit(
        form,
        lambda: annual.change_scheme(current_user, **setting_values(form)),
        _("The scheme is saved as a new version."),
        url_for("evaluation.scheme"),
    )
    return response or _scheme_page(form)
