"""Writes to accounts and departments: each flushes, never commits; the audit trail follows."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.auth import check_password, hash_password
from core.errors import DomainError, stale_edit
from core.extensions import db
from core.models import Department, Role, User
from core.policy import ACCOUNT, MANAGE_DEPARTMENTS, MANAGE_USERS, service


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
        end_sessions(user)  # a changed role takes effect at once, not at the next login
    for name, value in fields.items():
        setattr(user, name, value if isinstance(value, bool) else (value or None))
    if not user.is_active:
        end_sessions(user)
    user.version += 1  # the version is raised by hand: see User.version
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every open session of the user at their next request."""
    user.session_token = secrets.token_hex(16)


@service(MANAGE_USERS)
def reset_password(actor: User, user: User, password: str) -> None:
    """Give the user a new password and end their open sessions."""
    user.password_hash = hash_password(password)
    end_sessions(user)
    db.session.flush()


@service(ACCOUNT)
def change_own_password(user: User, current: str, new: str) -> None:
    """Let a user change their own password after proving the current one."""
    if not check_password(user, current):
        raise DomainError(_("The current password is wrong."), field="current")
    user.password_hash = hash_password(new)
    db.session.flush()


@service(ACCOUNT)
def reset_calendar_token(user: User) -> None:
    """Give the user a new secret calendar address; the old one stops working."""
    user.calendar_token = secrets.token_urlsafe(24)
    db.session.flush()


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
    return db.session.scalar(stmt.limit(1)) is not None


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
