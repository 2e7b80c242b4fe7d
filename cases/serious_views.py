"""The page where the office closes a serious event with its explanation."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import serious
from cases.forms import ExplanationForm
from cases.models import SeriousEvent
from cases.policy import MANAGE
from cases.views import bp, case_or_404
from core.extensions import db
from core.flow import render_form, submit
from core.policy import requires


@bp.route("/<int:case_id>/events/<int:event_id>/close", methods=["GET", "POST"])
@requires(MANAGE)
def close_event(case_id: int, event_id: int):
    case = case_or_404(case_id)
    event = db.session.get(SeriousEvent, event_id)
    if event is None or event.case_id != case.id:
        abort(404)
    form = ExplanationForm()
    response = submit(
        form,
        lambda: serious.close_event(current_user, event, explanation=form.explanation.data),
        _("Serious event closed."),
        url_for("cases.case", case_id=case.id),
    )
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("Close the flag: %(kind)s", kind=event.kind.label),
        action=_("Close the flag"),
    )
