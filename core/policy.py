"""The access policy: which roles may take which action, and on which records.

Each package declares its actions in its own `policy.py` with a `Policy`, and scopes its
queries there with `visible_to`. Routes (`requires`), services (`require`), templates and the
menu all ask the same table, so a permission is decided in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from core import audit
from core.errors import NotAllowed
from core.extensions import db, login_manager
from core.models import Role

EVERYONE = frozenset(Role)
#: who may read the office's registers and reports
READERS = frozenset({Role.ADMIN, Role.OFFICE, Role.VIEWER, Role.LIAISON})
#: who runs the office's work
OFFICE = frozenset({Role.OFFICE})
ADMIN = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Rule:
    """Roles that may take an action, and a further check on the record when there is one."""

    roles: frozenset[Role]
    #: (user, record) -> bool, asked only when a record is given
    check: Callable | None = None


RULES: dict[str, Rule] = {}


class Policy:
    """One package's actions, named `<package>.<action>`."""

    def __init__(self, package: str):
        self.package = package

    def allow(self, action: str, roles: Iterable[Role], check: Callable | None = None) -> str:
        """Declare who may take the action; return its full name."""
        name = f"{self.package}.{action}"
        RULES[name] = Rule(frozenset(roles), check)
        return name


def rule_for(action: str) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise LookupError(f"no access rule declares the action {action!r}") from None


def can(user, action: str, obj=None) -> bool:
    """Tell whether the user may take the action (on this record, when one is given)."""
    rule = rule_for(action)
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.has_role(*rule.roles):
        return False
    return obj is None or rule.check is None or rule.check(user, obj)


def require(actor, action: str, obj=None) -> None:
    """Refuse with NotAllowed unless the actor may act; None is the system (jobs, commands)."""
    if actor is not None and not can(actor, action, obj):
        raise NotAllowed(_("You may not do this."))


def requires(action: str):
    """Let only logged-in users whose roles allow the action reach the view."""
    rule_for(action)  # fail at import when the action is undeclared

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*rule_for(action).roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access_action = action
        return wrapped

    return decorator


def check_or_403(action: str, obj) -> None:
    """In a view: refuse with 403 unless the current user may act on this record."""
    if not can(current_user, action, obj):
        abort(403)


def public(view):
    """Mark a view that anonymous visitors may reach (the login page, the calendar feed)."""
    view.access_public = True
    return view


def service(action: str):
    """Make a function a service for this action: the actor (its first argument) must be
    allowed, on the record given next when there is one, and the audit trail names the actor.
    """
    rule_for(action)

    def decorator(func):
        @wraps(func)
        def wrapped(actor, *args, **kwargs):
            require(actor, action, args[0] if args else None)
            if actor is None:
                return func(actor, *args, **kwargs)
            with audit.acting_as(db.session, actor.id):
                return func(actor, *args, **kwargs)

        wrapped.action = action
        return wrapped

    return decorator


def enforce_access_rule() -> None:
    """Refuse any endpoint that declares no access rule: deny by default."""
    if request.endpoint is None or request.endpoint == "static":
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "access_public", False) or getattr(view, "access_action", None):
        return
    current_app.logger.error("endpoint %s has no access rule", request.endpoint)
    abort(403)


# --- the kernel's own actions ------------------------------------------------------------

core_policy = Policy("core")
ACCOUNT = core_policy.allow("account", EVERYONE)
MANAGE_USERS = core_policy.allow("manage_users", ADMIN)
READ_DEPARTMENTS = core_policy.allow("read_departments", READERS)
MANAGE_DEPARTMENTS = core_policy.allow("manage_departments", OFFICE)
READ_AUDIT = core_policy.allow("read_audit", ADMIN | OFFICE)
READ_SETTINGS = core_policy.allow("read_settings", ADMIN | OFFICE)
CHANGE_SETTINGS = core_policy.allow("change_settings", ADMIN)
#: voiding (作废) a record entered by mistake, and restoring it
VOID_RECORDS = core_policy.allow("void_records", OFFICE)
