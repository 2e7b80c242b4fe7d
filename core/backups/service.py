"""Backups of everything the office would lose, their retention, and restoring one.

A backup is the database (which holds every uploaded file, see core.files), the instance
folder's other files (uploads waiting for an import's confirmation, local configuration with
its secrets left out) and a manifest. `create_backup` records each attempt as a BackupRun in
the caller's session, successful or not; the caller commits.
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from core.backups import archive, database
from core.backups.archive import BackupError
from core.extensions import db
from core.flow import commit
from core.i18n import TIMEZONE
from core.models import BackupRun, utcnow
from core.schema import known_revisions, schema_problem, schema_state

#: files of the instance folder never copied: the SQLite database travels as its own copy
SKIPPED_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal", ".partial")


def backup_dir(app: Flask) -> Path:
    configured = app.config.get("BACKUP_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "backups"


def _database_url(app: Flask) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int
    created_at: datetime

    @property
    def checksum_path(self) -> Path:
        return archive.sidecar(self.path)


# --- making one ---------------------------------------------------------------------------


def create_backup(app: Flask, trigger: str = "command", label: str = "") -> Backup:
    """Write a new backup and keep the newest BACKUP_KEEP; BackupError when it fails.

    The previous backups are untouched by a failure: the new one is written under a partial
    name and renamed into place only when whole.
    """
    run = BackupRun(trigger=trigger, started_at=utcnow())
    db.session.add(run)
    try:
        backup = _write_backup(app, label)
    except BackupError as error:
        _finish(run, ok=False, error=str(error))
        raise
    except OSError as error:
        message = _disk_message(error, backup_dir(app))
        _finish(run, ok=False, error=message)
        raise BackupError(message) from error
    _finish(run, ok=True, file_name=backup.path.name, size=backup.size)
    prune(app)
    return backup


def _finish(run: BackupRun, ok: bool, error=None, file_name=None, size=None) -> None:
    run.ok, run.error, run.file_name, run.size_bytes = ok, error, file_name, size
    run.finished_at = utcnow()
    db.session.flush()


def _disk_message(error: OSError, folder: Path) -> str:
    if error.errno == errno.ENOSPC:
        return (
            f"the disk holding {folder} is full; the backup was not written and the earlier "
            "backups are kept"
        )
    return f"the backup could not be written to {folder}: {error.strerror or error}"


def _write_backup(app: Flask, label: str) -> Backup:
    folder = backup_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    created = utcnow()
    target = _new_name(folder, created, label)
    url = _database_url(app)
    dialect = database.dialect_of(url)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        database.dump(url, staging / database.member_for(dialect), app.config.get("PG_BIN_DIR"))
        _copy_instance(app, staging / "instance", folder)
        manifest = {
            "format": archive.FORMAT,
            "created_at": created.isoformat(),
            "created_ts": created.timestamp(),
            "dialect": dialect,
            "database": database.member_for(dialect),
            "schema": sorted(schema_state(app).database),
            "files": archive.describe(staging),
        }
        size = archive.write_archive(staging, manifest, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Backup(target, size, created)


def _new_name(folder: Path, created: datetime, label: str) -> Path:
    stamp = created.astimezone(TIMEZONE).strftime("%Y%m%d-%H%M%S")
    suffix = f"-{label}" if label else ""
    candidate = folder / f"{archive.PREFIX}{stamp}{suffix}{archive.SUFFIX}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{archive.PREFIX}{stamp}{suffix}-{number}{archive.SUFFIX}"
        number += 1
    return candidate


def _copy_instance(app: Flask, target: Path, backups: Path) -> None:
    """The instance folder's files, secrets left out, without the database or the backups."""
    instance = Path(app.instance_path).resolve()
    skipped = {backups.resolve(), instance / "backups"}  # also the default, if moved from
    for path in sorted(instance.rglob("*")):
        if not path.is_file() or path.name.endswith(SKIPPED_SUFFIXES):
            continue
        if archive.NAME.match(path.name.removesuffix(".sha256")):
            continue  # a backup copied into the instance folder
        if any(parent in skipped for parent in path.resolve().parents):
            continue
        copy = target / path.relative_to(instance)
        copy.parent.mkdir(parents=True, exist_ok=True)
        content = archive.redacted(path)
        if content is None:
            shutil.copyfile(path, copy)
        else:
            copy.write_bytes(content)


