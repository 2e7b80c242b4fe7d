"""The one form flow, and the one place a request's transaction ends.

A request commits once, after the view returns, in `finish_request`; an error rolls it back,
and a GET never writes. Jobs and commands commit through the same `commit`. A view runs one
form with `submit`: validate, call one service, flash, redirect; a service's refusal becomes
errors beside the form's fields, several at once.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
)
from sqlalchemy import event
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError, conflict_page, stale_edit
from core.extensions import db

#: methods that must never change data
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WROTE_KEY = "flow_wrote"


def commit() -> None:
    """End the transaction, keeping its changes: the only commit in the application."""
    db.session.commit()


def rollback() -> None:
    """End the transaction, dropping its changes; the request will not commit."""
    db.session.rollback()
    if has_request_context():
        g.rolled_back = True


def _note_write(session_, _flush_context) -> None:
    session_.info[WROTE_KEY] = True


def _wrote() -> bool:
    s = db.session
    return bool(s.info.get(WROTE_KEY) or s.new or s.dirty or s.deleted)


def finish_request(response):
    """Commit what the view did, unless it failed or the request only reads."""
    if g.get("rolled_back"):
        return response
    if request.method in SAFE_METHODS:
        if _wrote():
            current_app.logger.error(
                "%s %s tried to write; rolled back", request.method, request.path
            )
            db.session.rollback()
            if current_app.testing:
                raise AssertionError(f"{request.method} {request.path} wrote to the database")
        return response
    try:
        commit()
    except StaleDataError:
        # two saves of one record at the same moment: the other one won
        db.session.rollback()
        session.pop("_flashes", None)
        body, status = conflict_page()
        return current_app.make_response((body, status))
    except Exception:
        db.session.rollback()
        session.pop("_flashes", None)  # the success message would be a lie
        raise
    return response


def init_app(app: Flask) -> None:
    """End every request's transaction in one place."""
    if not event.contains(db.session.session_factory, "after_flush", _note_write):
        event.listen(db.session.session_factory, "after_flush", _note_write)
    app.after_request(finish_request)

    @app.teardown_request
    def _forget_writes(_error):
        db.session.info.pop(WROTE_KEY, None)


def apply_errors(form, error: DomainError) -> None:
    """Put each of a domain error's problems beside its field, or above the form.

    Problems that name no field of the form go to `form.other_errors` (field → message), so
    pages with fields of their own, such as the attendance sheet, can show them in place;
    problems found on rows of an imported file go to `form.row_errors`, to show as a table.
    """
    form.other_errors = getattr(form, "other_errors", {})
    form.row_errors = [p for p in error.problems if p.row is not None]
    if form.row_errors:
        flash(getattr(error, "summary", None) or error.message, "danger")
    for problem in error.problems:
        if problem.row is not None:
            continue
        field = getattr(form, problem.field, None) if problem.field else None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, problem.message]
        elif problem.field:
            form.other_errors[problem.field] = problem.message
            flash(problem.message, "danger")
        else:
            flash(problem.message, "danger")
    form.domain_error = error


def submit(form, action: Callable, message: Callable | str, target: Callable | str):
    """Run the action for a valid submission; return the redirect, or None to show the form.

    `message` and `target` may be callables of the action's result.
    """
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except DomainError as error:
        rollback()
        apply_errors(form, error)
        return None
    except StaleDataError:
        rollback()  # someone saved the same record at the same moment
        apply_errors(form, stale_edit())
        return None
    flash(message(result) if callable(message) else message, "success")
    return redirect(target(result) if callable(target) else target)


def render_form(template: str, status_if_posted: int = 400, **context):
    """Render a form page: 200 on first show, 4xx after a refused submission."""
    status = status_if_posted if request.method == "POST" else 200
    return render_template(template, **context), status
