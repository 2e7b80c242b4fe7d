"""Pages of court suggestions (司法建议) and reconsideration decisions to perform (行政复议决定
履行督查): the list, one follow-up, recording and correcting it, its reply, and its files."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cases import follow_ups
from cases.forms import FollowUpEditForm, FollowUpForm, ReplyForm
from cases.models import Case, CaseKind, FollowUp, FollowUpKind
from cases.policy import FOLLOW_UP, FOLLOW_UPS, MANAGE, REPLY
from cases.views import bp, case_or_404, department_choices
from core.extensions import db
from core.files import send_stored
from core.flow import render_form, submit
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate
from core.models import Department
from core.policy import check_or_403, requires
from core.services import check_version


def _follow_up_or_404(follow_up_id: int) -> FollowUp:
    item = db.session.scalar(
        select(FollowUp)
        .where(FollowUp.id == follow_up_id)
        .options(joinedload(FollowUp.department), joinedload(FollowUp.case))
    )
    if item is None:
        abort(404)
    return item


def _to(item: FollowUp) -> str:
    return url_for("cases.follow_up", follow_up_id=item.id)


def _filters() -> follow_ups.Filters:
    return follow_ups.Filters(
        kind=choice_arg("kind", FollowUpKind.values()),
        status=choice_arg("status", follow_ups.STATUSES),
        department_id=int_arg("department"),
    )


@bp.route("/follow-ups", endpoint="follow_ups")
@requires(FOLLOW_UPS)
def follow_up_list():
    day, filters = today(), _filters()
    stmt, sort = apply_sort(
        follow_ups.follow_ups_statement(current_user, filters, day),
        follow_ups.SORTS,
        follow_ups.DEFAULT_SORT,
    )
    page = paginate(stmt.order_by(FollowUp.id.desc() if sort.startswith("-") else FollowUp.id))
    return render_template(
        "cases/follow_ups.html",
        page=page,
        sort=sort,
        filters=filters,
        kinds=FollowUpKind,
        statuses=follow_ups.STATUSES,
        departments=department_choices()[1:],
        today=day,
    )


def _fields(form) -> dict:
    return {
        "kind": FollowUpKind(form.kind.data),
        "case": follow_ups.find_case(form.case_reference.data),
        "issued_by": form.issued_by.data or "",
        "document_number": form.document_number.data or "",
        "received_on": form.received_on.data,
        "content": form.content.data or "",
        "department": db.session.get(Department, form.department_id.data)
        if form.department_id.data
        else None,
        "reply_due_on": form.reply_due_on.data,
    }


def _prefill_from(form: FollowUpForm, case: Case) -> None:
    """A follow-up recorded from a case's page: its reference, court and department."""
    form.case_reference.data = case.reference
    form.issued_by.data = case.court
    form.department_id.data = case.department_id or 0
    if case.kind is CaseKind.RECONSIDERATION:
        form.kind.data = FollowUpKind.RECONSIDERATION_ORDER.value


@bp.route("/follow-ups/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_follow_up():
    case_id = int_arg("case_id")
    case = case_or_404(case_id) if case_id else None
    form = FollowUpForm()
    form.department_id.choices = department_choices()
    if request.method == "GET" and case is not None:
        _prefill_from(form, case)
    response = submit(
        form,
        lambda: follow_ups.register_follow_up(current_user, file=form.file.data, **_fields(form)),
        _("Recorded; the department and the office are told."),
        _to,
    )
    back = url_for("cases.case", case_id=case.id) if case else url_for("cases.follow_ups")
    return response or render_form(
        "cases/follow_up_form.html", form=form, follow_up=None, back=back
    )


@bp.route("/follow-ups/<int:follow_up_id>")
@requires(FOLLOW_UP)
def follow_up(follow_up_id: int):
    item = _follow_up_or_404(follow_up_id)
    check_or_403(FOLLOW_UP, item)
    return render_template("cases/follow_up.html", follow_up=item, today=today())


@bp.route("/follow-ups/<int:follow_up_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_follow_up(follow_up_id: int):
    item = _follow_up_or_404(follow_up_id)
    form = FollowUpEditForm(obj=item)
    form.department_id.choices = department_choices()
    if request.method == "GET":
        form.kind.data = item.kind.value
        form.case_reference.data = item.case.reference if item.case else ""
        form.department_id.data = item.department_id or 0
        form.file.data = None

    def save():
        check_version(item, form.version.data)
        return follow_ups.update_follow_up(current_user, item, file=form.file.data, **_fields(form))

    response = submit(form, save, _("Saved."), _to(item))
    return response or render_form(
        "cases/follow_up_form.html", form=form, follow_up=item, back=_to(item)
    )


@bp.route("/follow-ups/<int:follow_up_id>/reply", methods=["GET", "POST"])
@requires(REPLY)
def reply_follow_up(follow_up_id: int):
    item = _follow_up_or_404(follow_up_id)
    check_or_403(REPLY, item)
    form = ReplyForm()
    if request.method == "GET":
        form.replied_on.data = item.replied_on or today()
        form.reply.data, form.measures.data = item.reply, item.measures
        form.version.data = item.version

    def save():
        check_version(item, form.version.data)
        return follow_ups.record_reply(
            current_user,
            item,
            replied_on=form.replied_on.data,
            reply=form.reply.data or "",
            measures=form.measures.data or "",
            reply_file=form.reply_file.data,
        )

    response = submit(form, save, _("The reply is recorded."), _to(item))
    if response is None and request.method == "GET" and item.is_answered:
        flash(_("A reply is recorded already; saving corrects it."), "info")
    return response or render_form("cases/follow_up_reply_form.html", form=form, follow_up=item)


@bp.route("/follow-ups/<int:follow_up_id>/files/<int:file_id>")
@requires(FOLLOW_UP)
def follow_up_file(follow_up_id: int, file_id: int):
    """The follow-up's document or its reply's, for those who may see the follow-up."""
    item = _follow_up_or_404(follow_up_id)
    check_or_403(FOLLOW_UP, item)
    if file_id not in (item.file_id, item.reply_file_id):
        abort(404)
    return send_stored(item.file if file_id == item.file_id else item.reply_file)
