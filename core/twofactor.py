"""The second factor: a code from an authenticator app (TOTP), or a one-time recovery code.

Signing in takes two steps when the user has turned the second factor on, or when a setting
requires it of their role: after the password, `begin_second_step` remembers the user in the
session for a few minutes, and the code step (core.views.twofactor) finishes the sign-in with
`core.auth.complete_login`. A required user who has not set it up yet is sent to set it up
first. Codes are checked with one step of clock drift either way; a code is good once, and
wrong answers are counted per account in the database, so neither a second browser nor a
replayed cookie gets more tries.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pyotp
import segno
from flask import current_app, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm.attributes import flag_modified

from core import audit, settings
from core.audit.kernel import SECOND_FACTOR_DISABLED, SECOND_FACTOR_ENABLED
from core.errors import DomainError
from core.extensions import db
from core.models import RecoveryCode, Role, User, utcnow
from core.policy import ACCOUNT, service
from core.settings import SettingSpec

REQUIRED_SETTING = "security.second_factor_required"
#: the roles a setting may oblige to use the second factor
REQUIRED_ROLES = (Role.ADMIN, Role.OFFICE)
#: a code changes every step; drift is allowed one step either way
STEP_SECONDS = 30
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
#: no 0/o, 1/i/l: a code copied from paper is read back right
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_HALF = 5
PENDING_KEY = "second_step"

settings.register(
    SettingSpec(
        REQUIRED_SETTING,
        0,
        _l("Second factor required for administrators and office staff"),
        help=_l(
            "1: they must sign in with a code from an authenticator app; 0: each user chooses."
        ),
        minimum=0,
        maximum=1,
    )
)


class Outcome(enum.Enum):
    """What became of an answer to the second-factor question."""

    ACCEPTED = "accepted"
    WRONG = "wrong"
    #: too many wrong answers lately: none is checked until the lock passes
    LOCKED = "locked"


def required_for(user: User) -> bool:
    """Tell whether the settings oblige this user to sign in with a second factor."""
    return user.has_role(*REQUIRED_ROLES) and settings.get(REQUIRED_SETTING) == 1


def second_step_needed(user: User) -> bool:
    """Tell whether the password alone does not sign this user in."""
    return user.has_second_factor or required_for(user)


# --- the secret and its QR code ------------------------------------------------------------


def new_secret() -> str:
    """A fresh random secret for an authenticator app (160 bits, base32)."""
    return pyotp.random_base32()


def readable_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=current_app.config["TWO_FACTOR_ISSUER"]
    )


def qr_svg(user: User, secret: str) -> Markup:
    """The secret as a QR code, drawn here as inline SVG: nothing is fetched from anywhere."""
    code = segno.make(provisioning_uri(user, secret), error="m")
    title = _("QR code to scan with the authenticator app")
    return Markup(
        code.svg_inline(scale=4, title=title, svgclass="qr-code", light="#fff", dark="#000")
    )


# --- checking codes --------------------------------------------------------------------------


def normalise(answer: str) -> str:
    """An answer as typed, without spaces or dashes, in lower case."""
    return "".join(answer.split()).replace("-", "").lower()


def looks_like_app_code(answer: str) -> bool:
    text = normalise(answer)
    return len(text) == 6 and text.isascii() and text.isdigit()


def current_step(now: float | None = None) -> int:
    """The number of the 30-second step the time falls in, as the app counts them."""
    return int((now if now is not None else time.time()) // STEP_SECONDS)


def matching_step(
    secret: str, answer: str, after: int | None, now: float | None = None
) -> int | None:
    """The time step whose code the answer is, within the drift allowed, and later than `after`
    (the last step already used); None when there is none."""
    if not looks_like_app_code(answer):
        return None
    code, step = normalise(answer), current_step(now)
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if (after is None or candidate > after) and hmac.compare_digest(
            totp.generate_otp(candidate), code
        ):
            return candidate
    return None


def _use_step(user: User, step: int) -> bool:
    """Mark a time step used, unless it or a later one was: one statement, so two requests
    with the same code cannot both get in."""
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["totp_last_step"])
    return result.rowcount == 1


def _use_app_code(user: User, answer: str) -> bool:
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, answer, after=user.totp_last_step)
    return step is not None and _use_step(user, step)


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _use_recovery_code(user: User, answer: str) -> bool:
    """Spend a recovery code: true once per code, and only for its owner."""
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_recovery_code(answer),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _lock_started() -> datetime:
    return utcnow() - timedelta(seconds=current_app.config["TWO_FACTOR_LOCK_SECONDS"])


def _claim_try(user: User) -> bool:
    """Count one more answer as wrong until it proves right, unless the account had too many
    wrong answers lately; the check and the count are one statement, so parallel requests
    cannot all slip under the limit."""
    recent = and_(User.totp_failed_at.is_not(None), User.totp_failed_at >= _lock_started())
    limit = current_app.config["TWO_FACTOR_MAX_TRIES"]
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, ~and_(recent, User.totp_failures >= limit))
        .values(
            totp_failures=case((recent, User.totp_failures + 1), else_=1),
            totp_failed_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["totp_failures", "totp_failed_at"])
    return result.rowcount == 1


def _clear_tries(user: User) -> None:
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(totp_failures=0, totp_failed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user, ["totp_failures", "totp_failed_at"])


def check_answer(
    user: User, answer: str, password_check: Callable[[User, str], bool] | None = None
) -> Outcome:
    """Check a code from the app, or else a recovery code (or, given `password_check`, the
    password), counting wrong answers towards the account's lock."""
    if not _claim_try(user):
        return Outcome.LOCKED
    if looks_like_app_code(answer):
        accepted = _use_app_code(user, answer)
    elif password_check is not None:
        accepted = password_check(user, answer)
    else:
        accepted = _use_recovery_code(user, answer)
    if accepted:
        _clear_tries(user)
        return Outcome.ACCEPTED
    locked = user.totp_failures >= current_app.config["TWO_FACTOR_MAX_TRIES"]
    return Outcome.LOCKED if locked else Outcome.WRONG


