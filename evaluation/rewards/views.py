"""The reward pages: the year's fund and nominations, a nomination's steps, the printed
decision list. Thin: load, check, call one service, redirect."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from advisers.models import Adviser
from core import pdf
from core.extensions import db
from core.flow import render_form, submit
from core.i18n import today
from core.listing import choice_arg, int_arg, paginate
from core.policy import requires
from core.settings import office_names
from evaluation.policy import READ, REWARD
from evaluation.rewards import queries, services
from evaluation.rewards.forms import (
    AllocateForm,
    ApproveForm,
    FundForm,
    NominateForm,
    PayForm,
    WithdrawForm,
)
from evaluation.rewards.models import RewardNomination, RewardStatus

bp = Blueprint("rewards", __name__)


def _year() -> int:
    return int_arg("year", 2000, 2100) or today().year


def _rewards_page(year: int, fund_form: FundForm):
    status = choice_arg("status", RewardStatus.values())
    return render_form(
        "evaluation/rewards/rewards.html",
        year=year,
        status=status,
        standing=queries.fund_standing(year),
        page=paginate(queries.nominations_statement(year, status)),
        fund_form=fund_form,
        reward_statuses=[(s.value, s.label) for s in RewardStatus],
    )


@bp.route("/rewards")
@requires(READ)
def rewards():
    year = _year()
    standing = queries.fund_standing(year)
    return _rewards_page(year, FundForm(obj=standing.fund))


@bp.route("/rewards/<int:year>/fund", methods=["POST"])
@requires(REWARD)
def set_fund(year: int):
    form = FundForm()
    response = submit(
        form,
        lambda: services.set_fund(
            current_user, year=year, amount=form.amount.data, note=form.note.data
        ),
        _("The fund for %(year)d is set.", year=year),
        url_for("rewards.rewards", year=year),
    )
    return response or _rewards_page(year, form)


def _nominate_form(year: int) -> tuple[NominateForm, dict]:
    served = services.served_in(year)
    form = NominateForm()
    form.adviser_id.choices = [(0, _("Choose…"))] + [
        (adviser_id, evidence.name)
        for adviser_id, evidence in sorted(served.items(), key=lambda item: item[1].name)
    ]
    return form, served


@bp.route("/rewards/<int:year>/nominate")
@requires(REWARD)
def nominate_page(year: int):
    form, served = _nominate_form(year)
    chosen = int_arg("adviser_id", 1)
    if chosen in served:
        form.adviser_id.data = chosen
        form.justification.data = services.draft_justification(served[chosen])
    return render_form("evaluation/rewards/nominate.html", year=year, form=form)


@bp.route("/rewards/<int:year>/nominate", methods=["POST"])
@requires(REWARD)
def nominate(year: int):
    form, _served = _nominate_form(year)
    response = submit(
        form,
        lambda: services.nominate(
            current_user,
            db.get_or_404(Adviser, form.adviser_id.data),
            year=year,
            justification=form.justification.data,
        ),
        _("Nominated."),
        lambda made: url_for("rewards.nomination", reward_id=made.id),
    )
    return response or render_form("evaluation/rewards/nominate.html", year=year, form=form)


def _nomination_page(nomination: RewardNomination, **forms):
    forms = {
        "approve_form": ApproveForm(),
        "allocate_form": AllocateForm(amount=nomination.amount),
        "pay_form": PayForm(paid_on=today()),
        "withdraw_form": WithdrawForm(),
        **forms,
    }
    return render_form(
        "evaluation/rewards/nomination.html",
        nomination=nomination,
        standing=queries.fund_standing(nomination.year),
        **forms,
    )


@bp.route("/rewards/nominations/<int:reward_id>")
@requires(READ)
def nomination(reward_id: int):
    return _nomination_page(db.get_or_404(RewardNomination, reward_id))


#: a nomination's steps: the form, the service and its arguments from the form, the message
STEPS = {
    "approve": (
        ApproveForm,
        lambda n, f: services.approve(
            current_user, n, approved_on=f.approved_on.data, doc_no=f.doc_no.data
        ),
        lambda: _("The government's approval is recorded."),
    ),
    "allocate": (
        AllocateForm,
        lambda n, f: services.allocate(current_user, n, amount=f.amount.data),
        lambda: _("The amount is allocated from the fund."),
    ),
    "pay": (
        PayForm,
        lambda n, f: services.pay(
            current_user, n, paid_on=f.paid_on.data, reference=f.reference.data
        ),
        lambda: _("The payment is recorded."),
    ),
    "withdraw": (
        WithdrawForm,
        lambda n, f: services.withdraw(current_user, n, reason=f.reason.data),
        lambda: _("The nomination is withdrawn; its amount is back in the fund."),
    ),
}


def _take_step(reward_id: int, step: str):
    nomination = db.get_or_404(RewardNomination, reward_id)
    form_class, act, message = STEPS[step]
    form = form_class()
    response = submit(
        form,
        lambda: act(nomination, form),
        message(),
        url_for("rewards.nomination", reward_id=nomination.id),
    )
    return response or _nomination_page(nomination, **{f"{step}_form": form})


@bp.route("/rewards/nominations/<int:reward_id>/approve", methods=["POST"])
@requires(REWARD)
def approve(reward_id: int):
    return _take_step(reward_id, "approve")


@bp.route("/rewards/nominations/<int:reward_id>/allocate", methods=["POST"])
@requires(REWARD)
def allocate(reward_id: int):
    return _take_step(reward_id, "allocate")


@bp.route("/rewards/nominations/<int:reward_id>/pay", methods=["POST"])
@requires(REWARD)
def pay(reward_id: int):
    return _take_step(reward_id, "pay")


@bp.route("/rewards/nominations/<int:reward_id>/withdraw", methods=["POST"])
@requires(REWARD)
def withdraw(reward_id: int):
    return _take_step(reward_id, "withdraw")


# --- the decision list (表彰奖励名单) -------------------------------------------------------


#: the decision list is an official document, in Chinese whatever the reader's language
DOCUMENT_LOCALE = "zh_Hans_CN"


def _list_sheet(year: int, rewards: list, for_pdf: bool) -> str:
    with force_locale(DOCUMENT_LOCALE):
        return render_template(
            "evaluation/rewards/list_document.html",
            year=year,
            rewards=rewards,
            office=office_names(),
            made_on=today(),
            for_pdf=for_pdf,
            sheet_css=pdf.sheet_css() if for_pdf else "",
        )


@bp.route("/rewards/<int:year>/list")
@requires(READ)
def decision_list(year: int):
    rewards = queries.decision_list(year)
    return render_template(
        "evaluation/rewards/list.html",
        year=year,
        rewards=rewards,
        sheet=Markup(_list_sheet(year, rewards, for_pdf=False)),  # our own template's output
        pdf_ready=pdf.pdf_available(),
    )


@bp.route("/rewards/<int:year>/list.pdf")
@requires(READ)
def decision_list_pdf(year: int):
    rewards = queries.decision_list(year)
    if not rewards:
        abort(404)
    if not pdf.pdf_available():
        return pdf.back_to_print(url_for("rewards.decision_list", year=year))
    return pdf.pdf_response(
        _list_sheet(year, rewards, for_pdf=True), request.url_root, f"rewards-{year}.pdf"
    )
