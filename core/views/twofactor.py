"""The second factor's pages: the steps after the password, and the user's own settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import audit, twofactor
from core.audit.kernel import SECOND_FACTOR_FAILED
from core.auth import check_password, complete_login
from core.errors import DomainError
from core.flow import apply_errors, render_form, rollback
from core.forms import ConfirmIdentityForm, SecondFactorCodeForm, SecondFactorSetupForm
from core.policy import ACCOUNT, public, requires
from core.twofactor import Outcome

bp = Blueprint("twofactor", __name__)


@bp.after_request
def never_cache(response):
    """Secrets, QR codes and recovery codes stay out of every cache, before login too."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _login_url() -> str:
    return url_for("auth.login", next=request.args.get("next"))


def _back_to_login():
    if twofactor.end_second_step():
        flash(_("The sign-in took too long or was ended. Log in again."), "info")
    return redirect(_login_url())


@bp.route("/login/code", methods=["GET", "POST"])
@public
def verify():
    """Ask for a code from the app, or a recovery code, after the password."""
    user = twofactor.pending_user()
    if user is None:
        return _back_to_login()
    if not user.has_second_factor:
        return redirect(url_for("twofactor.enrol", next=request.args.get("next")))
    form = SecondFactorCodeForm()
    status = 200
    if form.validate_on_submit():
        outcome = twofactor.check_answer(user, form.code.data)
        if outcome is Outcome.WRONG:
            audit.record_event(SECOND_FACTOR_FAILED, user, actor=None)
        if outcome is Outcome.ACCEPTED:
            twofactor.end_second_step()
            return complete_login(user)
        if outcome is Outcome.LOCKED:
            twofactor.end_second_step()
            flash(twofactor.outcome_message(outcome), "danger")
            return redirect(_login_url())
        form.code.errors.append(twofactor.outcome_message(outcome))
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("core/second_factor_code.html", form=form), status


def _setup_context(user, form) -> dict:
    """The QR code and text of the secret being set up: the one posted, while it is valid, so
    an app that scanned it keeps working after a wrong code; a fresh one otherwise."""
    if request.method != "POST" or form.secret.errors or not form.secret.data:
        form.secret.data = twofactor.new_secret()
    return {
        "qr": twofactor.qr_svg(user, form.secret.data),
        "secret": twofactor.readable_secret(form.secret.data),
    }


def _turned_on(user, form) -> list[str] | None:
    """Turn the second factor on from a valid set-up form; return the recovery codes, or None
    to show the form again with what was wrong."""
    if not form.validate_on_submit():
        return None
    try:
        return twofactor.enable_second_factor(user, form.secret.data, form.code.data)
    except DomainError as error:
        rollback()
        apply_errors(form, error)
        return None


def _show_codes(codes: list[str], target: str):
    return render_template("core/recovery_codes.html", codes=codes, target=target)


@bp.route("/login/set-up", methods=["GET", "POST"])
@public
def enrol():
    """Set up the second factor after the password, when the user's role must use one."""
    user = twofactor.pending_user()
    if user is None:
        return _back_to_login()
    if user.has_second_factor:
        return redirect(url_for("twofactor.verify", next=request.args.get("next")))
    if not twofactor.required_for(user):
        return _back_to_login()
    form = SecondFactorSetupForm()
    codes = _turned_on(user, form)
    if codes is not None:
        twofactor.end_second_step()
        return _show_codes(codes, complete_login(user).location)
    return render_form("core/second_factor_enrol.html", form=form, **_setup_context(user, form))


def _me():
    """The signed-in user itself, not the proxy: the database session needs the record."""
    return current_user._get_current_object()


def _account_page(setup_form=None, codes_form=None, off_form=None):
    user = _me()
    context = {"user": user, "required": twofactor.required_for(user)}
    if user.has_second_factor:
        context["unused"] = twofactor.unused_recovery_codes(user)
        context["codes_form"] = codes_form or ConfirmIdentityForm(formdata=None, prefix="codes")
        context["off_form"] = off_form or ConfirmIdentityForm(formdata=None, prefix="off")
    else:
        form = setup_form or SecondFactorSetupForm(formdata=None)
        context.update(form=form, **_setup_context(user, form))
    return render_form("core/second_factor.html", **context)


@bp.route("/account/second-factor")
@requires(ACCOUNT)
def account():
    """The user's second factor: set it up, or replace the recovery codes, or turn it off."""
    return _account_page()


@bp.route("/account/second-factor/set-up", methods=["POST"])
@requires(ACCOUNT)
def set_up():
    form = SecondFactorSetupForm()
    codes = _turned_on(_me(), form)
    if codes is None:
        return _account_page(setup_form=form)
    return _show_codes(codes, url_for("twofactor.account"))


def _confirmed(form) -> bool:
    """Tell whether the form proves, with a current code or the password, that the user is
    at the keyboard; a wrong answer counts towards the same lock as at login."""
    if not form.validate_on_submit():
        return False
    outcome = twofactor.check_answer(_me(), form.answer.data, check_password)
    if outcome is Outcome.ACCEPTED:
        return True
    message = twofactor.outcome_message(outcome)
    if outcome is Outcome.WRONG:
        message = _("That is neither a current code from your app nor your password.")
    form.answer.errors.append(message)
    return False


def _refused(error: DomainError):
    rollback()
    flash(error.message, "danger")
    return redirect(url_for("twofactor.account"))


def _not_on():
    """The answer to managing a second factor the user has not set up."""
    flash(_("Turn the second factor on first."), "danger")
    return _account_page()


@bp.route("/account/second-factor/recovery-codes", methods=["POST"])
@requires(ACCOUNT)
def new_recovery_codes():
    if not _me().has_second_factor:
        return _not_on()
    form = ConfirmIdentityForm(prefix="codes")
    if not _confirmed(form):
        return _account_page(codes_form=form)
    try:
        codes = twofactor.regenerate_recovery_codes(_me())
    except DomainError as error:
        return _refused(error)
    return _show_codes(codes, url_for("twofactor.account"))


@bp.route("/account/second-factor/off", methods=["POST"])
@requires(ACCOUNT)
def turn_off():
    if not _me().has_second_factor:
        return _not_on()
    form = ConfirmIdentityForm(prefix="off")
    if not _confirmed(form):
        return _account_page(off_form=form)
    try:
        twofactor.disable_second_factor(_me())
    except DomainError as error:
        return _refused(error)
    flash(_("The second factor is off: your password alone now signs you in."), "success")
    return redirect(url_for("twofactor.account"))
