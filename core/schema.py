"""Whether the database's schema is the one this code was written for.

A server started on a database whose schema is older than its code would fail on the first
page that reads a new column; the web server (wsgi.py) and the scheduler refuse to start
instead, and say what to run. `flask db upgrade` itself never asks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from core.extensions import db


class SchemaOutOfDate(RuntimeError):
    """The database's schema is not the code's: the message says what to do."""


@dataclass(frozen=True)
class SchemaState:
    #: the revisions the database is at (empty: no schema yet)
    database: frozenset[str]
    #: the revisions the code's migrations end at
    code: frozenset[str]
    #: revisions of the database that this code does not know (made by a newer version)
    unknown: frozenset[str]

    @property
    def current(self) -> bool:
        return self.database == self.code

    @property
    def label(self) -> str:
        """One word for /healthz and the system page."""
        if self.current:
            return "current"
        if not self.database:
            return "empty"
        return "newer" if self.unknown else "older"


def _scripts(app: Flask) -> ScriptDirectory:
    config = app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config)


def _code_revisions(app: Flask) -> tuple[frozenset[str], frozenset[str]]:
    """Every revision of the code's migrations, and their heads (read once per process)."""
    cached = app.extensions.get("counsel.schema")
    if cached is None:
        with app.app_context():
            scripts = _scripts(app)
            known = frozenset(revision.revision for revision in scripts.walk_revisions())
            cached = (known, frozenset(scripts.get_heads()))
        app.extensions["counsel.schema"] = cached
    return cached


def known_revisions(app: Flask) -> frozenset[str]:
    return _code_revisions(app)[0]


def schema_state(app: Flask) -> SchemaState:
    """Compare the database's alembic revision with the head of the code's migrations."""
    known, heads = _code_revisions(app)
    quiet = logging.getLogger("alembic.runtime.migration")
    level, quiet.level = quiet.level, logging.WARNING  # "Context impl SQLiteImpl." each time
    try:
        with app.app_context(), db.engine.connect() as connection:
            database = frozenset(MigrationContext.configure(connection).get_current_heads())
    finally:
        quiet.level = level
    return SchemaState(database, heads, database - known)


def schema_problem(state: SchemaState) -> str | None:
    """What is wrong with the schema and what to run, or None when it is current."""
    if state.current:
        return None
    database = ", ".join(sorted(state.database)) or "none"
    code = ", ".join(sorted(state.code))
    if not state.database:
        return (
            "The database has no Counsel schema yet. Run `flask db upgrade` to build it "
            "(or `flask backup restore FILE` to restore a backup)."
        )
    if state.unknown:
        return (
            f"The database's schema ({database}) was made by a newer version of Counsel than "
            f"this one (which ends at {code}). Install that version, or restore a backup made "
            "by this one."
        )
    return (
        f"The database's schema ({database}) is older than this version of Counsel ({code}). "
        "Take a backup (`flask backup create`), then run `flask db upgrade`, then start "
        "Counsel again."
    )


def require_current_schema(app: Flask) -> None:
    """Refuse to go on when the schema is not the code's."""
    problem = schema_problem(schema_state(app))
    if problem:
        logging.getLogger(__name__).error("Counsel will not start: %s", problem)
        raise SchemaOutOfDate(problem)
