"""Structured logs without secrets.

Every line is one JSON object (LOG_FORMAT="json", the default; "text" reads better in a
terminal): the time, level, logger and message, and, inside a request, its id and the user's
id. Each request writes one line when it is answered (method, path, status, duration), and
each scheduled job one line per run (core.scheduler). The request id comes from the trusted
proxy's X-Request-ID (nginx's $request_id) or is made here, and is sent back in the answer.

Nothing logged carries a secret: no request body is logged; the values of query arguments
that look like secrets are masked; and the part of a URL that is a key (the calendar feed's)
is masked, declared by its package with `hide_in_logs`. The filter doing the masking is on
the loggers that write request lines: Werkzeug's development server, gunicorn's, and ours.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

MASK = "***"
#: pattern text -> compiled pattern; each has a group named `secret`
SECRET_URLS: dict[str, re.Pattern] = {}
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")
#: query arguments whose values are never logged
SECRET_ARGUMENT = re.compile(r"(token|secret|password|passwd|key|code|otp)", re.IGNORECASE)
#: a request id a trusted proxy may hand over
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
#: fields a log call may add with `extra=` that the JSON line carries
FIELDS = (
    "request_id",
    "user_id",
    "method",
    "path",
    "status",
    "duration_ms",
    "remote_addr",
    "job",
    "slot",
    "outcome",
)


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


class JsonFormatter(logging.Formatter):
    """One JSON object a line; secrets in the message masked."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": mask_secrets(record.getMessage()),
        }
        entry.update(request_fields())
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_fields() -> dict:
    """The request id and the logged-in user's id, inside a request."""
    if not has_request_context():
        return {}
    fields = {}
    if "request_id" in g:
        fields["request_id"] = g.request_id
    user = g.get("_login_user")  # only when the request has loaded it: logging adds no query
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user_id"] = user.id
    return fields


def masked_query(args) -> str:
    """The query string with the values of secret-looking arguments masked."""
    parts = []
    for name, value in args.items(multi=True):
        parts.append(f"{name}={MASK if SECRET_ARGUMENT.search(name) else value}")
    return "&".join(parts)


def configure_logging(app: Flask) -> None:
    """Send every logger's lines to stderr in the configured format, once per process.

    A server that configured logging itself (gunicorn's logconfig_dict) keeps its handlers.
    """
    root = logging.getLogger()
    app.logger.removeHandler(default_handler)
    if app.testing or root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskSecrets())
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])


def _start_request() -> None:
    g.request_started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    trusted = offered and request.environ.get("werkzeug.proxy_fix.orig") is not None
    g.request_id = offered if trusted and REQUEST_ID.match(offered) else uuid.uuid4().hex


REQUEST_LOG = logging.getLogger("counsel.request")


def _log_request(response):
    started = g.get("request_started")
    if started is None:
        return response
    response.headers.setdefault("X-Request-ID", g.request_id)
    if request.endpoint in ("static", "health.healthz") and response.status_code < 400:
        return response  # a page's assets and the load balancer's checks: noise
    query = masked_query(request.args)
    path = mask_secrets(request.path + (f"?{query}" if query else ""))
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    REQUEST_LOG.info(
        "%s %s %s %.1f ms",
        request.method,
        path,
        response.status_code,
        duration_ms,
        extra={
            **request_fields(),
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "remote_addr": request.remote_addr,
        },
    )
    return response


def install(app: Flask) -> None:
    """Configure the log lines, put the secret filter on the request loggers (once each),
    and log each request."""
    configure_logging(app)
    for name in (*LOGGERS, app.logger.name, REQUEST_LOG.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
    app.before_request(_start_request)
    app.after_request(_log_request)
