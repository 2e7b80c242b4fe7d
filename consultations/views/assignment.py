"""Putting advisers on a matter from the ranked suggestions, the adviser's answer, and taking
an adviser off."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultations import queries, services
from consultations.forms import AnswerForm, AssignForm, WithdrawForm
from consultations.models import Assignment, MatterStatus
from consultations.policy import ANSWER, MANAGE
from consultations.suggestions import suggest
from consultations.views import bp
from consultations.views.common import matter_or_404, not_now
from core.extensions import db
from core.flow import render_form, submit
from core.policy import check_or_403, requires

#: the states in which advisers are put on a matter or taken off it
ASSIGNABLE = (MatterStatus.ACCEPTED, MatterStatus.IN_PROGRESS)


@bp.route("/consultations/<int:matter_id>/assign", methods=["GET", "POST"])
@requires(MANAGE)
def assign(matter_id: int):
    matter = matter_or_404(matter_id, queries.matter_detail)
    if request.method == "GET" and matter.status not in ASSIGNABLE:
        return not_now(matter, _("Advisers can be put only on an accepted matter that is open."))
    suggestions = suggest(matter)
    form = AssignForm()
    choices = [(s.adviser_id, s.name) for s in suggestions]
    form.lead_id.choices = choices
    form.co_ids.choices = choices
    response = submit(
        form,
        lambda: services.assign(
            current_user,
            matter,
            lead_id=form.lead_id.data,
            co_ids=form.co_ids.data or [],
            override_reason=form.override_reason.data or "",
        ),
        _("Advisers assigned; they are asked to accept."),
        url_for("consultations.matter", matter_id=matter.id),
    )
    return response or render_form(
        "consultations/assign.html", form=form, matter=matter, suggestions=suggestions
    )


def _assignment_or_404(assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.matter is None:
        abort(404)
    return assignment


@bp.route("/consultations/assignments/<int:assignment_id>/answer", methods=["GET", "POST"])
@requires(ANSWER)
def answer(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    if assignment.adviser.user_id == current_user.id and assignment.is_answered:
        flash(
            _(
                "You have answered this assignment already: %(status)s.",
                status=assignment.status.label,
            ),
            "info",
        )
        return redirect(url_for("consultations.matter", matter_id=assignment.matter_id))
    check_or_403(ANSWER, assignment)
    form = AnswerForm()
    response = submit(
        form,
        lambda: services.answer_assignment(
            current_user,
            assignment,
            accept=form.answer.data == "accept",
            reason=form.reason.data or "",
            conflict=bool(form.conflict.data),
        ),
        lambda a: (
            _("Thank you; the office is told.")
            if a.status.value == "accepted"
            else _("Declined; the office is told and will assign someone else.")
        ),
        url_for("consultations.matter", matter_id=assignment.matter_id),
    )
    return response or render_form(
        "consultations/answer.html", form=form, assignment=assignment, matter=assignment.matter
    )


@bp.route("/consultations/assignments/<int:assignment_id>/withdraw", methods=["GET", "POST"])
@requires(MANAGE)
def withdraw(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    if request.method == "GET" and not (
        assignment.is_active and assignment.matter.status in ASSIGNABLE
    ):
        return not_now(assignment.matter, _("This assignment is no longer in force."))
    form = WithdrawForm()
    response = submit(
        form,
        lambda: services.withdraw_assignment(current_user, assignment, reason=form.reason.data),
        _("%(name)s is taken off the matter.", name=assignment.adviser.name),
        url_for("consultations.matter", matter_id=assignment.matter_id),
    )
    return response or render_form(
        "consultations/step_form.html",
        form=form,
        matter=assignment.matter,
        title=_("Take %(name)s off the matter", name=assignment.adviser.name),
        action=_("Take off the matter"),
    )
