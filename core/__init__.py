"""Counsel: the application factory, the composition root of every package."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from flask import Flask, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from core import audit
from core.config import load_config
from core.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, WAL and a busy timeout for every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, commands, error pages."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("COUNSEL_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    load_config(app, test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    _init_extensions(app)
    _register_blueprints(app)
    _register_request_hooks(app)
    _register_templating(app)
    return app


def _init_extensions(app: Flask) -> None:
    from core.i18n import select_locale

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "core" / "translations"))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    audit.install(db.session.session_factory)

    @login_manager.unauthorized_handler
    def unauthorized():
        flash(str(login_manager.login_message), "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))


def _register_blueprints(app: Flask) -> None:
    import advisers
    import cases
    from core import auth, views
    from core.cli import register_cli
    from core.errors import register_error_pages

    app.register_blueprint(auth.bp)
    app.register_blueprint(views.bp)
    advisers.init_app(app)
    cases.init_app(app)
    register_cli(app)
    register_error_pages(app)


def _register_request_hooks(app: Flask) -> None:
    from core.auth import enforce_access_rule

    app.before_request(enforce_access_rule)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _register_templating(app: Flask) -> None:
    from core import filters

    filters.register(app)

    @app.context_processor
    def layout_context():
        from core.notify import unread_count

        authenticated = current_user.is_authenticated
        return {
            "locale": str(get_locale()),
            "unread_notifications": unread_count(current_user) if authenticated else 0,
        }