# --- keeping some -------------------------------------------------------------------------


def list_backups(app: Flask) -> list[Backup]:
    """The backups in the backup folder, newest first."""
    folder = backup_dir(app)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if archive.NAME.match(path.name):
            stat = path.stat()
            found.append(
                Backup(path, stat.st_size, datetime.fromtimestamp(stat.st_mtime, TIMEZONE))
            )
    return sorted(found, key=lambda backup: (backup.created_at, backup.path.name), reverse=True)


def prune(app: Flask) -> list[Path]:
    """Delete all but the newest BACKUP_KEEP backups (with their checksum files)."""
    keep = max(1, int(app.config["BACKUP_KEEP"]))
    removed = []
    for old in list_backups(app)[keep:]:
        old.path.unlink(missing_ok=True)
        old.checksum_path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def last_runs(limit: int = 10) -> list[BackupRun]:
    statement = select(BackupRun).order_by(BackupRun.started_at.desc(), BackupRun.id.desc())
    return list(db.session.scalars(statement.limit(limit)))


def last_success() -> BackupRun | None:
    statement = select(BackupRun).where(BackupRun.ok.is_(True))
    return db.session.scalar(statement.order_by(BackupRun.started_at.desc()).limit(1))


# --- restoring one ------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    manifest: dict
    files: list[str]
    #: the backup taken of the database that was replaced, when it held records
    safety_backup: Path | None
    #: None when the restored schema is the code's; otherwise what to run
    schema_problem: str | None


def check_restorable(app: Flask, path: Path) -> tuple[dict, bool, int]:
    """Verify the archive (every checksum, before anything is written) and that it can go
    into this database; return its manifest, whether the database is empty, and its accounts."""
    manifest = archive.verify(path)
    dialect = database.dialect_of(_database_url(app))
    if manifest["dialect"] != dialect:
        raise BackupError(
            f"{path.name} is a {manifest['dialect']} backup and cannot be restored into a "
            f"{dialect} database"
        )
    unknown = set(manifest["schema"]) - known_revisions(app)
    if unknown:
        raise BackupError(
            f"{path.name} was made by a newer version of Counsel (schema {', '.join(unknown)}); "
            "install that version to restore it"
        )
    empty, accounts = database.is_empty(db.engine)
    return manifest, empty, accounts


def restore_backup(app: Flask, path: Path, overwrite: bool = False) -> Restored:
    """Restore the backup into this database: an empty one, or with `overwrite` a database
    in use, of which a backup is taken first."""
    manifest, empty, accounts = check_restorable(app, path)
    safety = None
    if not empty:
        if not overwrite:
            raise BackupError(
                f"the database is in use ({accounts} login accounts); restore replaces it only "
                "when told to overwrite it"
            )
        safety = create_backup(app, trigger="command", label="before-restore").path
        commit()
    db.session.remove()
    url = _database_url(app)
    backup_dir(app).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=backup_dir(app)) as scratch:
        copy = Path(scratch) / manifest["database"]
        archive.extract(path, manifest["database"], copy)
        database.load(url, copy, db.engine, app.config.get("PG_BIN_DIR"))
    files = _restore_instance(app, path, manifest)
    return Restored(manifest, files, safety, schema_problem(schema_state(app)))


def _restore_instance(app: Flask, path: Path, manifest: dict) -> list[str]:
    """Put the instance files back. Configuration is written beside the live one
    (`config.py.from-backup`): its secrets were left out, and the live file holds them."""
    instance = Path(app.instance_path)
    written = []
    for name in archive.members_under(manifest, "instance"):
        relative = Path(name).relative_to("instance")
        target = instance / relative
        if archive.may_hold_secrets(target):
            target = target.with_name(target.name + ".from-backup")
        target.parent.mkdir(parents=True, exist_ok=True)
        archive.extract(path, name, target)
        written.append(str(target.relative_to(instance)))
    return written
