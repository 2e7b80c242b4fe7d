"""Pages of a case's lawyer team and deadlines: forming, confirming and changing the team, a
member's conflict, the team rule, and recording a deadline as done."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases import deadlines, team
from cases.forms import AddMemberForm, DoneForm, ReasonForm, TeamRuleForm
from cases.models import Case, CaseDeadline, CaseMember, MemberStatus
from cases.policy import DECLARE_CONFLICT, MANAGE, TEAM_RULE
from cases.views import bp, case_or_404
from core.extensions import db
from core.flow import render_form, submit
from core.forms import EmptyForm
from core.i18n import today
from core.policy import check_or_403, requires


def _to_case(case: Case):
    return url_for("cases.case", case_id=case.id)


def _button(case: Case, action, message: str):
    """Run a button's action; a refusal is flashed on the case page."""
    form = EmptyForm()
    response = submit(form, action, message, _to_case(case))
    if response is None:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return response or redirect(_to_case(case))


def _member_or_404(case: Case, member_id: int) -> CaseMember:
    member = db.session.get(CaseMember, member_id)
    if member is None or member.case_id != case.id or member.status is MemberStatus.REPLACED:
        abort(404)
    return member


@bp.route("/<int:case_id>/team/form", methods=["POST"])
@requires(MANAGE)
def form_team(case_id: int):
    case = case_or_404(case_id)
    return _button(
        case, lambda: team.form_team_by_hand(current_user, case), _("Lawyer team proposed.")
    )


@bp.route("/<int:case_id>/team/confirm", methods=["POST"])
@requires(MANAGE)
def confirm_team(case_id: int):
    case = case_or_404(case_id)
    return _button(case, lambda: team.confirm_team(current_user, case), _("Lawyer team confirmed."))


@bp.route("/<int:case_id>/team/add", methods=["GET", "POST"])
@requires(MANAGE)
def add_member(case_id: int):
    case = case_or_404(case_id)
    form = AddMemberForm()
    seated = {member.adviser_id for member in case.active_members}
    suggested = [c for c in team.candidates(case) if c.adviser_id not in seated]
    specialty = case.specialty.name if case.specialty else None
    form.adviser_id.choices = [
        (c.adviser_id, f"{c.name} · {team.reason_line(c, specialty)}") for c in suggested
    ]
    response = submit(
        form,
        lambda: team.add_member(current_user, case, form.adviser_id.data),
        _("Adviser added to the lawyer team."),
        _to_case(case),
    )
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("Add a member to the lawyer team"),
        action=_("Add"),
    )


@bp.route("/<int:case_id>/team/<int:member_id>/replace", methods=["GET", "POST"])
@requires(MANAGE)
def replace_member(case_id: int, member_id: int):
    case = case_or_404(case_id)
    member = _member_or_404(case, member_id)
    form = ReasonForm()
    response = submit(
        form,
        lambda: team.replace_member(current_user, member, form.reason.data),
        _replaced_message,
        _to_case(case),
    )
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("Replace %(name)s on the lawyer team", name=member.adviser.name),
        action=_("Replace"),
    )


def _replaced_message(newcomer: CaseMember | None) -> str:
    if newcomer is None:
        return _("Member taken off the team; no serving adviser was free to take the seat.")
    return _("Member replaced by %(name)s.", name=newcomer.adviser.name)


@bp.route("/<int:case_id>/team/<int:member_id>/conflict", methods=["GET", "POST"])
@requires(DECLARE_CONFLICT)
def declare_conflict(case_id: int, member_id: int):
    case = case_or_404(case_id)
    member = _member_or_404(case, member_id)
    check_or_403(DECLARE_CONFLICT, member)
    form = ReasonForm()
    response = submit(
        form,
        lambda: team.declare_conflict(current_user, member, form.reason.data),
        _("Conflict recorded; you are off the team and the office is told."),
        url_for("cases.index"),
    )
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("Declare a conflict of interest"),
        action=_("Declare"),
    )


@bp.route("/<int:case_id>/deadlines/<int:deadline_id>/done", methods=["GET", "POST"])
@requires(MANAGE)
def deadline_done(case_id: int, deadline_id: int):
    case = case_or_404(case_id)
    deadline = db.session.get(CaseDeadline, deadline_id)
    if deadline is None or deadline.case_id != case.id:
        abort(404)
    form = DoneForm()
    if request.method == "GET" and deadline.done_on is None:
        form.done_on.data = today()
    response = submit(
        form,
        lambda: deadlines.record_done(
            current_user,
            deadline,
            done_on=form.done_on.data,
            postmarked_on=form.postmarked_on.data,
            proof=form.proof.data,
        ),
        _("Deadline recorded as done."),
        _to_case(case),
    )
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("%(deadline)s: done", deadline=deadline.rule_label),
        action=_("Save"),
    )


@bp.route("/<int:case_id>/deadlines/<int:deadline_id>/extend", methods=["GET", "POST"])
@requires(MANAGE)
def extend_deadline(case_id: int, deadline_id: int):
    case = case_or_404(case_id)
    deadline = db.session.get(CaseDeadline, deadline_id)
    if deadline is None or deadline.case_id != case.id:
        abort(404)
    form = ReasonForm()
    response = submit(
        form,
        lambda: deadlines.extend(current_user, deadline, reason=form.reason.data),
        _("Period extended."),
        _to_case(case),
    )
    latest = deadlines.extension(deadline)
    return response or render_form(
        "cases/step_form.html",
        form=form,
        case=case,
        title=_("Extend: %(deadline)s", deadline=deadline.rule_label),
        lead=_("The law allows one extension; the period would end on %(day)s.", day=latest.day)
        if latest
        else _("The law allows no extension of this period."),
        action=_("Extend the period"),
    )


@bp.route("/team-rule", methods=["GET", "POST"])
@requires(TEAM_RULE)
def team_rule():
    current = team.current_team_rule()
    form = TeamRuleForm()
    if request.method == "GET":
        form.threshold.data = f"{Decimal(current.threshold):.2f}"
        form.size.data = current.size
    response = submit(
        form,
        lambda: team.change_team_rule(
            current_user, threshold=form.threshold.data, size=str(form.size.data)
        ),
        _("The lawyer team rule is changed; cases registered or edited from now on use it."),
        url_for("cases.team_rule"),
    )
    return response or render_form(
        "cases/team_rule.html", form=form, current=current, versions=team.rule_versions()
    )
