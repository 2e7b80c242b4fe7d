"""Counsel: the application factory, the composition root of every package.

`core` imports no domain package at module level: `create_app` loads each package named in
the PACKAGES setting and calls its `init_app`, lowest layer first.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
from pathlib import Path

from flask import Flask, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from core import audit, logs, voiding
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
    """Build the application: config, extensions, the kernel, then each domain package."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("COUNSEL_INSTANCE_PATH") or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    load_config(app, test_config)
    _trust_proxies(app)
    logs.install(app)
    os.makedirs(app.instance_path, exist_ok=True)
    from core.listing import RecordIdConverter

    app.url_map.converters["int"] = RecordIdConverter  # before any route is added
    _init_extensions(app)
    _init_kernel(app)
    for name in app.config["PACKAGES"]:
        importlib.import_module(name).init_app(app)
    _register_request_hooks(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Read the client's address and scheme through the configured number of reverse proxies.

    Only the last TRUSTED_PROXIES entries of X-Forwarded-For are believed: with 0, a client
    cannot pass itself off as another address by sending the header.
    """
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies < 0:
        raise RuntimeError("TRUSTED_PROXIES must be 0 or more")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _init_extensions(app: Flask) -> None:
    from core.auth import login_prompt
    from core.i18n import install_template_gettext, select_locale

    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(ROOT / "core" / "translations"))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    audit.install(db.session.session_factory)
    voiding.install(db.session.session_factory)

    @login_manager.unauthorized_handler
    def unauthorized():
        flash(login_prompt(), "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))


def _init_kernel(app: Flask) -> None:
    """The kernel's pages, commands, jobs, menu entries, template helpers and error pages."""
    from core import auth, backups, files, flow, health, jobs, menu, policy, search
    from core.audit import kernel as audit_kernel
    from core.cli import register_cli
    from core.errors import register_error_pages
    from core.i18n import N_
    from core.views import accounts, admin, audit_log, holidays, system, twofactor, voided
    from core.workdays import cli as workdays_cli
    from core.workdays import policy as workdays_policy
    from core.workdays import trail as workdays_trail

    audit_kernel.register()
    workdays_trail.register()
    files.init_app(app)
    search.init_app(app)
    backups.init_app(app)
    health.init_app(app)
    flow.init_app(app)
    for blueprint in (auth.bp, accounts.bp, admin.bp, audit_log.bp, twofactor.bp, voided.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(holidays.bp)
    app.register_blueprint(system.bp)
    register_cli(app)
    app.cli.add_command(workdays_cli.holidays_cli)
    register_error_pages(app)
    jobs.register_jobs()
    app.before_request(policy.enforce_access_rule)
    menu.add(
        app,
        menu.MenuItem("admin.departments", N_("Departments"), policy.READ_DEPARTMENTS, order=90),
        menu.MenuItem("admin.users", N_("Users"), policy.MANAGE_USERS, "admin", 10),
        menu.MenuItem(
            "admin.settings_page", N_("Rule settings"), policy.READ_SETTINGS, "admin", 50
        ),
        menu.MenuItem(
            "holidays.years", N_("Working-day calendar"), workdays_policy.READ_HOLIDAYS, "admin", 55
        ),
        menu.MenuItem("audit.audit_log", N_("Audit trail"), policy.READ_AUDIT, "admin", 60),
        menu.MenuItem("voiding.voided", N_("Voided records"), policy.VOID_RECORDS, "admin", 65),
        menu.MenuItem("admin.outbox", N_("Outgoing mail"), policy.MANAGE_USERS, "admin", 70),
        menu.MenuItem("system.status", N_("System status"), policy.MANAGE_USERS, "admin", 75),
        menu.MenuItem("accounts.change_password", N_("Change password"), policy.ACCOUNT, "user"),
        menu.MenuItem("accounts.sessions_page", N_("Login sessions"), policy.ACCOUNT, "user", 60),
        menu.MenuItem("twofactor.account", N_("Second factor"), policy.ACCOUNT, "user"),
    )
    _register_templating(app)


def _register_request_hooks(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:  # served over HTTPS: browsers must stay on it
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if current_user and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _register_templating(app: Flask) -> None:
    from core import filters, menu, policy, signals

    filters.register(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.add_template_global(signals.sections)

    def user():
        # resolved once per call: each attribute read through the proxy costs a lookup
        return current_user._get_current_object()

    @app.template_global()
    def can(action: str, obj=None) -> bool:
        """Whether the current user may take the action (on the record)."""
        return policy.can(user(), action, obj)

    @app.template_global()
    def menu_items(name: str):
        return menu.items_for(user(), name)

    @app.context_processor
    def layout_context():
        return {
            "locale": str(get_locale()),
            "unread_notifications": getattr(user(), "unread_count", 0),
        }
