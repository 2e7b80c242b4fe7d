"""Backups and the restore drill, on the suite's database (SQLite, or PostgreSQL in CI).

The source is the suite's own database; the restore goes into a second, empty database
(COUNSEL_TEST_MIGRATE_URL on PostgreSQL, a new file on SQLite) through a second application.
"""

from __future__ import annotations

import errno
import os
import tarfile
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from core import create_app
from core import scheduler as scheduling
from core import services as core_services
from core.backups import archive, database, nightly_backup, service
from core.backups.archive import BackupCorrupt, BackupError
from core.extensions import db
from core.files.models import StoredFile
from core.models import (
    BackupRun,
    Department,
    DepartmentKind,
    JobStatus,
    Notification,
    Role,
    User,
)
from tests.conftest import PASSWORD


@pytest.fixture
def backups(app, tmp_path, monkeypatch):
    """Backups go to a folder of the test's own."""
    folder = tmp_path / "backups"
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(folder))
    return folder


@pytest.fixture
def target(tmp_path, monkeypatch):
    """A second application on an empty database, with its own instance folder."""
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    instance = tmp_path / "restored-instance"
    monkeypatch.setenv("COUNSEL_INSTANCE_PATH", str(instance))
    restored = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "t"})
    restored.config["BACKUP_DIR"] = str(tmp_path / "target-backups")
    yield restored
    with restored.app_context():
        _drop_everything()
        db.engine.dispose()


def _drop_everything():
    tables = inspect(db.engine).get_table_names()
    if not tables:
        return
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{name}"' for name in tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"DROP TABLE IF EXISTS {quoted} CASCADE"))
    else:
        db.engine.dispose()
        Path(db.engine.url.database).unlink(missing_ok=True)


def department(name: str) -> Department:
    row = Department(name=name, kind=DepartmentKind.OTHER)
    db.session.add(row)
    db.session.commit()
    return row


def in_target(restored, statement):
    with restored.app_context():
        try:
            return db.session.execute(statement).all()
        finally:
            db.session.remove()


def test_a_backup_taken_during_writes_restores_every_committed_row_and_file(app, backups, target):
    """The restore drill: a clerk keeps saving while the backup runs."""
    stored = StoredFile(
        name="起诉状.pdf", content_type="application/pdf", size=4, sha256="x" * 64, data=b"%PDF"
    )
    db.session.add(stored)
    db.session.commit()
    upload = Path(app.instance_path) / "uploads" / "imports" / "roster.xlsx"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"an import waiting for its confirmation")
    committed, stop = [], threading.Event()

    def clerk():
        with app.app_context():
            number = 0
            while not stop.is_set():
                number += 1
                committed.append(department(f"写入中的部门{number}").name)
            db.session.remove()

    writer = threading.Thread(target=clerk)
    writer.start()
    try:
        while len(committed) < 5:
            threading.Event().wait(0.01)
        before = list(committed)
        backup = service.create_backup(app)
        db.session.commit()
    finally:
        stop.set()
        writer.join()

    with target.app_context():
        restored = service.restore_backup(target, backup.path)
    names = {row.name for row in in_target(target, select(Department.name))}
    assert set(before) <= names  # every row committed before the backup began
    assert names <= set(committed)  # and nothing that was never committed
    files = in_target(target, select(StoredFile.name, StoredFile.data))
    assert [(row.name, bytes(row.data)) for row in files] == [("起诉状.pdf", b"%PDF")]
    copy = Path(target.instance_path) / "uploads" / "imports" / "roster.xlsx"
    assert copy.read_bytes() == b"an import waiting for its confirmation"
    assert "uploads/imports/roster.xlsx" in restored.files
    upload.unlink()


def test_restore_refuses_a_database_in_use_unless_told_to_overwrite(app, backups, target):
    department("备份里的部门")
    backup = service.create_backup(app)
    db.session.commit()
    with target.app_context():
        service.restore_backup(target, backup.path)
    with target.app_context():
        core_services.create_user(
            None, username="later", password=PASSWORD, display_name="L", roles=[Role.ADMIN]
        )
        db.session.commit()
        with pytest.raises(BackupError, match="in use"):
            service.restore_backup(target, backup.path)
        restored = service.restore_backup(target, backup.path, overwrite=True)
    assert restored.safety_backup is not None and restored.safety_backup.is_file()
    assert in_target(target, select(User.username)) == []  # the backup's, not the one replaced
    assert [r.name for r in in_target(target, select(Department.name))] == ["备份里的部门"]


def test_a_corrupted_backup_is_refused_before_anything_is_written(app, backups, target):
    department("原部门")
    backup = service.create_backup(app)
    db.session.commit()
    data = bytearray(backup.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    backup.path.write_bytes(bytes(data))
    with target.app_context(), pytest.raises(BackupCorrupt, match="checksum"):
        service.restore_backup(target, backup.path)
    archive.sidecar(backup.path).unlink()  # copied without its checksum file: still caught
    with target.app_context(), pytest.raises(BackupCorrupt):
        service.restore_backup(target, backup.path)
    with target.app_context():
        assert "department" not in inspect(db.engine).get_table_names()


def test_a_truncated_or_foreign_file_is_refused(backups, tmp_path):
    foreign = tmp_path / "notes.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(__file__, arcname="notes.py")
    with pytest.raises(BackupCorrupt, match="manifest"):
        archive.verify(foreign)
    with pytest.raises(BackupError, match="no such backup"):
        archive.verify(tmp_path / "missing.tar.gz")


def test_a_full_disk_fails_loudly_and_keeps_the_earlier_backups(app, backups, monkeypatch):
    first = service.create_backup(app)
    db.session.commit()

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archive.tarfile.TarFile, "add", disk_full)
    with pytest.raises(BackupError, match="is full"):
        service.create_backup(app)
    db.session.commit()
    assert sorted(p.name for p in backups.iterdir()) == [
        first.path.name,
        archive.sidecar(first.path).name,
    ]
    archive.verify(first.path)
    runs = db.session.scalars(select(BackupRun).order_by(BackupRun.id)).all()
    assert [run.ok for run in runs] == [True, False]
    assert "is full" in runs[1].error and runs[1].file_name is None


def test_the_newest_backups_are_kept(app, backups, monkeypatch):
    monkeypatch.setitem(app.config, "BACKUP_KEEP", 2)
    made = [service.create_backup(app).path for _ in range(3)]
    assert [b.path for b in service.list_backups(app)] == [made[2], made[1]]
    assert not made[0].exists() and not archive.sidecar(made[0]).exists()


def test_instance_configuration_is_kept_without_its_secrets(app, backups):
    config = Path(app.instance_path) / "config.py"
    config.write_text(
        'SECRET_KEY = "s3cr3t-key-value"\nMAIL_PASSWORD = (\n    "mail-pass"\n)\n'
        'DATABASE_URL = "postgresql://counsel:dbpass@db/counsel"\nBACKUP_KEEP = 30\n'
    )
    stray = Path(app.instance_path) / "counsel-backup-20260101-013000.tar.gz"
    stray.write_bytes(b"an old backup copied here by hand")
    try:
        backup = service.create_backup(app)
    finally:
        config.unlink()
        stray.unlink()
    with tarfile.open(backup.path) as tar:
        kept = tar.extractfile("instance/config.py").read().decode()
        everything = b"".join(
            tar.extractfile(m).read() for m in tar.getmembers() if m.name.startswith("instance")
        )
    assert "BACKUP_KEEP = 30" in kept
    assert b"an old backup" not in everything  # a backup never holds the backups
    for secret in (b"s3cr3t-key-value", b"mail-pass", b"dbpass"):
        assert secret not in everything
    compile(kept, "config.py", "exec")  # still a config file the operator can use


def test_the_nightly_job_reports_a_failure_to_the_administrators(
    app, backups, make_user, monkeypatch
):
    admin = make_user(Role.ADMIN, username="it")
    make_user(Role.OFFICE, username="clerk")

    def broken(*_args, **_kwargs):
        raise BackupError("pg_dump failed: connection refused")

    monkeypatch.setattr(database, "dump", broken)
    with pytest.raises(BackupError):
        scheduling.run_job(app, "backup")
    notes = db.session.scalars(select(Notification)).all()
    assert [(n.user_id, n.link) for n in notes] == [(admin.id, "/admin/system")]
    assert "connection refused" in notes[0].body
    run = db.session.scalar(select(BackupRun))
    assert run.trigger == "nightly" and not run.ok
    status = db.session.get(JobStatus, "backup")
    assert status.outcome == "failed" and "connection refused" in status.summary


def test_the_nightly_job_writes_a_backup(app, backups):
    assert nightly_backup is not None
    assert scheduling.run_job(app, "backup") is True
    assert len(service.list_backups(app)) == 1
    assert db.session.get(JobStatus, "backup").outcome == "ok"


def test_the_commands_refuse_a_database_in_use_and_ask_before_overwriting(
    app, backups, target, make_user
):
    make_user(Role.ADMIN, username="it")
    backup = service.create_backup(app)
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "restore", str(backup.path)])
    assert result.exit_code == 1 and "not empty: it has 1 login accounts" in result.output
    result = runner.invoke(args=["backup", "restore", str(backup.path), "--overwrite"], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert db.session.scalar(select(func.count(BackupRun.id))) == 1  # nothing was done
    result = runner.invoke(args=["backup", "verify", str(backup.path)])
    assert result.exit_code == 0 and "good" in result.output
    result = runner.invoke(args=["backup", "list"])
    assert backup.path.name in result.output


@pytest.mark.parametrize(("key", "told"), [("test", False), ("another site's key", True)])
def test_a_restore_under_another_secret_key_says_which_key_the_secrets_need(
    app, backups, target, make_user, key, told
):
    make_user(Role.OFFICE, username="lin")
    backup = service.create_backup(app)
    db.session.commit()
    target.config["SECRET_KEY"] = key
    with target.app_context():  # the command runs in the application whose context is current
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(backup.path)])
    assert result.exit_code == 0, result.output
    warning = "the stored secrets of 1 users were sealed under another SECRET_KEY"
    assert (warning in result.output) is told
    token = in_target(target, select(User.calendar_token))[0][0]
    assert (token is None) is told
