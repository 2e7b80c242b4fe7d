"""Copying the database out and back in, one way per database.

- SQLite: the online backup API copies the pages from a connection of its own, so the copy
  is consistent while the application goes on writing (WAL lets readers and the writer pass).
- PostgreSQL: `pg_dump` in its custom format (one consistent snapshot), restored with
  `pg_restore` in a single transaction. The password goes to both through PGPASSWORD, never
  on a command line that `ps` shows.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Engine, make_url

from core.backups.archive import BackupError

SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"


def dialect_of(url: str | URL) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups know SQLite and PostgreSQL, not {name}")
    return name


def member_for(dialect: str) -> str:
    return SQLITE_MEMBER if dialect == "sqlite" else POSTGRES_MEMBER


def sqlite_path(url: str | URL) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database).resolve()


# --- out ----------------------------------------------------------------------------------


def dump(url: str | URL, target: Path, pg_bin_dir: str | None = None) -> None:
    """Copy the whole database into the file `target`."""
    if dialect_of(url) == "sqlite":
        _sqlite_copy(sqlite_path(url), target)
    else:
        options = ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
        _pg_run("pg_dump", url, options, pg_bin_dir)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"the SQLite database {source} does not exist")
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)  # all pages in one step: a single consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        _check_integrity(copy, target)
    except sqlite3.Error as error:
        raise BackupError(f"copying the SQLite database failed: {error}") from None
    finally:
        copy.close()
        origin.close()


def _check_integrity(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path}: the database copy is damaged ({result})")


# --- in -----------------------------------------------------------------------------------


def is_empty(engine: Engine) -> tuple[bool, int]:
    """Whether the database holds nothing an office entered: no tables, or no login accounts
    yet (what `flask db upgrade` leaves). Also the number of accounts."""
    if "user" not in inspect(engine).get_table_names():
        return True, 0
    with engine.connect() as connection:
        users = connection.execute(text('SELECT COUNT(*) FROM "user"')).scalar_one()
    return users == 0, users


def load(url: str | URL, source: Path, engine: Engine, pg_bin_dir: str | None = None) -> None:
    """Replace the database's contents with the copy in `source`."""
    if dialect_of(url) == "sqlite":
        _sqlite_replace(sqlite_path(url), source, engine)
    else:
        _pg_replace(url, source, engine, pg_bin_dir)


def _sqlite_replace(target: Path, source: Path, engine: Engine) -> None:
    staged = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(source, staged)
    connection = sqlite3.connect(staged)
    try:
        _check_integrity(connection, source)
    finally:
        connection.close()
    engine.dispose()  # no pooled connection may keep the old file open
    for leftover in ("-wal", "-shm", "-journal"):  # an old log would be replayed into the copy
        Path(f"{target}{leftover}").unlink(missing_ok=True)
    os.replace(staged, target)


def _pg_replace(url: str | URL, source: Path, engine: Engine, bin_dir: str | None) -> None:
    tables = inspect(engine).get_table_names()
    if tables:
        quoted = ", ".join(f'"{name}"' for name in tables)
        with engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {quoted} CASCADE"))
    engine.dispose()
    _pg_run(
        "pg_restore",
        url,
        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", str(source)],
        bin_dir,
    )


# --- the PostgreSQL tools -----------------------------------------------------------------


def pg_tool(name: str, bin_dir: str | None = None) -> str:
    """The newest installed pg_dump or pg_restore (it must be at least the server's version)."""
    if bin_dir:
        return str(Path(bin_dir) / name)
    versioned = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: [int(part) for part in Path(path).parts[-3].split(".") if part.isdigit()],
    )
    found = versioned[-1] if versioned else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools")
    return found


def _connection_arguments(url: str | URL) -> tuple[list[str], dict[str, str]]:
    url = make_url(url)
    query = {
        key: (value[-1] if isinstance(value, tuple) else value) for key, value in url.query.items()
    }
    arguments = []
    host, port = url.host or query.get("host"), url.port or query.get("port")
    if host:
        arguments += ["--host", str(host)]
    if port:
        arguments += ["--port", str(port)]
    if url.username:
        arguments += ["--username", url.username]
    arguments += ["--dbname", url.database or ""]
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return arguments, environment


def _pg_run(tool: str, url: str | URL, arguments: list[str], bin_dir: str | None) -> None:
    connection, environment = _connection_arguments(url)
    command = [pg_tool(tool, bin_dir), *connection, *arguments]
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
    except OSError as error:
        raise BackupError(f"{tool} could not be run: {error}") from None
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-1000:]}")
