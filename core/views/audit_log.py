"""The audit trail: who did what, when and from where, one entry per action, in words."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_login import current_user
from markupsafe import Markup

from core import audit, queries
from core.errors import BadArgument
from core.listing import choice_arg, date_arg, int_arg, paginate_rows, text_arg
from core.policy import READ_AUDIT, can, requires

bp = Blueprint("audit", __name__)

#: the latest actions a record's own page shows
HISTORY_SIZE = 10


def _filters() -> queries.AuditFilters:
    filters = queries.AuditFilters(
        user=int_arg("user"),
        type=choice_arg("type", audit.TYPES),
        record=text_arg("record", 64),
        name=text_arg("q", 100),
        kind=choice_arg("kind", queries.AUDIT_KINDS),
        start=date_arg("start"),
        end=date_arg("end"),
    )
    if filters.record and not filters.type:
        raise BadArgument("record", filters.record)
    return filters


def type_choices() -> list[tuple[str, str]]:
    """(type, label) of every described record type, in the user's language."""
    return [(name, audit.tr(described.label)) for name, described in audit.TYPES.items()]


@bp.route("/audit")
@requires(READ_AUDIT)
def audit_log():
    filters = _filters()
    page = paginate_rows(
        queries.audit_change_sets(filters), count=queries.audit_change_set_count(filters)
    )
    record = (filters.type, filters.record) if filters.record else None
    trail = audit.read_change_sets([row.change_set for row in page.items], record)
    return render_template(
        "core/audit.html",
        page=page,
        trail=trail,
        filters=filters,
        users=queries.audit_actors(),
        types=type_choices(),
    )


@bp.app_template_global()
def record_history(type_name: str, record_id) -> Markup:
    """A record's latest actions, in the trail's words, for readers of the trail."""
    if not can(current_user, READ_AUDIT):
        return Markup()
    filters = queries.AuditFilters(type=type_name, record=str(record_id))
    trail = audit.read_change_sets(queries.latest_change_sets(filters, HISTORY_SIZE))
    link = url_for("audit.audit_log", type=type_name, record=record_id)
    return Markup(render_template("core/_record_history.html", trail=trail, link=link))
