"""Logging in and out, password hashing, and finding the user of each request's session."""

from __future__ import annotations

from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core import audit, sessions, throttle, twofactor
from core.audit.kernel import LOGIN, LOGIN_FAILED, LOGOUT
from core.extensions import db, login_manager
from core.forms import LoginForm
from core.models import Notification, SessionEnd, User, UserSession, utcnow
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
        audit.explain(user, "password_hash")  # the same password, hashed anew: no change
        user.password_hash = hash_password(password)
    return True


#: the Flask session's entry holding the login session's key (Flask-Login keeps the user id)
SESSION_KEY = "session_key"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Find the user of this browser's login session; an ended, idle or expired one has none.

    One query: the session, its user, the user's roles and unread count (every page shows
    them). A refused session is forgotten by the browser and remembered in `g` for the
    message on the login page.
    """
    key = session.get(SESSION_KEY)
    if not key:
        return None
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(
        select(User, UserSession, unread)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.key_hash == sessions.digest(key))
        .options(joinedload(User.role_rows))
    ).first()
    if row is None or str(row[0].id) != user_id:
        forget_login()
        return None
    user, login_session, user.unread_count = row
    now = utcnow()
    refusal = sessions.refusal(login_session, user, now)
    if refusal is not None:
        g.session_refusal = refusal
        forget_login()
        return None
    sessions.touch(login_session, now)
    user.current_session = login_session
    return user


def forget_login() -> None:
    """Drop the login from the browser's cookie, with the secret its CSRF tokens were made
    from: a form token of this login is worth nothing after it."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    for name in ("_user_id", "_fresh", "_id", SESSION_KEY, field):
        session.pop(name, None)
    g.pop(field, None)


def login_prompt() -> str:
    """What the login page says to someone sent there: why their session ended, if it did."""
    refusal = g.get("session_refusal")
    if refusal == sessions.Refusal.IDLE:
        return _(
            "You were logged out after %(minutes)d minutes without activity. Please log in again.",
            minutes=sessions.limits()["minutes"],
        )
    if refusal == sessions.Refusal.EXPIRED:
        return _(
            "You were logged out %(hours)d hours after logging in. Please log in again.",
            hours=sessions.limits()["hours"],
        )
    if refusal == sessions.Refusal.ENDED:
        return _("Your session was ended. Please log in again.")
    return _("Please log in to see this page.")


def is_safe_next(target: str | None) -> bool:
    """Tell whether a `next` URL stays on this site."""
    if not target or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/")


def client_ip() -> str:
    return request.remote_addr or "unknown"


def authenticate(username: str, password: str) -> User | None:
    """Return the active user with these credentials, or None."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        hasher.hash(password)  # spend the same time whether or not the user exists
        return None
    return user if check_password(user, password) else None


def record_failed_login(username: str) -> None:
    """Put a refused sign-in on the audit trail, against the account when there is one."""
    target = db.session.scalar(select(User).where(User.username == username))
    audit.record_event(LOGIN_FAILED, target, actor=None, details={"username": username[:64]})


def complete_login(user: User):
    """Sign in a user whose credentials were checked, and send them where they were going.

    The one place a sign-in completes: it opens the server-side session and gives the browser
    a new CSRF secret, so no token from before the login is good after it.
    """
    audit.record_event(LOGIN, user, actor=user)
    user.last_login_at = utcnow()
    key = sessions.start_session(user, client_ip(), request.user_agent.string or "")
    forget_login()
    login_user(user)
    session[SESSION_KEY] = key
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
    status, headers = 200, {}
    if form.validate_on_submit():
        attempt = throttle.record_attempt(form.username.data.strip(), client_ip())
        if attempt.refused:
            form.password.errors.append(throttle.wait_message(attempt))
            status, headers = 429, {"Retry-After": str(throttle.retry_after_seconds(attempt))}
        else:
            user = authenticate(form.username.data.strip(), form.password.data)
            if user is None:
                record_failed_login(form.username.data.strip())
                form.password.errors.append(_("Wrong username or password."))
                status = 401
            else:
                throttle.mark_succeeded(attempt)
                if twofactor.second_step_needed(user):
                    return twofactor.begin_second_step(user)
                return complete_login(user)
    elif request.method == "POST":
        status = 400
    return render_template("core/login.html", form=form), status, headers


@bp.route("/logout", methods=["POST"])
@requires(ACCOUNT)
def logout():
    """Sign the user out and end their session, so that a copy of the cookie is worth nothing."""
    user = current_user._get_current_object()
    audit.record_event(LOGOUT, user, actor=user)
    sessions.end_session(current_user.current_session, SessionEnd.LOGOUT)
    logout_user()
    forget_login()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))
