"""Pages of a case's hearings: scheduling one, moving it, and recording who appeared for the
government (负责人出庭应诉); the case page's hearings table asks the helpers here."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage

from cases import hearings
from cases.forms import AppearanceForm, HearingEditForm, HearingFields, HearingForm
from cases.models import Appearance, Case, CaseHearing, CaseKind, CaseStage
from cases.policy import MANAGE
from cases.views import bp, case_or_404
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import TIMEZONE
from core.policy import requires
from core.services import check_version


@bp.app_template_global()
def hearing_verdict(case: Case, hearing: CaseHearing) -> hearings.Verdict:
    """The badge of a hearing on the case page."""
    return hearings.verdict(case.kind, hearing.appeared)


@bp.app_template_global()
def hearing_movable(hearing: CaseHearing) -> bool:
    return hearings.why_not_movable(hearing) is None


@bp.app_template_global()
def hearing_recordable(hearing: CaseHearing) -> bool:
    return hearings.why_not_recordable(hearing) is None


def _to_case(case: Case, warning: str | None = None):
    if warning:
        flash(warning, "warning")
    return redirect(url_for("cases.case", case_id=case.id))


def _hearing_or_404(case: Case, hearing_id: int) -> CaseHearing:
    hearing = db.session.get(CaseHearing, hearing_id)
    if hearing is None or hearing.case_id != case.id:
        abort(404)
    return hearing


def _upload(field) -> FileStorage | None:
    data = field.data
    return data if isinstance(data, FileStorage) and data.filename else None


def _stage_choices(case: Case) -> list[tuple[int, str]]:
    return [
        (0, _("— no stage —")),
        *((s.id, " · ".join(filter(None, [s.kind.label, s.case_number]))) for s in case.stages),
    ]


def _hearing_form(form_class, case: Case, **kwargs) -> HearingFields:
    form = form_class(**kwargs)
    form.stage_id.choices = _stage_choices(case)
    return form


def _hearing_fields(form: HearingFields) -> dict:
    return {
        "stage": db.session.get(CaseStage, form.stage_id.data) if form.stage_id.data else None,
        "starts_at": form.starts_at.data.replace(tzinfo=TIMEZONE),
        "place": form.place.data or "",
        "notice_received_on": form.notice_received_on.data,
        "notice": _upload(form.notice),
    }


def _render_hearing_form(form, case: Case, hearing: CaseHearing | None):
    return render_form("cases/hearing_form.html", form=form, case=case, hearing=hearing)


@bp.route("/<int:case_id>/hearings/new", methods=["GET", "POST"])
@requires(MANAGE)
def add_hearing(case_id: int):
    case = case_or_404(case_id)
    if request.method == "GET" and not case.is_open:
        return _to_case(case, _("A closed case cannot be changed."))
    form = _hearing_form(HearingForm, case)
    if request.method == "GET" and case.stages:
        form.stage_id.data = case.stages[-1].id
    response = submit(
        form,
        lambda: hearings.schedule_hearing(current_user, case, **_hearing_fields(form)),
        _("Hearing scheduled; the department, the lawyer team and the office are told."),
        url_for("cases.case", case_id=case.id),
    )
    return response or _render_hearing_form(form, case, None)


@bp.route("/<int:case_id>/hearings/<int:hearing_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_hearing(case_id: int, hearing_id: int):
    case = case_or_404(case_id)
    hearing = _hearing_or_404(case, hearing_id)
    refusal = hearings.why_not_movable(hearing)
    if request.method == "GET" and refusal:
        return _to_case(case, refusal)
    form = _hearing_form(HearingEditForm, case, obj=hearing)
    if request.method == "GET":
        form.starts_at.data = hearing.starts_at.astimezone(TIMEZONE).replace(tzinfo=None)
        form.stage_id.data = hearing.stage_id or 0

    def save():
        check_version(hearing, form.version.data)
        return hearings.update_hearing(current_user, hearing, **_hearing_fields(form))

    response = submit(form, save, _("Hearing saved."), url_for("cases.case", case_id=case.id))
    return response or _render_hearing_form(form, case, hearing)


def _appearance_choices(case: Case) -> list[tuple[str, str]]:
    """Who may have appeared, the department's heads named beside their posts."""
    department = case.department
    names = {
        Appearance.PRINCIPAL_HEAD: department.principal_head if department else None,
        Appearance.DEPUTY_HEAD: department.deputy_head if department else None,
    }
    return [
        ("", _("— choose —")),
        *(
            (
                member.value,
                f"{member.label} ({names[member]})" if names.get(member) else member.label,
            )
            for member in Appearance
        ),
    ]


def _appearance_fields(form: AppearanceForm) -> dict:
    return {
        "appeared": Appearance(form.appeared.data),
        "appeared_name": form.appeared_name.data or "",
        "absence_reason": form.absence_reason.data or "",
        "absence_proof": _upload(form.absence_proof),
        "lawyers": form.lawyers.data or "",
        "notes": form.notes.data or "",
    }


@bp.route("/<int:case_id>/hearings/<int:hearing_id>/appearance", methods=["GET", "POST"])
@requires(MANAGE)
def record_appearance(case_id: int, hearing_id: int):
    case = case_or_404(case_id)
    hearing = _hearing_or_404(case, hearing_id)
    refusal = hearings.why_not_recordable(hearing)
    if request.method == "GET" and refusal:
        return _to_case(case, refusal)
    form = AppearanceForm(obj=hearing)
    form.appeared.choices = _appearance_choices(case)
    if request.method == "GET":
        form.appeared.data = hearing.appeared.value if hearing.appeared else ""

    def save():
        check_version(hearing, form.version.data)
        return hearings.record_appearance(current_user, hearing, **_appearance_fields(form))

    response = submit(form, save, _("Appearance recorded."), url_for("cases.case", case_id=case.id))
    return response or render_form(
        "cases/appearance_form.html",
        form=form,
        case=case,
        hearing=hearing,
        administrative=case.kind is CaseKind.ADMINISTRATIVE,
    )
