"""Writes to accounts and departments: each flushes, never commits; the audit trail follows."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import String, func, literal, select, type_coerce, update

from core import audit, throttle, twofactor
from core.audit.kernel import (
    CALENDAR_LINK_RESET,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    SECOND_FACTOR_DISABLED,
    SECRETS_RESEALED,
)
from core.auth import check_password, hash_password
from core.errors import DomainError, stale_edit
from core.extensions import db
from core.models import Department, Role, SessionEnd, User, UserSession, new_calendar_token
from core.passwords import check_new_password
from core.policy import ACCOUNT, MANAGE_DEPARTMENTS, MANAGE_USERS, service
from core.sealing import opens, reseal
from core.sessions import end_session, end_sessions


def _username_taken(username: str) -> bool:
    return (
        db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
        is not None
    )


@service(MANAGE_USERS)
def create_user(
    actor: User | None,
    *,
    username: str,
    password: str,
    display_name: str,
    roles: Iterable[Role],
    email: str | None = None,
    department_id: int | None = None,
    locale: str | None = None,
    is_active: bool = True,
) -> User:
    """Create a login account."""
    if _username_taken(username):
        raise DomainError(_("This username is taken; choose another."), field="username")
    check_new_password(password, (username, display_name))
    user = User(
        username=username,
        password_hash=hash_password(password),
        display_name=display_name,
        email=email or None,
        department_id=department_id or None,
        locale=locale or None,
        is_active=is_active,
    )
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    return user


@service(MANAGE_USERS)
def update_user(actor: User, user: User, *, version, **fields) -> User:
    """Change a user's name, role, department, language or active flag."""
    check_version(user, version)
    roles = frozenset(Role(role) for role in fields.pop("roles", user.roles))
    if user.id == actor.id and (Role.ADMIN not in roles or not fields.get("is_active", True)):
        raise DomainError(
            _("You cannot remove your own administrator role or deactivate yourself."),
            field="roles",
        )
    if roles != user.roles:
        user.roles = roles
        # a changed role takes effect at once, not at the next login
        end_sessions(user, SessionEnd.ROLES_CHANGED)
    for name, value in fields.items():
        setattr(user, name, value if isinstance(value, bool) else (value or None))
    if not user.is_active:
        end_sessions(user, SessionEnd.DEACTIVATED)
    user.version += 1  # the version is raised by hand: see User.version
    db.session.flush()
    return user


@service(MANAGE_USERS)
def reset_password(actor: User, user: User, password: str) -> None:
    """Give the user a new password and end their open sessions.

    Unlike the user's own change, a reset is not compared with the current password: the
    answer would tell the administrator what the user's password is.
    """
    check_new_password(password, (user.username, user.display_name))
    audit.record_event(PASSWORD_RESET, user, actor=actor)
    user.password_hash = hash_password(password)
    end_sessions(user, SessionEnd.PASSWORD_RESET)
    db.session.flush()


@service(MANAGE_USERS)
def reset_second_factor(actor: User, user: User) -> None:
    """Turn off a user's second factor (a lost phone) and end their open sessions; a user
    whose role must use one sets it up again at their next login."""
    audit.record_event(SECOND_FACTOR_DISABLED, user, actor=actor)
    twofactor.remove_second_factor(user)
    end_sessions(user, SessionEnd.SECOND_FACTOR_RESET)
    db.session.flush()


@service(ACCOUNT)
def change_own_password(user: User, current: str, new: str, *, ip: str) -> None:
    """Let a user change their own password after proving the current one.

    The current password is throttled like a login (core.throttle): a stolen session must
    not become a way to guess it. The user's other sessions end; this one goes on.
    """
    check_new_password(new, (user.username, user.display_name))
    attempt = throttle.record_attempt(user.username, ip)
    if attempt.refused:
        raise DomainError(throttle.wait_message(attempt), field="current", code="throttled")
    if not check_password(user, current):
        raise DomainError(_("The current password is wrong."), field="current")
    throttle.mark_succeeded(attempt)
    if check_password(user, new):
        raise DomainError(
            _("The new password is the same as the current one; choose a different one."),
            field="password",
        )
    audit.record_event(PASSWORD_CHANGED, user, actor=user)
    user.password_hash = hash_password(new)
    end_sessions(user, SessionEnd.PASSWORD_CHANGED, keep=user.current_session)
    db.session.flush()


