"""Pages every role shares: home, language, own password and notifications."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import menu, notify, queries, services
from core.auth import is_safe_next
from core.extensions import db
from core.flow import render_form, submit
from core.forms import EmptyForm, OwnPasswordForm
from core.listing import paginate
from core.models import Notification
from core.policy import ACCOUNT, requires

bp = Blueprint("accounts", __name__)


@bp.route("/")
@requires(ACCOUNT)
def home():
    """Send the user to their first menu entry: the dashboard, or an adviser's own record."""
    return redirect(url_for(menu.home_for(current_user) or "accounts.notifications"))


@bp.route("/language", methods=["POST"])
@requires(ACCOUNT)
def set_language():
    """Switch the interface language and remember it for this user."""
    code = request.form.get("locale", "")
    if not EmptyForm().validate_on_submit() or code not in current_app.config["COUNSEL_LOCALES"]:
        abort(400)
    current_user.locale = code
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("accounts.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@requires(ACCOUNT)
def change_password():
    form = OwnPasswordForm()
    response = submit(
        form,
        lambda: services.change_own_password(current_user, form.current.data, form.password.data),
        _("Your password has been changed."),
        url_for("accounts.home"),
    )
    return response or render_form("core/password.html", form=form)


@bp.route("/notifications")
@requires(ACCOUNT)
def notifications():
    page = paginate(queries.notifications_of(current_user))
    return render_template("core/notifications.html", page=page, form=EmptyForm())


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@requires(ACCOUNT)
def read_notification(notification_id: int):
    note = db.get_or_404(Notification, notification_id)
    if note.user_id != current_user.id or not EmptyForm().validate_on_submit():
        abort(404)
    notify.mark_read(current_user, note.id)
    return redirect(note.link if is_safe_next(note.link) else url_for("accounts.notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@requires(ACCOUNT)
def read_all_notifications():
    if not EmptyForm().validate_on_submit():
        abort(400)
    notify.mark_read(current_user)
    return redirect(url_for("accounts.notifications"))
