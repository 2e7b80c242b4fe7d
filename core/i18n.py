"""Language and time zone: Simplified Chinese first, English on request."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, session
from flask_login import current_user

TIMEZONE = ZoneInfo("Asia/Shanghai")


def select_locale() -> str:
    """The user's saved choice, else this session's, else the browser's, else Chinese."""
    locales = current_app.config["COUNSEL_LOCALES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in locales:
        return current_user.locale
    if session.get("locale") in locales:
        return session["locale"]
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    if best and best.startswith("en"):
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def today() -> date:
    """Today's date in China Standard Time."""
    return datetime.now(TIMEZONE).date()


def local_time(value: datetime | None) -> str:
    """Show a UTC timestamp in China Standard Time."""
    if value is None:
        return ""
    return value.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")
