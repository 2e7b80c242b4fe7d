"""The password policy in words: each broken rule named in the user's language.

The rules themselves are pure, in core.password_rules. Every place that sets a password (the
user's own change, an administrator's create and reset, the `flask users create` command)
goes through a service that calls `check_new_password`; the forms call `problem_message` to
show the same words beside the field before anything is sent to a service.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from core.errors import DomainError
from core.password_rules import MIN_LENGTH, PasswordProblem, own_names, password_problem


def problem_message(problem: PasswordProblem, password: str) -> str:
    """Say which rule the password breaks and what to do instead."""
    if problem is PasswordProblem.TOO_SHORT:
        return _(
            "Use at least %(min)d characters; this has %(length)d.",
            min=MIN_LENGTH,
            length=len(password),
        )
    return {
        PasswordProblem.CONTAINS_NAME: _(
            "The password must not contain the username or the person's name."
        ),
        PasswordProblem.COMMON: _(
            "This is one of the most common passwords, which are tried first; choose another."
        ),
        PasswordProblem.REPEATED: _(
            "This password repeats a short part again and again; choose one that does not."
        ),
        PasswordProblem.PREDICTABLE: _(
            "This password follows a sequence or a row of keys; choose one that does not."
        ),
    }[problem]


def password_error(password: str, names: Iterable[str | None] = ()) -> str | None:
    """The message for the first rule the new password breaks, or None when it passes."""
    problem = password_problem(password, own_names(*names))
    return None if problem is None else problem_message(problem, password)


def check_new_password(password: str, names: Iterable[str | None], field: str = "password"):
    """Refuse a new password that breaks the policy; `names` are the person's own names."""
    message = password_error(password, names)
    if message:
        raise DomainError(message, field=field)
