"""Voiding a record entered by mistake, with a reason; the voided records, and restoring them."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import voiding
from core.flow import render_form, submit
from core.forms import EmptyForm, VoidForm
from core.policy import VOID_RECORDS, requires

bp = Blueprint("voiding", __name__)


def _kind(name: str) -> voiding.VoidKind:
    kind = voiding.KINDS.get(name)
    if kind is None:
        abort(404)
    return kind


def _record(kind: voiding.VoidKind, record_id: int, *, voided: bool):
    record = voiding.find(kind, record_id, voided=voided)
    if record is None:
        abort(404)
    return record


@bp.route("/void/<kind>/<int:record_id>", methods=["GET", "POST"])
@requires(VOID_RECORDS)
def void(kind: str, record_id: int):
    found = _kind(kind)
    record = _record(found, record_id, voided=False)
    form = VoidForm()
    response = submit(
        form,
        lambda: found.void(current_user, record, reason=form.reason.data),
        _("Voided: %(record)s. It can be restored from the voided records.",
          record=found.describe(record)),
        url_for("voiding.voided"),
    )  # fmt: skip
    return response or render_form(
        "core/void_form.html",
        form=form,
        kind=found,
        record=record,
        back=found.link(record) or url_for("voiding.voided"),
    )


@bp.route("/voided")
@requires(VOID_RECORDS)
def voided():
    groups = [(kind, voiding.voided_records(kind)) for kind in voiding.KINDS.values()]
    return render_template("core/voided.html", groups=groups, form=EmptyForm())


@bp.route("/voided/<kind>/<int:record_id>/restore", methods=["POST"])
@requires(VOID_RECORDS)
def restore(kind: str, record_id: int):
    found = _kind(kind)
    record = _record(found, record_id, voided=True)
    form = EmptyForm()
    response = submit(
        form,
        lambda: found.restore(current_user, record),
        _("Restored: %(record)s.", record=found.describe(record)),
        found.link(record) or url_for("voiding.voided"),
    )
    if response:
        return response
    groups = [(k, voiding.voided_records(k)) for k in voiding.KINDS.values()]
    return render_form("core/voided.html", groups=groups, form=form)
