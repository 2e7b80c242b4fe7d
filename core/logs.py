"""Log lines without secrets: the part of a URL that is a key (the calendar feed's) is masked.

A package whose URLs carry a secret declares them with `hide_in_logs`; the filter is put on
the loggers that write request lines: Werkzeug's development server, gunicorn's access and
error logs, and the application's own.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

MASK = "***"
#: pattern text -> compiled pattern; each has a group named `secret`
SECRET_URLS: dict[str, re.Pattern] = {}
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def hide_in_logs(pattern: str) -> None:
    """Mask, in every log line, the group `secret` of the URLs this pattern matches."""
    compiled = re.compile(pattern)
    if "secret" not in compiled.groupindex:
        raise ValueError(f"{pattern!r} names no group `secret`")
    SECRET_URLS[pattern] = compiled


def mask_secrets(text: str) -> str:
    """The text with the secret of every matching URL replaced by ***."""
    for pattern in SECRET_URLS.values():
        text = pattern.sub(_masked, text)
    return text


def _masked(match: re.Match) -> str:
    start, end = match.span("secret")
    whole = match.group(0)
    offset = match.start(0)
    return whole[: start - offset] + MASK + whole[end - offset :]


class MaskSecrets(logging.Filter):
    """Rewrite a record whose message holds a secret URL; drop nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install(app: Flask) -> None:
    """Put the filter on the loggers that write request lines (once each)."""
    for name in (*LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
