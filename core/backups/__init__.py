"""Backups: `flask backup create|list|verify|restore`, and the nightly backup job.

See service.py for what a backup holds and archive.py for how it is checked.
"""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app
from flask_babel import gettext as _

from core import notify
from core.backups.archive import BackupError
from core.backups.service import create_backup
from core.flow import commit
from core.models import Role
from core.scheduler import register_job


def nightly_backup(_day: date) -> str:
    """Back up, keep the newest BACKUP_KEEP; a failure is kept, told to the administrators,
    and raised so the scheduler logs the run as failed."""
    app = current_app._get_current_object()
    try:
        backup = create_backup(app, trigger="nightly")
    except BackupError as error:
        _tell_administrators(str(error))
        commit()
        raise
    return f"wrote {backup.path.name} ({backup.size} bytes)"


def _tell_administrators(reason: str) -> None:
    def render():
        return (
            _("The nightly backup failed"),
            _(
                "Tonight's backup was not made: %(reason)s. Check the backup folder's disk and "
                "run `flask backup create` once it is fixed.",
                reason=reason,
            ),
        )

    admins = notify.users_with_roles(Role.ADMIN)
    notify.notify(admins, render, link=notify.path_for("system.status"))


def init_app(app: Flask) -> None:
    from core.backups.cli import backup_cli

    app.cli.add_command(backup_cli)
    register_job("backup", nightly_backup, hour=1, minute=30)
