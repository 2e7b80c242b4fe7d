"""Domain errors with messages fit for the screen, and the HTTP error pages."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A rule said no; `message` is translated and tells the user what to do."""

    #: the form field the message belongs beside, when there is one
    field: str | None = None

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class NotAllowed(DomainError):
    """The user may not do this to this record."""


class StaleEdit(DomainError):
    """Someone else saved the record after this form was opened."""


def stale_edit() -> StaleEdit:
    return StaleEdit(
        _("Someone else changed this record after you opened it. Reload the page and try again.")
    )


def _page(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_pages(app: Flask) -> None:
    """Show friendly 4xx/5xx pages in the user's language."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400,
            _("The form expired"),
            _("The page was open too long or came from elsewhere. Go back, reload and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: (_("Bad request"), _("The request could not be understood.")),
            403: (_("Not allowed"), _("Your role does not give access to this page.")),
            404: (_("Not found"), _("There is no such page or record.")),
            405: (_("Not allowed"), _("This address does not accept that kind of request.")),
            413: (_("File too large"), _("The file is larger than 5 MB. Send a smaller file.")),
            429: (_("Too many requests"), _("Wait a little, then try again.")),
        }
        title, message = messages.get(error.code, (error.name, error.description))
        return _page(error.code or 500, title, message)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        app.logger.exception("unhandled error on %s", request.path)
        from core.extensions import db

        db.session.rollback()
        return _page(
            500,
            _("Something went wrong"),
            _("The error has been logged. Nothing was saved. Try again, or tell the office."),
        )
