"""Language and time zone: Simplified Chinese first, English on request."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, g, has_request_context, request, session
from flask_babel import get_translations
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


def N_(message: str) -> str:
    """Mark a message for translation where it is defined; it is translated where shown.

    For labels registered at start-up (menu entries): a lazy string would look up the
    language anew each time a page shows it.
    """
    return message


def today() -> date:
    """Today's date in China Standard Time."""
    return datetime.now(TIMEZONE).date()


def local_time(value: datetime | None) -> str:
    """Show a UTC timestamp in China Standard Time."""
    if value is None:
        return ""
    return value.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")


TRANSLATIONS_KEY = "_counsel_translations"


def request_translations():
    """The translations of this request's language, looked up once per request.

    Templates translate dozens of strings a page; Flask-Babel finds the translations anew for
    each one. A template rendered under force_locale would still use the request's language.
    """
    translations = g.get(TRANSLATIONS_KEY)
    if translations is None:
        translations = get_translations()
        setattr(g, TRANSLATIONS_KEY, translations)
    return translations


def install_template_gettext(app) -> None:
    """Let templates translate through the per-request translations."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )
