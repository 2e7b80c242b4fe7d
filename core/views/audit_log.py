"""The audit trail: who changed which record, when, from what to what."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request

from core import queries
from core.listing import int_arg, paginate
from core.policy import READ_AUDIT, requires

bp = Blueprint("audit", __name__)


def _date_arg(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


@bp.route("/audit")
@requires(READ_AUDIT)
def audit_log():
    filters = queries.AuditFilters(
        user=int_arg("user"),
        type=request.args.get("type", "")[:50],
        record=request.args.get("record", "")[:64],
        start=_date_arg("start"),
        end=_date_arg("end"),
    )
    page = paginate(queries.audit_statement(filters))
    return render_template(
        "core/audit.html",
        page=page,
        filters=filters,
        users=queries.audit_actors(),
        types=queries.audit_record_types(),
    )
