"""Logging in and out, password hashing and login throttling."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload

from core.extensions import db, login_manager
from core.forms import LoginForm
from core.models import LoginAttempt, Notification, User, utcnow
from core.policy import ACCOUNT, public, requires

bp = Blueprint("auth", __name__)
hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """Return an argon2 hash of the password."""
    return hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    """Tell whether the password matches, upgrading an outdated hash on the way."""
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Find the user behind a session id; deactivated users and reset sessions get none."""
    user_id, _sep, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    # the roles and the unread count come in the same query: every page shows them
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(
        select(User, unread).where(User.id == int(user_id)).options(joinedload(User.role_rows))
    ).first()
    if row is None:
        return None
    user, user.unread_count = row
    if not user.is_active or user.session_token != token:
        return None
    return user


def is_safe_next(target: str | None) -> bool:
    """Tell whether a `next` URL stays on this site."""
    if not target or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")


def client_ip() -> str:
    return request.remote_addr or "unknown"


def _window_start():
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_THROTTLE_WINDOW_SECONDS"])


def is_throttled(username: str, ip: str) -> bool:
    """Tell whether this username has failed too often from this address lately."""
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.username == username,
            LoginAttempt.ip == ip,
            LoginAttempt.attempted_at >= _window_start(),
        )
    )
    return count >= current_app.config["LOGIN_THROTTLE_LIMIT"]


def record_failed_login(username: str, ip: str) -> None:
    db.session.add(LoginAttempt(username=username, ip=ip))


def clear_failed_logins(username: str, ip: str) -> None:
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.username == username, LoginAttempt.ip == ip)
    )


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        hasher.hash(password)  # spend the same time whether or not the user exists
        return None
    return user if check_password(user, password) else None


def complete_login(user: User):
    """Sign in a user whose credentials were checked, and send them where they were going."""
    user.last_login_at = utcnow()
    login_user(user)
    session.permanent = True
    target = request.args.get("next")
    return redirect(target if is_safe_next(target) else url_for("accounts.home"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form and sign the user in."""
    if request.args.get("lang") in current_app.config["COUNSEL_LOCALES"]:
        session["locale"] = request.args["lang"]
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username, ip = form.username.data.strip(), client_ip()
        if is_throttled(username, ip):
            form.password.errors.append(
                _("Too many failed attempts. Wait 15 minutes, then try again.")
            )
            status = 429
        else:
            user = authenticate(username, form.password.data)
            if user is None:
                record_failed_login(username, ip)
                form.password.errors.append(_("Wrong username or password."))
                status = 401
            else:
                clear_failed_logins(username, ip)
                return complete_login(user)
    elif request.method == "POST":
        status = 400
    return render_template("core/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@requires(ACCOUNT)
def logout():
    """Sign the user out."""
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
