"""Login sessions kept on the server, so that logging out and an administrator's change end them.

The browser's signed cookie holds a random key; its `UserSession` row holds the key's hash,
whose session it is, when it began and was last seen, and from which address and browser.
A request is refused when its session was ended, has been idle for SESSION_IDLE_MINUTES, or
began longer ago than PERMANENT_SESSION_LIFETIME. Idle and old sessions are refused as they
stand: nothing is written for them. The last-seen time is written at most once per
SESSION_TOUCH_SECONDS, in its own short transaction, so that pages which only read stay
read-only and the request's own transaction is left alone.
"""

from __future__ import annotations

import enum
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.extensions import db
from core.models import SessionEnd, User, UserSession, utcnow
from core.sealing import digest


class Refusal(enum.StrEnum):
    """Why a session no longer lets its browser in."""

    ENDED = "ended"
    IDLE = "idle"
    EXPIRED = "expired"


def start_session(user: User, ip: str, user_agent: str) -> str:
    """Open a login session for the user; return the key for the browser's cookie."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(
            user_id=user.id,
            key_hash=digest(key),
            created_at=now,
            last_seen_at=now,
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    return key


def _idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def _lifetime() -> timedelta:
    return current_app.permanent_session_lifetime


def limits() -> dict[str, int]:
    """The idle limit in minutes and the lifetime in hours, for messages that state them."""
    return {
        "minutes": current_app.config["SESSION_IDLE_MINUTES"],
        "hours": int(_lifetime().total_seconds() // 3600),
    }


def refusal(login_session: UserSession, user: User, now: datetime) -> Refusal | None:
    """Tell why the session no longer lets its user in, or None when it does."""
    if login_session.ended_at is not None or not user.is_active:
        return Refusal.ENDED
    if now - login_session.created_at >= _lifetime():
        return Refusal.EXPIRED
    if now - login_session.last_seen_at >= _idle_limit():
        return Refusal.IDLE
    return None


def _is_open(now: datetime) -> ColumnElement[bool]:
    """The SQL form of `refusal(...) is None`, for lists (the user's activeness aside)."""
    return and_(
        UserSession.ended_at.is_(None),
        UserSession.created_at > now - _lifetime(),
        UserSession.last_seen_at > now - _idle_limit(),
    )


def touch(login_session: UserSession, now: datetime) -> None:
    """Note that the session is in use, at most once per SESSION_TOUCH_SECONDS.

    Written through its own connection and committed at once: the request may be a GET,
    which must not write, and its own transaction may yet roll back.
    """
    if now - login_session.last_seen_at < timedelta(
        seconds=current_app.config["SESSION_TOUCH_SECONDS"]
    ):
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(UserSession)
            .where(UserSession.id == login_session.id, UserSession.last_seen_at < now)
            .values(last_seen_at=now)
        )
    set_committed_value(login_session, "last_seen_at", now)


def end_session(login_session: UserSession, reason: SessionEnd) -> None:
    """End one session: its browser is logged out at its next request."""
    login_session.ended_at = utcnow()
    login_session.end_reason = reason


def end_sessions(user: User, reason: SessionEnd, keep: UserSession | None = None) -> int:
    """End every open session of the user, but `keep` when given; tell how many ended."""
    stmt = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    result = db.session.execute(
        stmt.values(ended_at=utcnow(), end_reason=reason),
        execution_options={"synchronize_session": "fetch"},
    )
    return result.rowcount


def open_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still let a browser in, the most recently used first."""
    stmt = (
        select(UserSession)
        .where(UserSession.user_id == user.id, _is_open(utcnow()))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.scalars(stmt))


def purge_sessions(before: datetime) -> int:
    """Delete the sessions that ended, or were last used, before the given time."""
    result = db.session.execute(
        delete(UserSession).where(
            or_(
                UserSession.ended_at < before,
                and_(UserSession.ended_at.is_(None), UserSession.last_seen_at < before),
            )
        )
    )
    return result.rowcount


#: browsers and systems told apart on the sessions page, the most specific first
BROWSERS = (
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("360", r"QIHU|360SE|360EE"),
    ("QQ", r"QQBrowser"),
    ("WeChat", r"MicroMessenger"),
    ("Opera", r"OPR/|Opera"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Safari", r"Safari/"),
)
SYSTEMS = (
    ("HarmonyOS", r"HarmonyOS|OpenHarmony"),
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("Linux", r"Linux|X11"),
)


def describe_user_agent(user_agent: str) -> str:
    """A browser's User-Agent header shortened to what a person recognises: "Chrome · Windows".

    An empty string when neither is recognised.
    """

    def first(table) -> str | None:
        return next((name for name, pattern in table if re.search(pattern, user_agent)), None)

    return " · ".join(name for name in (first(BROWSERS), first(SYSTEMS)) if name)
