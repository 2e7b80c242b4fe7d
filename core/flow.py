"""The one form flow, and the one place a request's transaction ends.

A request commits once, after the view returns, in `finish_request`; an error rolls it back,
and a GET never writes. Jobs and commands commit through the same `commit`. A view runs one
form with `submit`: validate, call one service, flash, redirect; a service's refusal becomes
errors beside the form's fields, several at once.
"""

from __future__ import annotations

import re
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
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from core.errors import DomainError, conflict_page, stale_edit
from core.extensions import db
from core.models import FormSubmission

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

    `message` and `target` may be callables of the action's result. A form that carries a
    one-time token (`core.forms.SentOnce`) is acted on once: sent again, it leads where the
    first one did.
    """
    if not form.validate_on_submit():
        return None
    token = submission_token(form)
    if token is not None and (repeat := _claimed_already(token)) is not None:
        return repeat
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
    url = target(result) if callable(target) else target
    if token is not None:
        _record_target(token, url)
    flash(message(result) if callable(message) else message, "success")
    return redirect(url)


TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def submission_token(form) -> str | None:
    """The form's one-time token, when it carries a well-formed one."""
    field = getattr(form, "submission", None)
    data = getattr(field, "data", None)
    return data if isinstance(data, str) and TOKEN_PATTERN.fullmatch(data) else None


def _repeat_of(token: str):
    earlier = db.session.get(FormSubmission, token)
    if earlier is None:
        return None
    flash(_("This form was sent already; it was not acted on a second time."), "info")
    return redirect(earlier.target or request.path)


def _claimed_already(token: str):
    """Claim the token for this request; if an earlier sending holds it, lead where it did.

    The claim is written before the action, in the same transaction: two sendings at the
    same moment meet at the token's unique key, and the second waits, then steps aside.
    """
    if (repeat := _repeat_of(token)) is not None:
        return repeat
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    db.session.add(FormSubmission(token=token, user_id=user_id))
    try:
        db.session.flush()
    except IntegrityError:
        rollback()  # nothing else was written yet: the action has not run
        return _repeat_of(token) or redirect(request.path)
    return None


def _record_target(token: str, url: str) -> None:
    db.session.get(FormSubmission, token).target = url[:500]


def render_form(template: str, status_if_posted: int = 400, **context):
    """Render a form page: 200 on first show, 4xx after a refused submission."""
    status = status_if_posted if request.method == "POST" else 200
    return render_template(template, **context), status
