"""Pages of the lawsuits register: the list, a case, registering and correcting it, its stages,
closing it, and its documents."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from advisers.models import Specialty
from cases import deadlines, particulars, queries, services, team
from cases.forms import CaseEditForm, CaseForm, CloseForm, FilesForm, StageForm
from cases.models import (
    Acceptance,
    Case,
    CaseKind,
    CaseStage,
    CaseStatus,
    GovernmentRole,
    Outcome,
    StageKind,
)
from cases.policy import MANAGE, READ, VIEW
from consultations.models import Matter
from consultations.views.common import specialty_choices
from core.errors import BadArgument, DomainError
from core.extensions import db
from core.files import send_stored
from core.flow import render_form, submit
from core.forms import EmptyForm
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate_rows, text_arg
from core.models import Department
from core.policy import check_or_403, requires
from core.services import check_version

bp = Blueprint("cases", __name__, url_prefix="/cases")


def department_choices() -> list[tuple[int, str]]:
    """The district government itself, then the departments in use by name."""
    rows = db.session.execute(
        select(Department.id, Department.name)
        .where(Department.is_active.is_(True))
        .order_by(Department.name)
    )
    return [(0, _("The district government")), *(tuple(row) for row in rows)]


def case_or_404(case_id: int, load=None) -> Case:
    case = (load or (lambda i: db.session.get(Case, i)))(case_id)
    if case is None:
        abort(404)
    return case


def _visible_case(case_id: int) -> Case:
    case = case_or_404(case_id, queries.case_detail)
    check_or_403(VIEW, case)
    return case


def _back_to(case: Case, message: str | None = None):
    if message:
        flash(message, "warning")
    return redirect(url_for("cases.case", case_id=case.id))


def _min_amount():
    text = text_arg("min_wan", 20)
    try:
        return particulars.to_yuan(text, particulars.WAN)
    except particulars.Refused:
        raise BadArgument("min_wan", text) from None


def _filters() -> queries.CaseFilters:
    return queries.CaseFilters(
        kind=choice_arg("kind", CaseKind.values()),
        department_id=int_arg("department"),
        status=choice_arg("status", CaseStatus.values()),
        min_amount=_min_amount(),
        words=text_arg("q", 100),
    )


@bp.route("/")
@requires(READ)
def index():
    filters = _filters()
    search_error, status = None, 200
    try:
        stmt = queries.cases_statement(current_user, filters)
        count = queries.cases_count(current_user, filters)
    except DomainError as error:  # words the search cannot look up: say so beside the box
        search_error, status = error.message, 400
        stmt = queries.cases_statement(current_user, filters, nothing=True)
        count = 0
    stmt, sort = apply_sort(stmt, queries.CASE_SORTS, "-registered")
    # registered the same day: in the order registered, the same way round as the sort
    stmt = stmt.order_by(Case.id.desc() if sort.startswith("-") else Case.id.asc())
    page = paginate_rows(stmt, count=count)
    return render_template(
        "cases/index.html",
        page=page,
        sort=sort,
        filters=filters,
        min_wan=request.args.get("min_wan", "").strip(),
        search_error=search_error,
        next_due=queries.next_deadlines([row.id for row in page.items]),
        kinds=CaseKind,
        statuses=CaseStatus,
        departments=department_choices()[1:],
        today=today(),
    ), status


def _case_fields(form) -> dict:
    return {
        "kind": CaseKind(form.kind.data),
        "case_number": form.case_number.data or "",
        "court": form.court.data,
        "cause": form.cause.data,
        "department": db.session.get(Department, form.department_id.data)
        if form.department_id.data
        else None,
        "specialty": db.session.get(Specialty, form.specialty_id.data)
        if form.specialty_id.data
        else None,
        "government_role": GovernmentRole(form.government_role.data),
        "opposing_parties": form.opposing_parties.data or "",
        "third_parties": form.third_parties.data or "",
        "amount": form.yuan(),
        "filed_on": form.filed_on.data,
        "registered_on": form.registered_on.data,
        "summary": form.summary.data or "",
    }


def _matter_to_convert() -> Matter | None:
    """The dispute matter named by ?matter=, when the case grows out of one."""
    matter_id = int_arg("matter")
    if matter_id is None:
        return None
    matter = db.session.get(Matter, matter_id)
    if matter is None:
        abort(404)
    return matter


def _prefill(form: CaseForm, matter: Matter | None) -> None:
    form.registered_on.data = today()
    if matter is None:
        return
    fields = services.fields_from(matter)
    form.opposing_parties.data = fields["opposing_parties"]
    form.cause.data = fields["cause"]
    form.summary.data = fields["summary"]
    form.department_id.data = matter.department_id


@bp.route("/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_case():
    matter = _matter_to_convert()
    if matter is not None and request.method == "GET":
        try:
            services.check_convertible(matter)
        except DomainError as error:
            flash(error.message, "warning")
            return redirect(url_for("consultations.matter", matter_id=matter.id))
    form = CaseForm()
    form.department_id.choices = department_choices()
    form.specialty_id.choices = specialty_choices()
    if request.method == "GET":
        _prefill(form, matter)

    def save():
        fields = _case_fields(form)
        uploads = [f for f in form.files.data or [] if f and f.filename]
        if matter is not None:
            return services.case_from_matter(current_user, matter, uploads=uploads, **fields)
        return services.register_case(current_user, uploads=uploads, **fields)

    response = submit(
        form,
        save,
        lambda case: _("Case %(reference)s registered.", reference=case.reference),
        lambda case: url_for("cases.case", case_id=case.id),
    )
    return response or render_form("cases/case_form.html", form=form, matter=matter, case=None)


@bp.route("/<int:case_id>")
@requires(VIEW)
def case(case_id: int):
    return render_template(
        "cases/case.html",
        case=_visible_case(case_id),
        today=today(),
        empty_form=EmptyForm(),
        explain=deadlines.explain,
        team_missing=team.missing_labels,
    )


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_case(case_id: int):
    case = case_or_404(case_id, queries.case_detail)
    if request.method == "GET" and not case.is_open:
        return _back_to(case, _("A closed case cannot be changed."))
    form = CaseEditForm(obj=case)
    form.department_id.choices = department_choices()
    form.specialty_id.choices = specialty_choices()
    if request.method == "GET":
        form.department_id.data = case.department_id or 0
        form.specialty_id.data = case.specialty_id or 0
        form.kind.data, form.government_role.data = case.kind.value, case.government_role.value
        form.amount.data = "" if case.amount is None else f"{case.amount:f}"
        form.amount_unit.data = particulars.YUAN

    def save():
        check_version(case, form.version.data)
        return services.update_case(current_user, case, **_case_fields(form))

    response = submit(form, save, _("Case saved."), url_for("cases.case", case_id=case.id))
    return response or render_form("cases/case_form.html", form=form, case=case, matter=None)


def _stage_fields(form: StageForm) -> dict:
    return {
        "kind": StageKind(form.kind.data),
        "case_number": form.case_number.data or "",
        "court": form.court.data or "",
        "filed_on": form.filed_on.data,
        "complaint_served_on": form.complaint_served_on.data,
        "judgment_on": form.judgment_on.data,
        "judgment_served_on": form.judgment_served_on.data,
        "is_ruling": bool(form.is_ruling.data),
        "acceptance": Acceptance(form.acceptance.data) if form.acceptance.data else None,
        "accepted_on": form.accepted_on.data,
        "simplified": bool(form.simplified.data),
        "outcome": Outcome(form.outcome.data) if form.outcome.data else None,
        "effective_on": form.effective_on.data,
        "notes": form.notes.data or "",
    }


@bp.route("/<int:case_id>/stages/new", methods=["GET", "POST"])
@requires(MANAGE)
def add_stage(case_id: int):
    case = case_or_404(case_id, queries.case_detail)
    if request.method == "GET" and not case.is_open:
        return _back_to(case, _("A closed case cannot be changed."))
    form = StageForm()
    if request.method == "GET":
        kinds = services.STAGES[case.kind]
        form.kind.data = kinds[min(len(case.stages), len(kinds) - 1)].value
        form.court.data = case.court if not case.stages else ""
    response = submit(
        form,
        lambda: services.add_stage(current_user, case, **_stage_fields(form)),
        _("Stage recorded."),
        url_for("cases.case", case_id=case.id),
    )
    return response or render_form("cases/stage_form.html", form=form, case=case, stage=None)


@bp.route("/<int:case_id>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_stage(case_id: int, stage_id: int):
    stage = db.session.get(CaseStage, stage_id)
    if stage is None or stage.case_id != case_id:
        abort(404)
    case = stage.case
    if request.method == "GET" and not case.is_open:
        return _back_to(case, _("A closed case cannot be changed."))
    form = StageForm(obj=stage)
    if request.method == "GET":
        form.kind.data = stage.kind.value
        form.outcome.data = stage.outcome.value if stage.outcome else ""
        form.acceptance.data = stage.acceptance.value if stage.acceptance else ""

    def save():
        check_version(stage, form.version.data)
        return services.update_stage(current_user, stage, **_stage_fields(form))

    response = submit(form, save, _("Stage saved."), url_for("cases.case", case_id=case.id))
    return response or render_form("cases/stage_form.html", form=form, case=case, stage=stage)


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@requires(MANAGE)
def close_case(case_id: int):
    case = case_or_404(case_id)
    if request.method == "GET" and not case.is_open:
        return _back_to(case, _("The case is closed already."))
    form = CloseForm()
    if request.method == "GET":
        form.closed_on.data = today()
    response = submit(
        form,
        lambda: services.close_case(current_user, case, closed_on=form.closed_on.data),
        _("Case closed."),
        url_for("cases.case", case_id=case.id),
    )
    return response or render_form(
        "cases/step_form.html", form=form, case=case, title=_("Close the case"), action=_("Close")
    )


@bp.route("/<int:case_id>/files", methods=["GET", "POST"])
@requires(MANAGE)
def add_files(case_id: int):
    case = case_or_404(case_id)
    form = FilesForm()
    response = submit(
        form,
        lambda: services.add_files(current_user, case, [f for f in form.files.data if f]),
        lambda added: _("%(n)d file(s) added.", n=len(added)),
        url_for("cases.case", case_id=case.id),
    )
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("Add documents"),
        action=_("Upload"),
        multipart=True,
    )


@bp.route("/<int:case_id>/files/<int:file_id>")
@requires(VIEW)
def download(case_id: int, file_id: int):
    case = _visible_case(case_id)
    attached = next((f for f in case.files if f.file_id == file_id), None)
    if attached is None:
        abort(404)
    return send_stored(attached.file)
