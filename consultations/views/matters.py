"""Matters: the list with its search, a request, a matter's page, its correction, acceptance
or return, and its materials."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advisers.models import Specialty
from consultations import queries, services
from consultations.forms import (
    CommentForm,
    FilesForm,
    MatterEditForm,
    MatterForm,
    ReturnForm,
)
from consultations.models import MatterKind, MatterStatus, Urgency
from consultations.policy import (
    ADD_FILES,
    LOG_WORK,
    MANAGE,
    READ,
    READ_OPINION,
    REQUEST,
    VIEW,
)
from consultations.views import bp
from consultations.views.common import (
    department_choices,
    matter_or_404,
    not_now,
    specialty_choices,
    visible_matter,
)
from core.errors import DomainError
from core.extensions import db
from core.files import send_stored
from core.flow import render_form, submit
from core.forms import EmptyForm
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate_rows, text_arg
from core.models import Department, Role
from core.policy import can, check_or_403, requires
from core.services import check_version


def _filters() -> queries.MatterFilters:
    status = choice_arg("status", {"open", "overdue", *MatterStatus.values()})
    return queries.MatterFilters(
        status=status,
        overdue_on=today() if status == "overdue" else None,
        kind=choice_arg("kind", MatterKind.values()),
        department_id=int_arg("department"),
        year=int_arg("year", 2000, 2100),
        words=text_arg("q", 100),
    )


@bp.route("/consultations")
@requires(READ)
def matters():
    filters = _filters()
    search_error, status = None, 200
    try:
        stmt = queries.matters_statement(current_user, filters)
        count = queries.matters_count(current_user, filters)
    except DomainError as error:  # words the search cannot look up: say so beside the box
        search_error, status = error.message, 400
        stmt = queries.matters_statement(current_user, filters, nothing=True)
        count = 0
    stmt, sort = apply_sort(stmt, queries.MATTER_SORTS, "-received")
    page = paginate_rows(stmt, count=count)
    return render_template(
        "consultations/matters.html",
        page=page,
        sort=sort,
        filters=filters,
        search_error=search_error,
        leads=queries.lead_names([row.id for row in page.items]),
        statuses=MatterStatus,
        kinds=MatterKind,
        departments=department_choices(),
        to_accept=queries.requests_to_accept() if can(current_user, MANAGE) else [],
        today=today(),
    ), status


def _request_fields(form: MatterForm) -> dict:
    return {
        "department": db.session.get(Department, form.department_id.data),
        "kind": MatterKind(form.kind.data),
        "title": form.title.data,
        "requester": form.requester.data,
        "requester_phone": form.requester_phone.data,
        "description": form.description.data,
        "parties": form.parties.data or "",
        "specialty": db.session.get(Specialty, form.specialty_id.data)
        if form.specialty_id.data
        else None,
        "urgency": Urgency(form.urgency.data),
        "received_on": form.received_on.data,
        "due_on": form.due_on.data,
        "uploads": [f for f in form.files.data or [] if f and f.filename],
    }


@bp.route("/consultations/new", methods=["GET", "POST"])
@requires(REQUEST)
def request_matter():
    form = MatterForm()
    office = current_user.has_role(Role.OFFICE)
    form.department_id.choices = department_choices(None if office else current_user.department_id)
    form.specialty_id.choices = specialty_choices()
    if request.method == "GET":
        form.received_on.data = today()
        form.requester.data = current_user.display_name
        if not office:
            form.department_id.data = current_user.department_id
    response = submit(
        form,
        lambda: services.request_matter(current_user, **_request_fields(form)),
        lambda matter: _(
            "Request %(reference)s sent; due %(due)s.",
            reference=matter.reference,
            due=matter.due_on,
        ),
        lambda matter: url_for("consultations.matter", matter_id=matter.id),
    )
    no_department = not office and current_user.department_id is None
    return response or render_form(
        "consultations/matter_form.html", form=form, no_department=no_department
    )


@bp.route("/consultations/<int:matter_id>")
@requires(VIEW)
def matter(matter_id: int):
    return matter_page(visible_matter(matter_id, queries.matter_detail))


def matter_page(matter, comment_form: CommentForm | None = None, status: int = 200):
    """The matter's page; with the comment form refused, its errors beside the field."""
    mine = next(
        (a for a in matter.active_assignments if a.adviser.user_id == current_user.id), None
    )
    return render_template(
        "consultations/matter.html",
        matter=matter,
        mine=mine,
        work=queries.work_log(matter)
        if can(current_user, LOG_WORK, matter) or can(current_user, MANAGE)
        else [],
        hours=queries.hours_by_adviser(matter),
        earlier=[
            o for o in matter.opinions[:-1] if o.number and can(current_user, READ_OPINION, o)
        ],
        button=EmptyForm(),
        comment_form=comment_form or CommentForm(),
    ), status


