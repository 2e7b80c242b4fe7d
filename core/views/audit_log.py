"""The audit trail: who changed which record, when, from what to what."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from core import queries
from core.listing import date_arg, int_arg, paginate
from core.policy import READ_AUDIT, requires

bp = Blueprint("audit", __name__)


@bp.route("/audit")
@requires(READ_AUDIT)
def audit_log():
    filters = queries.AuditFilters(
        user=int_arg("user"),
        type=request.args.get("type", "")[:50],
        record=request.args.get("record", "")[:64],
        start=date_arg("start"),
        end=date_arg("end"),
    )
    page = paginate(queries.audit_statement(filters))
    return render_template(
        "core/audit.html",
        page=page,
        filters=filters,
        users=queries.audit_actors(),
        types=queries.audit_record_types(),
    )
