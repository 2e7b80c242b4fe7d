"""Configuration in layers: defaults, then instance/config.py, then the environment, then tests."""

from __future__ import annotations

import os
from datetime import timedelta

from flask import Flask


class Defaults:
    """Settings used when nothing else says otherwise; safe for a developer's machine."""

    SECRET_KEY = "dev-only-change-me"
    SQLALCHEMY_DATABASE_URI: str | None = None
    #: a server database may drop idle connections; a file database cannot
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    COUNSEL_LOCALES = ("zh_Hans_CN", "en")
    COUNSEL_TIMEZONE = "Asia/Shanghai"
    #: failed logins allowed per username + IP within the window before refusing
    LOGIN_THROTTLE_LIMIT = 5
    LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
    #: SMTP; e-mail is sent only when MAIL_SERVER is set
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "counsel@localhost"
    #: the address people use to reach Counsel; links in e-mail are built from it
    EXTERNAL_URL = "http://127.0.0.1:5000"
    PAGE_SIZE = 25
    #: the domain packages, lowest layer first; create_app calls each one's init_app
    PACKAGES = ("advisers", "meetings", "cases", "evaluation", "reports", "demo")


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill app.config from every layer, most general first."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("COUNSEL")
    for name in ("SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME"):
        if name in os.environ:
            app.config[name] = os.environ[name]
    if "MAIL_PASSWORD" in os.environ:
        app.config["MAIL_PASSWORD"] = os.environ["MAIL_PASSWORD"]
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    uri = app.config.get("SQLALCHEMY_DATABASE_URI") or (
        f"sqlite:///{os.path.join(app.instance_path, 'counsel.sqlite3')}"
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(uri)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }
