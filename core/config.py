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
    #: a login session ends at the latest this long after logging in, however active
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    #: ... and after this many minutes without a request
    SESSION_IDLE_MINUTES = 60
    #: a session's last-seen time is written at most this often, not on every request
    SESSION_TOUCH_SECONDS = 60
    #: the cookie is not re-sent with every answer: its lifetime runs from the login
    SESSION_REFRESH_EACH_REQUEST = False
    #: a form's CSRF token expires with the longest session; logging in or out renews its secret
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    #: reverse proxies in front of Counsel whose X-Forwarded-For/-Proto are trusted (ProxyFix)
    TRUSTED_PROXIES = 0
    #: a developer's machine: the development secret key is allowed (`make run` sets it)
    DEVELOPMENT = False
    #: the largest request: 1 MB above the largest attachment (the setting files.max_mb,
    #: 20 MB by default), so a bigger upload is refused with a page before it is read
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    COUNSEL_LOCALES = ("zh_Hans_CN", "en")
    COUNSEL_TIMEZONE = "Asia/Shanghai"
    #: password tries (core.throttle): failures count for this long ...
    LOGIN_THROTTLE_WINDOW_SECONDS = 15 * 60
    #: ... and after this many for one username from one address, each further try waits
    LOGIN_THROTTLE_LIMIT = 5
    #: ... or this many for one username from everywhere (not asked of an address the user
    #: has logged in from before) ...
    LOGIN_ACCOUNT_LIMIT = 10
    #: ... or this many from one address for any usernames
    LOGIN_ADDRESS_LIMIT = 20
    #: the first wait; it doubles with each further failure, up to the window
    LOGIN_THROTTLE_DELAY_SECONDS = 30
    #: password tries and ended sessions are kept this long, then purged by a nightly job
    LOGIN_RECORDS_RETENTION_DAYS = 180
    #: the second factor: how long the step after the password may take, how many wrong codes
    #: send the user back to the login page, and how long the account then refuses codes
    TWO_FACTOR_PENDING_SECONDS = 5 * 60
    TWO_FACTOR_MAX_TRIES = 5
    TWO_FACTOR_LOCK_SECONDS = 15 * 60
    #: the name the authenticator app shows beside the account
    TWO_FACTOR_ISSUER = "Counsel"
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
    #: where backups are written (default: the instance folder's backups/); put it on
    #: another disk than the database's
    BACKUP_DIR: str | None = None
    #: how many backups the nightly job keeps; older ones are deleted after a good new one
    BACKUP_KEEP = 14
    #: the folder of pg_dump and pg_restore (default: the newest installed)
    PG_BIN_DIR: str | None = None
    #: /healthz calls the scheduler stale when no job has finished for this long (the outbox
    #: job runs every minute)
    SCHEDULER_STALE_MINUTES = 10
    #: log lines: "json" (one object a line, for the journal and log collectors) or "text"
    LOG_FORMAT = "json"
    LOG_LEVEL = "INFO"
    #: the domain packages, lowest layer first; create_app calls each one's init_app
    PACKAGES = ("advisers", "meetings", "consultations", "cases", "evaluation", "reports", "demo")


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
    if os.environ.get("SECRET_KEY_FALLBACKS"):  # old keys, comma-separated: see core.sealing
        app.config["SECRET_KEY_FALLBACKS"] = (
            os.environ["SECRET_KEY_FALLBACKS"].replace(",", " ").split()
        )
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
    refuse_development_secret(app)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        }


def refuse_development_secret(app: Flask) -> None:
    """Stop a server from starting with the development secret key, which anyone can read:
    it signs the session cookies and CSRF tokens."""
    key = app.config.get("SECRET_KEY")
    if key and key != Defaults.SECRET_KEY:
        return
    if app.debug or app.testing or app.config["DEVELOPMENT"]:
        return
    raise RuntimeError(
        "SECRET_KEY is missing or is the development key, which Counsel refuses outside "
        "development. Set the SECRET_KEY environment variable (or SECRET_KEY in "
        "instance/config.py) to a long random string, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_hex(32))'`. On a developer's "
        "machine, set COUNSEL_DEVELOPMENT=true instead."
    )