@service(ACCOUNT)
def end_own_session(user: User, login_session: UserSession) -> None:
    """End another session of the user's (a browser left logged in elsewhere)."""
    if login_session.user_id != user.id:
        raise DomainError(_("This session is not yours."))
    if user.current_session is not None and login_session.id == user.current_session.id:
        raise DomainError(_("This is the session you are using: log out to end it."))
    end_session(login_session, SessionEnd.ENDED_BY_USER)
    db.session.flush()


@service(ACCOUNT)
def end_other_sessions(user: User) -> int:
    """End every session of the user's but the one in use; tell how many ended."""
    return end_sessions(user, SessionEnd.ENDED_BY_USER, keep=user.current_session)


@service(ACCOUNT)
def reset_calendar_token(user: User) -> None:
    """Give the user a new secret calendar address; the old one stops working."""
    audit.record_event(CALENDAR_LINK_RESET, user, actor=user)
    user.calendar_token = new_calendar_token()
    db.session.flush()


#: the columns of User stored sealed (core.sealing)
SEALED_COLUMNS = ("calendar_token", "totp_secret")


def _stored_secrets():
    """Each user's id and sealed columns as stored (not opened), the unset ones left out."""
    table = User.__table__
    stored = [type_coerce(table.c[name], String).label(name) for name in SEALED_COLUMNS]
    for row in db.session.execute(select(table.c.id, *stored)):
        yield row.id, {name: row._mapping[name] for name in SEALED_COLUMNS if row._mapping[name]}


def unreadable_secrets() -> list[str]:
    """The usernames whose stored secrets neither SECRET_KEY nor a fallback opens."""
    unreadable = [
        user_id
        for user_id, sealed in _stored_secrets()
        if not all(opens(value) for value in sealed.values())
    ]
    return _usernames(unreadable)


def reseal_secrets() -> list[str]:
    """Seal every user's stored secrets again under the current secret key, after a rotation
    (the old key among SECRET_KEY_FALLBACKS). Return the usernames whose secrets no key opens:
    they are left as they are, for the old key to be found or the users to reset them."""
    table = User.__table__
    users = {user.id: user for user in db.session.scalars(select(User))}
    unreadable = []
    for user_id, sealed in _stored_secrets():
        values = {name: reseal(value) for name, value in sealed.items()}
        if None in values.values():
            unreadable.append(user_id)
            continue
        audit.record_event(SECRETS_RESEALED, users[user_id], actor=None)
        db.session.execute(
            table.update()
            .where(table.c.id == user_id)
            .values({table.c[name]: literal(value, String) for name, value in values.items()})
        )
    return _usernames(unreadable)


def _usernames(user_ids: list[int]) -> list[str]:
    return list(
        db.session.scalars(
            select(User.username).where(User.id.in_(user_ids)).order_by(User.username)
        )
    )


def check_version(record, version: str | int | None) -> None:
    """Refuse a save made from a form opened before someone else's save, or one that does not
    say which version it changes (it would overwrite whatever is there)."""
    if str(record.version) != str(version):
        raise stale_edit()


def is_taken(column, value, except_id: int | None = None) -> bool:
    """Tell whether another record (not `except_id`) already has this value in a unique column."""
    model = column.class_
    stmt = select(model.id).where(column == value)
    if except_id is not None:
        stmt = stmt.where(model.id != except_id)
    # a voided record keeps its unique values, which the database still holds it to
    return db.session.scalar(stmt.limit(1).execution_options(include_voided=True)) is not None


@service(MANAGE_DEPARTMENTS)
def save_department(actor: User, department: Department | None, version=None, **fields):
    """Create a department, or update one unless someone else saved it meanwhile."""
    if is_taken(Department.name, fields["name"], department.id if department else None):
        raise DomainError(_("A department with this name exists already."), field="name")
    if department is None:
        department = Department()
        db.session.add(department)
    else:
        check_version(department, version)
    for name, value in fields.items():
        setattr(department, name, value if isinstance(value, bool) else (value or None))
    db.session.flush()
    return department


def next_in_year(counter, year: int) -> int:
    """Take the next number of the year from a counter table (a model with `year` as its key
    and `last_seq`): the row is bumped in place, so two transactions never get one number."""
    bumped = db.session.execute(
        update(counter).where(counter.year == year).values(last_seq=counter.last_seq + 1)
    ).rowcount
    if not bumped:
        db.session.add(counter(year=year, last_seq=1))
        db.session.flush()
        return 1
    return db.session.scalar(select(counter.last_seq).where(counter.year == year))
