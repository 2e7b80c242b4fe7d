"""Pages every role shares: home, language, own password and sessions, and notifications."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from core import menu, notify, queries, services, sessions
from core.auth import client_ip, is_safe_next
from core.extensions import db
from core.flow import render_form, submit
from core.forms import EmptyForm, OwnPasswordForm
from core.listing import paginate
from core.models import Notification, UserSession
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
        lambda: services.change_own_password(
            current_user, form.current.data, form.password.data, ip=client_ip()
        ),
        _("Your password has been changed; your other sessions have ended."),
        url_for("accounts.home"),
    )
    throttled = getattr(form, "domain_error", None) and form.domain_error.code == "throttled"
    return response or render_form(
        "core/password.html", status_if_posted=429 if throttled else 400, form=form
    )


@bp.route("/account/sessions")
@requires(ACCOUNT)
def sessions_page():
    return _sessions_page(200)


def _sessions_page(status: int):
    return render_template(
        "core/sessions.html",
        open_sessions=sessions.open_sessions(current_user),
        current=current_user.current_session,
        describe=sessions.describe_user_agent,
        limits=sessions.limits(),
        form=EmptyForm(),
    ), status


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@requires(ACCOUNT)
def end_session(session_id: int):
    login_session = db.get_or_404(UserSession, session_id)
    if login_session.user_id != current_user.id:
        abort(404)
    response = submit(
        EmptyForm(),
        lambda: services.end_own_session(current_user, login_session),
        _("The session has ended."),
        url_for("accounts.sessions_page"),
    )
    return response or _sessions_page(400)


@bp.route("/account/sessions/end-others", methods=["POST"])
@requires(ACCOUNT)
def end_other_sessions():
    response = submit(
        EmptyForm(),
        lambda: services.end_other_sessions(current_user),
        lambda count: ngettext(
            "%(num)d other session has ended.", "%(num)d other sessions have ended.", count
        ),
        url_for("accounts.sessions_page"),
    )
    return response or _sessions_page(400)


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
