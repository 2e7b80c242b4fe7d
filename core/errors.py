"""Domain errors with messages fit for the screen, and the HTTP error pages.

A `DomainError` carries a code and a list of problems, each a (field, message) pair, so one
form flow shows them beside their fields and a JSON API can answer 422 from the same error.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the field it belongs beside (None: the whole form) and the message."""

    field: str | None
    message: str
    #: the row of an imported file it was found on, when it comes from one
    row: int | None = None

    def as_dict(self) -> dict:
        return {"field": self.field, "message": self.message, "row": self.row}


class DomainError(Exception):
    """A rule said no; each message is translated and tells the user what to do."""

    code = "refused"

    def __init__(
        self,
        message: str | None = None,
        field: str | None = None,
        *,
        problems: list[Problem] | None = None,
        code: str | None = None,
    ):
        self.problems = list(problems or [Problem(field, message or "")])
        super().__init__(self.message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The first problem's message, for places that show one line."""
        return self.problems[0].message

    @property
    def field(self) -> str | None:
        return self.problems[0].field

    def as_dict(self) -> dict:
        """The error as a JSON API returns it with status 422."""
        return {"code": self.code, "errors": [p.as_dict() for p in self.problems]}


class NotAllowed(DomainError):
    """The user may not do this to this record."""

    code = "not_allowed"


class StaleEdit(DomainError):
    """Someone else saved the record after this form was opened."""

    code = "stale"


def stale_edit() -> StaleEdit:
    return StaleEdit(
        _("Someone else changed this record after you opened it. Reload the page and try again.")
    )


def _page(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


def conflict_page():
    """The answer to a save that lost a race with someone else's: 409, nothing saved."""
    return _page(409, _("Changed meanwhile"), stale_edit().message)


def _drop_changes() -> None:
    from core.extensions import db

    db.session.rollback()
    g.rolled_back = True


class BadArgument(BadRequest):
    """A query argument that cannot be read: the page names it."""

    def __init__(self, name: str, value: str):
        super().__init__()
        self.argument, self.value = name, value[:40]

    def explain(self) -> str:
        return _(
            "The address holds “%(name)s=%(value)s”, which cannot be read. Open the page from "
            "the menu, or change the filters on it.",
            name=self.argument,
            value=self.value,
        )


def _too_large() -> str:
    """What a request over MAX_CONTENT_LENGTH is told: the attachment limit in force."""
    from core.files import MEGABYTE, upload_limit_mb

    try:
        most = upload_limit_mb()
    except Exception:  # an error page must show even when the settings cannot be read
        most = (current_app.config.get("MAX_CONTENT_LENGTH") or MEGABYTE) // MEGABYTE
    return _(
        "The file is larger than %(mb)d MB, the most that can be uploaded. Send a smaller file.",
        mb=most,
    )


def register_error_pages(app: Flask) -> None:
    """Show friendly 4xx/5xx pages in the user's language; an error page never saves."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        _drop_changes()
        return _page(
            400,
            _("The form expired"),
            _("The page was open too long or came from elsewhere. Go back, reload and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        _drop_changes()
        messages = {
            400: (_("Bad request"), _("The request could not be understood.")),
            403: (_("Not allowed"), _("Your role does not give access to this page.")),
            404: (_("Not found"), _("There is no such page or record.")),
            405: (_("Not allowed"), _("This address does not accept that kind of request.")),
            429: (_("Too many requests"), _("Wait a little, then try again.")),
        }
        if error.code == 413:
            messages[413] = (_("File too large"), _too_large())
        title, message = messages.get(error.code, (error.name, error.description))
        if isinstance(error, BadArgument):
            message = error.explain()
        return _page(error.code or 500, title, message)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error on %s", request.path)
        _drop_changes()
        return _page(
            500,
            _("Something went wrong"),
            _("The error has been logged. Nothing was saved. Try again, or tell the office."),
        )
