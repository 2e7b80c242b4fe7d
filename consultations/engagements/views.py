"""Pages of the engagements register: the list, an engagement, its form, its contract file
and the export."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from consultations.engagements import exports, queries, rules, services
from consultations.engagements.forms import EngagementForm
from consultations.engagements.models import EngagedAs, Engagement, StateLabel
from consultations.engagements.policy import MANAGE, READ, VIEW
from consultations.engagements.settings import remind_days
from core import files, tables, voiding
from core.flow import render_form, submit
from core.i18n import today
from core.listing import apply_sort, choice_arg, int_arg, paginate_rows, sort_key
from core.policy import check_or_403, requires

bp = Blueprint("engagements", __name__)


def _filters() -> queries.Filters:
    return queries.Filters(
        department_id=int_arg("department"),
        engaged_as=choice_arg("type", EngagedAs.values()),
        state=choice_arg("state", StateLabel.values()),
    )


def _state(record, day, days) -> StateLabel:
    return StateLabel(rules.state_on(record.start_on, record.end_on, day, days))


@bp.route("/engagements")
@requires(READ)
def engagements():
    day, days, filters = today(), remind_days(), _filters()
    stmt, sort = apply_sort(
        queries.engagements_statement(current_user, filters, day, days),
        queries.SORTS,
        queries.DEFAULT_SORT,
    )
    page = paginate_rows(
        stmt.order_by(Engagement.id),
        count=queries.engagements_count(current_user, filters, day, days),
    )
    return render_template(
        "consultations/engagements/engagements.html",
        page=page,
        sort=sort,
        filters=filters,
        states={row.id: _state(row, day, days) for row in page.items},
        departments=queries.filter_departments(current_user),
        types=EngagedAs,
        state_choices=StateLabel,
        days=days,
    )


@bp.route("/engagements/export.<any(csv, xlsx):fmt>")
@requires(READ)
def export(fmt: str):
    day, days = today(), remind_days()
    key = sort_key(queries.SORTS, queries.DEFAULT_SORT)
    records = queries.engagements_for_export(
        current_user,
        _filters(),
        day,
        days,
        queries.SORTS[key.removeprefix("-")],
        descending=key.startswith("-"),
    )
    table = exports.register_table(records, day, days)
    return tables.download(table, fmt, f"engagements-{day}")


def _engagement_or_404(engagement_id: int) -> Engagement:
    record = queries.engagement_detail(engagement_id)
    if record is None:
        abort(404)
    return record


def _visible(engagement_id: int) -> Engagement:
    record = _engagement_or_404(engagement_id)
    check_or_403(VIEW, record)
    return record


@bp.route("/engagements/<int:engagement_id>")
@requires(VIEW)
def engagement(engagement_id: int):
    record = _visible(engagement_id)
    days = remind_days()
    return render_template(
        "consultations/engagements/engagement.html",
        engagement=record,
        state=_state(record, today(), days),
        days=days,
    )


@bp.route("/engagements/<int:engagement_id>/contract")
@requires(VIEW)
def contract(engagement_id: int):
    """The signed contract, as an attachment, for those who may see the engagement."""
    record = _visible(engagement_id)
    if record.contract_file is None:
        abort(404)
    return files.send_stored(record.contract_file)


def _save(record: Engagement | None, form: EngagementForm) -> Engagement:
    fields = {name: getattr(form, name).data for name in services.FIELDS}
    contract = form.contract.data or None
    if record is None:
        return services.create_engagement(current_user, contract=contract, **fields)
    return services.update_engagement(
        current_user, record, version=form.version.data, contract=contract, **fields
    )


@bp.route("/engagements/new", methods=["GET", "POST"], defaults={"engagement_id": None})
@bp.route("/engagements/<int:engagement_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_engagement(engagement_id: int | None):
    record = _engagement_or_404(engagement_id) if engagement_id else None
    form = EngagementForm(obj=record)
    form.department_id.choices = [
        (0, _("Choose…")),
        *queries.form_departments(record.department_id if record else None),
    ]
    if request.method == "GET" and record is None:
        form.department_id.data = 0
    response = submit(
        form,
        lambda: _save(record, form),
        lambda saved: _("The engagement of %(name)s is saved.", name=saved.person_name),
        lambda saved: url_for("engagements.engagement", engagement_id=saved.id),
    )
    return response or render_form(
        "consultations/engagements/engagement_form.html", form=form, engagement=record
    )


def register_void_kinds() -> None:
    """What the office may void in the register: an engagement entered by mistake."""
    voiding.register(
        voiding.VoidKind(
            name="engagement",
            model=Engagement,
            label=_l("Departmental adviser engagement"),
            describe=lambda e: f"{e.person_name} · {e.department.name} · {e.start_on}–{e.end_on}",
            void=services.void_engagement,
            restore=services.restore_engagement,
            link=lambda e: url_for("engagements.engagement", engagement_id=e.id),
        )
    )
