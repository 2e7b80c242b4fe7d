"""Pages of performing an effective judgment (履行生效判决): recording what it obliges the
government to do and by when, and the day it was performed with its proof."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import performance, queries
from cases.forms import PerformanceForm, PerformedForm
from cases.models import Case, CasePerformance, CaseStage, Obligation, PerformanceStatus
from cases.policy import MANAGE
from cases.views import bp, case_or_404
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import today
from core.policy import requires


def _to_case(case: Case) -> str:
    return url_for("cases.case", case_id=case.id)


def _stage_choices(case: Case) -> list[tuple[int, str]]:
    """Every stage of the case, each saying whether and when it took effect."""
    return [
        (
            stage.id,
            _(
                "%(stage)s · effective on %(day)s",
                stage=stage.kind.label,
                day=stage.effective_on.isoformat(),
            )
            if stage.effective_on
            else _("%(stage)s · not yet effective", stage=stage.kind.label),
        )
        for stage in case.stages
    ]


def _chosen_stage(case: Case, stage_id: int | None) -> CaseStage | None:
    return next((stage for stage in case.stages if stage.id == stage_id), None)


@bp.route("/<int:case_id>/performances/new", methods=["GET", "POST"])
@requires(MANAGE)
def add_performance(case_id: int):
    case = case_or_404(case_id, queries.case_detail)
    if request.method == "GET" and not case.is_open:
        flash(_("A closed case cannot be changed."), "warning")
        return redirect(_to_case(case))
    form = PerformanceForm()
    form.stage_id.choices = _stage_choices(case)
    if request.method == "GET":
        effective = [stage for stage in case.stages if stage.effective_on]
        form.stage_id.data = effective[-1].id if effective else None
    response = submit(
        form,
        lambda: performance.order_performance(
            current_user,
            case,
            stage=_chosen_stage(case, form.stage_id.data),
            obligation=Obligation(form.obligation.data),
            description=form.description.data or "",
            amount=form.yuan(),
            due_on=form.due_on.data,
        ),
        _("The judgment to perform is recorded; the department and the office are told."),
        _to_case(case),
    )
    return response or render_form("cases/performance_form.html", form=form, case=case)


@bp.route("/<int:case_id>/performances/<int:performance_id>/performed", methods=["GET", "POST"])
@requires(MANAGE)
def record_performed(case_id: int, performance_id: int):
    case = case_or_404(case_id)
    item = db.session.get(CasePerformance, performance_id)
    if item is None or item.case_id != case.id:
        abort(404)
    if request.method == "GET" and item.status is PerformanceStatus.PERFORMED:
        flash(_("This is recorded as performed already."), "warning")
        return redirect(_to_case(case))
    form = PerformedForm()
    if request.method == "GET":
        form.performed_on.data = today()
    response = submit(
        form,
        lambda: performance.record_performed(
            current_user,
            item,
            performed_on=form.performed_on.data,
            proof=form.proof.data or "",
            proof_file=form.proof_file.data,
        ),
        _("Recorded as performed."),
        _to_case(case),
    )
    return response or render_form(
        "cases/performed_form.html", form=form, case=case, performance=item
    )
