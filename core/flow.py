"""The shape every form view shares: validate, call one service, commit, flash, redirect."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request

from core.errors import DomainError
from core.extensions import db


def form_error(form, error: DomainError) -> None:
    """Put a domain error beside its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "danger")


def submit(form, action: Callable, message: Callable | str, target: Callable | str):
    """Run the action for a valid submission; return the redirect, or None to show the form.

    `message` and `target` may be callables of the action's result.
    """
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        form_error(form, error)
        return None
    db.session.commit()
    flash(message(result) if callable(message) else message, "success")
    return redirect(target(result) if callable(target) else target)


def render_form(template: str, status_if_posted: int = 400, **context):
    """Render a form page: 200 on first show, 4xx after a refused submission."""
    status = status_if_posted if request.method == "POST" else 200
    return render_template(template, **context), status
