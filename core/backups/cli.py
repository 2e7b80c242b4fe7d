"""`flask backup create | list | verify | restore`: what an operator runs, in plain words."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core import services as core_services
from core.backups import archive, service
from core.backups.archive import BackupError
from core.flow import commit
from core.i18n import TIMEZONE

backup_cli = AppGroup("backup", help="Back up the database and files, and restore a backup.")


def _app():
    return current_app._get_current_object()


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


@backup_cli.command("create")
def create():
    """Write a backup now into the backup folder (BACKUP_DIR) and keep the newest BACKUP_KEEP."""
    app = _app()
    try:
        backup = service.create_backup(app, trigger="command")
    except BackupError as error:
        commit()  # the failed attempt is kept for the system page
        raise click.ClickException(f"backup failed: {error}") from None
    commit()
    click.echo(f"backup written: {backup.path} ({_size(backup.size)})")
    click.echo(f"checksum: {backup.checksum_path}")


@backup_cli.command("list")
def list_command():
    """List the backups in the backup folder, newest first."""
    backups = service.list_backups(_app())
    if not backups:
        click.echo(f"no backups in {service.backup_dir(_app())}")
    for backup in backups:
        when = backup.created_at.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{when}  {_size(backup.size):>9}  {backup.path}")


@backup_cli.command("verify")
@click.argument("file", type=click.Path(path_type=Path))
def verify(file: Path):
    """Check a backup's checksums without restoring it."""
    try:
        manifest = archive.verify(file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{file}: good ({manifest['dialect']}, made {manifest['created_at']}, "
        f"{len(manifest['files'])} files, schema {', '.join(manifest['schema']) or 'none'})"
    )


@backup_cli.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace a database that holds records (a backup of it is taken first).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation when overwriting.")
def restore(file: Path, overwrite: bool, yes: bool):
    """Restore a backup into an empty database (stop the web server and scheduler first)."""
    app = _app()
    try:
        manifest, empty, accounts = service.check_restorable(app, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if not empty:
        if not overwrite:
            raise click.ClickException(
                f"the database is not empty: it has {accounts} login accounts. Restore refuses "
                "to replace it; run again with --overwrite to replace it (a backup of it is "
                "taken first)."
            )
        if not yes:
            click.confirm(
                f"Replace the database ({accounts} login accounts) with the backup made "
                f"{manifest['created_at']}?",
                abort=True,
            )
    try:
        restored = service.restore_backup(app, file, overwrite=overwrite)
    except BackupError as error:
        raise click.ClickException(f"restore failed: {error}") from None
    if restored.safety_backup:
        click.echo(f"the database that was replaced is kept in {restored.safety_backup}")
    click.echo(f"restored {file.name}: the database and {len(restored.files)} instance files")
    for name in restored.files:
        if name.endswith(".from-backup"):
            click.echo(f"  {name}: the backed-up configuration, secrets left out; compare it")
    if restored.schema_problem:
        click.echo(restored.schema_problem)
    elif unreadable := core_services.unreadable_secrets():
        click.echo(
            f"the stored secrets of {len(unreadable)} users were sealed under another "
            "SECRET_KEY: set SECRET_KEY (or SECRET_KEY_FALLBACKS) to the key of the site the "
            "backup came from, then run `flask secrets reseal`"
        )
