"""Pages of the dismissal rule: the candidates with their evidence, the decisions, the rule."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from advisers import queries as panel_queries
from advisers.rules import Shortfall, dismissal_last_day
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import today
from core.listing import choice_arg, paginate
from core.policy import requires
from evaluation import queries, services
from evaluation.forms import CandidateDecisionForm, RuleForm
from evaluation.models import CandidateStatus, DismissalCandidate
from evaluation.policy import CHANGE_RULE, DECIDE, READ

bp = Blueprint("evaluation", __name__)

#: candidates on one page: each shows its evidence, so fewer than a plain list
CANDIDATES_PER_PAGE = 10


@bp.route("/dismissals")
@requires(READ)
def candidates():
    status = choice_arg("status", {*CandidateStatus.values(), "all"}, "open")
    return render_template(
        "evaluation/candidates.html",
        page=paginate(queries.candidates_statement(status), per_page=CANDIDATES_PER_PAGE),
        status=status,
        rule=services.current_rule_version(),
    )


def _warn_if_panel_short() -> None:
    summary = panel_queries.panel_summary(today())
    if Shortfall.TOO_FEW_MEMBERS in summary.shortfalls:
        flash(
            _(
                "Only %(n)d serving members remain; the plan requires at least %(min)d.",
                n=summary.members,
                min=summary.limits.min_members,
            ),
            "warning",
        )


@bp.route("/dismissals/<int:candidate_id>", methods=["GET", "POST"])
@requires(DECIDE)
def decide_candidate(candidate_id: int):
    candidate = db.get_or_404(DismissalCandidate, candidate_id)
    form = CandidateDecisionForm()

    def decide():
        if form.decision.data == "dismiss":
            return services.dismiss_candidate(
                current_user,
                candidate,
                reason=form.note.data,
                approved_on=form.approved_on.data,
                doc_no=form.doc_no.data,
            )
        return services.waive_candidate(current_user, candidate, reason=form.note.data)

    response = submit(form, decide, _("Decision recorded."), url_for("evaluation.candidates"))
    if response and form.decision.data == "dismiss":
        _warn_if_panel_short()
    return response or render_form(
        "evaluation/candidate.html",
        form=form,
        candidate=candidate,
        last_day=dismissal_last_day(today(), candidate.term.start_on),
    )


def _rule_page(form: RuleForm):
    return render_form("evaluation/rule.html", form=form, versions=queries.rule_versions())


def setting_values(form) -> dict:
    """A versioned setting's form as the service takes it: each field's text by its name."""
    return {f.name: f.data for f in form if f.name != "csrf_token"}


@bp.route("/dismissals/rule")
@requires(READ)
def rule():
    return _rule_page(RuleForm(obj=services.current_rule_version()))


@bp.route("/dismissals/rule", methods=["POST"])
@requires(CHANGE_RULE)
def change_rule():
    form = RuleForm()
    response = submit(
        form,
        lambda: services.change_dismissal_rule(current_user, **setting_values(form)),
        _("The rule has a new version; it applies from the next evaluation."),
        url_for("evaluation.rule"),
    )
    return response or _rule_page(form)