def outcome_message(outcome: Outcome) -> str:
    if outcome is Outcome.LOCKED:
        return _(
            "Too many wrong codes. Wait %(minutes)d minutes, then try again.",
            minutes=current_app.config["TWO_FACTOR_LOCK_SECONDS"] // 60,
        )
    return _("That code is not right, or it was used already. Try the next code the app shows.")


# --- recovery codes --------------------------------------------------------------------------


def new_recovery_code() -> str:
    """A random code written as two groups of five, e.g. "k7m2p-x9qrt" (about 50 bits)."""
    letters = [secrets.choice(RECOVERY_ALPHABET) for _ in range(2 * RECOVERY_CODE_HALF)]
    return f"{''.join(letters[:RECOVERY_CODE_HALF])}-{''.join(letters[RECOVERY_CODE_HALF:])}"


def _replace_recovery_codes(user: User) -> list[str]:
    """Give the user a new set of recovery codes; the old ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_recovery_code(code)) for code in codes
    )
    db.session.flush()
    return codes


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


# --- turning it on and off ---------------------------------------------------------------------


@service(ACCOUNT)
def enable_second_factor(user: User, secret: str, answer: str) -> list[str]:
    """Turn the second factor on once a code from the app proves the secret reached it;
    return the recovery codes, to be shown this once."""
    if user.has_second_factor:
        raise DomainError(_("The second factor is on already."), field="code")
    step = matching_step(secret, answer, after=None)
    if step is None:
        raise DomainError(
            _("That is not the code the app shows now. Check the app's clock, then try again."),
            field="code",
        )
    audit.record_event(SECOND_FACTOR_ENABLED, user, actor=user)
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    user.totp_failures, user.totp_failed_at = 0, None
    return _replace_recovery_codes(user)


@service(ACCOUNT)
def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; return the new ones, to be shown this once."""
    if not user.has_second_factor:
        raise DomainError(_("Turn the second factor on first."))
    return _replace_recovery_codes(user)


@service(ACCOUNT)
def disable_second_factor(user: User) -> None:
    """Turn the user's second factor off, unless their role must keep it."""
    if required_for(user):
        raise DomainError(
            _("Your role must sign in with a second factor; it cannot be turned off.")
        )
    audit.record_event(SECOND_FACTOR_DISABLED, user, actor=user)
    remove_second_factor(user)


def remove_second_factor(user: User) -> None:
    """Forget the user's secret and recovery codes (for the services that turn it off)."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    flag_modified(user, "totp_secret")  # also when it read as None: sealed under a lost key
    user.totp_failures, user.totp_failed_at = 0, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


# --- the step between the password and the session ------------------------------------------


def _credentials_mark(user: User) -> str:
    """A fingerprint of the user's password and second factor as they are: it changes when
    either is reset, which ends a sign-in part-way through. (The hash's salt never leaves the
    server, so the fingerprint tells nothing about the password.)"""
    held = f"{user.password_hash}|{user.totp_enabled_at}"
    return hashlib.sha256(held.encode()).hexdigest()[:32]


def begin_second_step(user: User):
    """Remember a user whose password was right, and send them to the code (or set-up) step."""
    session[PENDING_KEY] = {"user": user.id, "mark": _credentials_mark(user), "at": time.time()}
    step = "twofactor.verify" if user.has_second_factor else "twofactor.enrol"
    return redirect(url_for(step, next=request.args.get("next")))


def pending_user() -> User | None:
    """The user part-way through signing in, while the step has not expired and nothing (a
    deactivation, a reset of the password or the second factor) happened meanwhile."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    age = time.time() - float(state.get("at", 0))
    if not 0 <= age <= current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        return None
    user_id = state.get("user")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or _credentials_mark(user) != state.get("mark"):
        return None
    return user


def end_second_step() -> bool:
    """Forget the part-way sign-in; tell whether there was one."""
    return session.pop(PENDING_KEY, None) is not None
