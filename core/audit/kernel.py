"""How the kernel's own records and the account events read in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.audit.registry import (
    ANY_VALUE,
    NO_VALUE,
    EventKind,
    Page,
    describe,
    describe_common,
    register_event,
)
from core.models import Department, Setting, User, UserRole
from core.settings import REGISTRY

#: account events: a sign-in, a sign-out, a refused sign-in, password and calendar-link changes
LOGIN = "login"
LOGOUT = "logout"
LOGIN_FAILED = "login_failed"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
CALENDAR_LINK_RESET = "calendar_link_reset"
SECOND_FACTOR_ENABLED = "second_factor_enabled"
SECOND_FACTOR_DISABLED = "second_factor_disabled"
SECOND_FACTOR_FAILED = "second_factor_failed"
#: `flask secrets reseal` after the secret key changed (core.sealing)
SECRETS_RESEALED = "secrets_resealed"


def register_events() -> None:
    """The account events and their sentences."""
    someone = _l("Someone")
    events = {
        LOGIN: EventKind(_l("signed in"), _l("signed in as %(record)s")),
        LOGOUT: EventKind(_l("signed out"), _l("signed %(record)s out")),
        LOGIN_FAILED: EventKind(
            None,
            _l("failed to sign in as %(record)s"),
            unknown=_l("failed to sign in with the unknown username “%(username)s”"),
            nobody=someone,
        ),
        PASSWORD_CHANGED: EventKind(
            _l("changed their own password"),
            _l("changed the password of %(record)s"),
            explains=("password_hash",),
        ),
        PASSWORD_RESET: EventKind(
            _l("reset their own password"),
            _l("reset the password of %(record)s"),
            explains=("password_hash",),
        ),
        CALENDAR_LINK_RESET: EventKind(
            _l("reset their calendar link"),
            _l("reset the calendar link of %(record)s"),
            explains=("calendar_token",),
        ),
        SECOND_FACTOR_ENABLED: EventKind(
            _l("turned on sign-in codes from an authenticator app"),
            _l("turned on sign-in codes for %(record)s"),
            explains=("totp_secret",),
        ),
        SECOND_FACTOR_DISABLED: EventKind(
            _l("turned off their sign-in codes"),
            _l("turned off the sign-in codes of %(record)s"),
            explains=("totp_secret",),
        ),
        SECOND_FACTOR_FAILED: EventKind(
            None, _l("entered a wrong sign-in code as %(record)s"), nobody=someone
        ),
        SECRETS_RESEALED: EventKind(
            None,
            _l("sealed the stored secrets of %(record)s again under a new secret key"),
            explains=("calendar_token", "totp_secret"),
            nobody=_l("The server's operator"),
        ),
    }
    for action, kind in events.items():
        register_event(action, kind)


def register_records() -> None:
    """Users, their roles, departments and settings."""
    describe(
        User,
        _l("User account"),
        name=User.display_name,
        fields={
            "username": _l("Username"),
            "display_name": _l("Full name"),
            "email": _l("E-mail"),
            "is_active": _l("Active"),
            "locale": _l("Language"),
            "department_id": _l("Department"),
            "created_at": _l("Created at"),
            "totp_enabled_at": _l("Sign-in codes turned on at"),
        },
        secrets={
            "password_hash": _l("changed the password of %(record)s"),
            "calendar_token": _l("reset the calendar link of %(record)s"),
            "totp_secret": _l("changed the sign-in code secret of %(record)s"),
        },
        page=Page("admin.edit_user", "user_id"),
    )
    describe(
        UserRole,
        _l("Role"),
        fields={"user_id": _l("User account"), "role": _l("Role")},
        display_name=lambda shown: f"{shown['user_id']}: {shown['role']}",
        parent="user_id",
        phrases={
            "create": _l("gave %(user_id)s the role %(role)s"),
            "delete": _l("took the role %(role)s from %(user_id)s"),
        },
        page=Page("admin.edit_user", "user_id", "user_id"),
    )
    describe(
        Department,
        _l("Department"),
        name=Department.name,
        fields={
            "name": _l("Name"),
            "kind": _l("Kind"),
            "principal_head": _l("Principal head"),
            "deputy_head": _l("Deputy head in charge"),
            "is_active": _l("Active"),
        },
        page=Page("admin.edit_department", "department_id"),
    )

    def setting_name(shown) -> str:
        spec = REGISTRY.get(shown.get("key", ""))
        return str(spec.label) if spec else shown.get("key", "")

    describe(
        Setting,
        _l("Setting"),
        fields={"value": _l("Value")},
        display_name=setting_name,
        quiet=frozenset({"key"}),
        page=Page("admin.settings_page"),
    )


def register_voiding() -> None:
    """The fields every voidable record has (core.models.Voidable)."""
    describe_common(
        {
            "voided_at": _l("Voided at"),
            "voided_by_id": _l("Voided by"),
            "void_reason": _l("Why it was voided"),
        },
        {
            ("voided_at", ANY_VALUE): _l("voided %(record)s: %(void_reason)s"),
            ("voided_at", NO_VALUE): _l("restored %(record)s"),
        },
    )


def register() -> None:
    register_events()
    register_voiding()
    register_records()