#: the matter's particulars the office corrects as typed
EDITABLE = ("title", "requester", "description", "parties", "received_on", "due_on")


@bp.route("/consultations/<int:matter_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_matter(matter_id: int):
    matter = matter_or_404(matter_id, queries.matter_detail)
    if request.method == "GET" and matter.status is MatterStatus.CLOSED:
        return not_now(matter, _("A closed matter cannot be changed."))
    form = MatterEditForm(obj=matter)
    form.specialty_id.choices = specialty_choices()
    if request.method == "GET":
        form.specialty_id.data = matter.specialty_id or 0
        form.kind.data, form.urgency.data = matter.kind.value, matter.urgency.value

    def save():
        check_version(matter, form.version.data)
        return services.update_matter(
            current_user,
            matter,
            kind=MatterKind(form.kind.data),
            urgency=Urgency(form.urgency.data),
            specialty_id=form.specialty_id.data or None,
            requester_phone=form.requester_phone.data or None,
            **{name: getattr(form, name).data for name in EDITABLE},
        )

    response = submit(
        form,
        save,
        _("Matter saved."),
        url_for("consultations.matter", matter_id=matter.id),
    )
    return response or render_form("consultations/matter_edit.html", form=form, matter=matter)


@bp.route("/consultations/<int:matter_id>/accept", methods=["POST"])
@requires(MANAGE)
def accept(matter_id: int):
    matter = matter_or_404(matter_id)
    response = submit(
        EmptyForm(),
        lambda: services.accept_matter(current_user, matter),
        _("Request accepted; the department is told. Now assign the advisers."),
        url_for("consultations.assign", matter_id=matter.id),
    )
    return response or _back_to(matter)


def _back_to(matter):
    return redirect(url_for("consultations.matter", matter_id=matter.id))


@bp.route("/consultations/<int:matter_id>/return", methods=["GET", "POST"])
@requires(MANAGE)
def return_matter(matter_id: int):
    matter = matter_or_404(matter_id)
    if request.method == "GET" and matter.status is not MatterStatus.REQUESTED:
        return not_now(matter, _("Only a request awaiting acceptance can be returned."))
    form = ReturnForm()
    response = submit(
        form,
        lambda: services.return_matter(current_user, matter, reason=form.reason.data),
        _("Request returned; the department is told why."),
        url_for("consultations.matter", matter_id=matter.id),
    )
    return response or render_form(
        "consultations/step_form.html",
        form=form,
        matter=matter,
        title=_("Return the request"),
        action=_("Return the request"),
    )


@bp.route("/consultations/<int:matter_id>/files", methods=["GET", "POST"])
@requires(ADD_FILES)
def add_files(matter_id: int):
    matter = matter_or_404(matter_id)
    check_or_403(ADD_FILES, matter)
    if request.method == "GET" and matter.status in (MatterStatus.CLOSED, MatterStatus.RETURNED):
        return not_now(matter, _("Materials cannot be added to a closed or returned matter."))
    form = FilesForm()
    response = submit(
        form,
        lambda: services.add_files(current_user, matter, [f for f in form.files.data if f]),
        lambda added: _("%(n)d file(s) added.", n=len(added)),
        url_for("consultations.matter", matter_id=matter.id),
    )
    return response or render_form(
        "consultations/step_form.html",
        form=form,
        matter=matter,
        title=_("Add materials"),
        action=_("Upload"),
        multipart=True,
    )


@bp.route("/consultations/<int:matter_id>/files/<int:file_id>")
@requires(VIEW)
def download(matter_id: int, file_id: int):
    matter = visible_matter(matter_id, queries.matter_detail)
    attached = next((f for f in matter.files if f.file_id == file_id), None)
    if attached is None:
        abort(404)
    return send_stored(attached.file)
