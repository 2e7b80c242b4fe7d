"""Throttling password tries: slower and slower per account, limited per address, never a lock.

Every try of a password (the login form, the current password on the change form) is written
down and counted in one short transaction of its own, which tries on the same username or from
the same address take in turn: of twenty tries made at the same moment by several workers, no
more get through than the limit allows. A try counts as failed until it is marked as succeeded.

Failed tries within LOGIN_THROTTLE_WINDOW_SECONDS are counted in three scopes; past a scope's
number of free failures, each further try waits LOGIN_THROTTLE_DELAY_SECONDS after the latest
failure, twice as long for each failure more, at most the window:

- one username from one address: LOGIN_THROTTLE_LIMIT (5);
- one username from everywhere: LOGIN_ACCOUNT_LIMIT (10), but not asked of an address the
  user has logged in from before, so that someone guessing from elsewhere cannot keep the
  real user out at their own desk, and cannot guess faster by changing address either;
- one address, any usernames: LOGIN_ADDRESS_LIMIT (20), against guessing many accounts.

A refused try checks no password and is not kept. Behind a reverse proxy the address is read
through COUNSEL_TRUSTED_PROXIES (see create_app); otherwise every client would share one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, delete, func, insert, or_, select, update

from core.extensions import db
from core.i18n import TIMEZONE
from core.models import LoginAttempt, LoginOutcome, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attempt:
    """A recorded try; `retry_at` is when to try again when this one was refused."""

    #: None for a refused try, which is not kept
    id: int | None
    retry_at: datetime | None = None

    @property
    def refused(self) -> bool:
        return self.retry_at is not None


def next_try_at(failures: int, latest: datetime | None, free: int, first_wait: int, longest: int):
    """When the next try is allowed after `failures` failures, the latest at `latest`.

    None while fewer than `free` failures: the try may go ahead.
    """
    if failures < free or latest is None:
        return None
    extra = min(failures - free, 20)  # 2**20 times any wait is past the longest anyway
    return latest + timedelta(seconds=min(first_wait * 2**extra, longest))


def record_attempt(username: str, ip: str) -> Attempt:
    """Write the try down and decide whether it may go ahead; a refused one is not kept.

    Its own transaction, committed before the password is checked: the request's may yet
    roll back (a wrong current password), and the try must stay counted. Call it before the
    request writes anything: on SQLite the request's own write lock would hold it up.
    """
    username, ip, now = username[:64], ip[:64], utcnow()
    with db.engine.connect() as connection:
        _take_turn(connection, username, ip)
        attempt_id = connection.execute(
            insert(LoginAttempt).values(
                username=username, ip=ip, attempted_at=now, outcome=LoginOutcome.FAILED
            )
        ).inserted_primary_key[0]
        retry_at = _retry_at(connection, username, ip, attempt_id, now)
        if retry_at is None:
            connection.commit()
            return Attempt(attempt_id)
        connection.rollback()
    log.warning("password try for %r from %s refused until %s", username, ip, retry_at)
    return Attempt(None, retry_at)


def _take_turn(connection, username: str, ip: str) -> None:
    """Make the tries on this username or from this address wait for one another's count.

    SQLite needs nothing: the insert takes the database's write lock until the commit. On
    PostgreSQL two advisory locks, username then address, held until the transaction ends
    (always taken in that order, so two tries never wait for each other in a circle).
    """
    if connection.dialect.name != "postgresql":
        return
    for space, key in ((1, username), (2, ip)):
        connection.execute(select(func.pg_advisory_xact_lock(space, func.hashtext(key))))


def _retry_at(connection, username: str, ip: str, attempt_id: int, now: datetime):
    config = current_app.config
    window = config["LOGIN_THROTTLE_WINDOW_SECONDS"]
    same_account = LoginAttempt.username == username
    same_address = LoginAttempt.ip == ip
    both = and_(same_account, same_address)

    def scope(condition):
        return func.count(case((condition, 1))), func.max(
            case((condition, LoginAttempt.attempted_at))
        )

    counts = connection.execute(
        select(*scope(both), *scope(same_account), *scope(same_address)).where(
            LoginAttempt.outcome == LoginOutcome.FAILED,
            LoginAttempt.attempted_at >= now - timedelta(seconds=window),
            LoginAttempt.id != attempt_id,
            or_(same_account, same_address),
        )
    ).one()
    known_address = connection.scalar(
        select(LoginAttempt.id).where(both, LoginAttempt.outcome == LoginOutcome.SUCCEEDED).limit(1)
    )
    limits = [
        (counts[0], counts[1], config["LOGIN_THROTTLE_LIMIT"]),
        (counts[4], counts[5], config["LOGIN_ADDRESS_LIMIT"]),
    ]
    if known_address is None:
        limits.append((counts[2], counts[3], config["LOGIN_ACCOUNT_LIMIT"]))
    first_wait = config["LOGIN_THROTTLE_DELAY_SECONDS"]
    times = [next_try_at(n, latest, free, first_wait, window) for n, latest, free in limits]
    latest_allowed = max((t for t in times if t is not None), default=None)
    return latest_allowed if latest_allowed is not None and latest_allowed > now else None


def mark_succeeded(attempt: Attempt) -> None:
    """Note that the try's password was right; written with the request's own transaction."""
    db.session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.id == attempt.id)
        .values(outcome=LoginOutcome.SUCCEEDED)
    )


def wait_message(attempt: Attempt) -> str:
    """Tell the user when they may try again, in local time."""
    return _(
        "Too many failed attempts. Try again after %(time)s.",
        time=attempt.retry_at.astimezone(TIMEZONE).strftime("%H:%M:%S"),
    )


def retry_after_seconds(attempt: Attempt) -> int:
    """The Retry-After header's value for a refused try."""
    return max(1, int((attempt.retry_at - utcnow()).total_seconds() + 0.999))


def purge_attempts(before: datetime) -> int:
    """Delete the password tries made before the given time."""
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))
    return result.rowcount
