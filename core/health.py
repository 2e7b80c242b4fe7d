"""`/healthz`: whether Counsel can serve, for a load balancer or a monitoring script.

It answers without a login and reads three things: the database (one `SELECT 1`), whether its
schema is the code's, and when the scheduler last finished a job. It says 200 when pages can
be served (the database answers with the right schema) and 503 otherwise; a stale scheduler
or a failed last backup is reported in the body, not in the status code, because the web
server itself is fine. Nothing in it names a user, a record or a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.extensions import db
from core.models import BackupRun, utcnow
from core.policy import public

bp = Blueprint("health", __name__)


@dataclass(frozen=True)
class Health:
    database: bool
    schema: str
    scheduler_last_run: datetime | None
    scheduler_stale: bool
    backup_last: BackupRun | None
    backup_last_ok: datetime | None

    @property
    def serving(self) -> bool:
        return self.database and self.schema == "current"

    def as_json(self) -> dict:
        return {
            "status": "ok" if self.serving else "failing",
            "database": "ok" if self.database else "unreachable",
            "schema": self.schema,
            "scheduler": {
                "status": self.scheduler_status,
                "last_run": _iso(self.scheduler_last_run),
            },
            "backup": {
                "status": self.backup_status,
                "last_success": _iso(self.backup_last_ok),
            },
        }

    @property
    def scheduler_status(self) -> str:
        if self.scheduler_last_run is None:
            return "never"
        return "stale" if self.scheduler_stale else "ok"

    @property
    def backup_status(self) -> str:
        if self.backup_last is None:
            return "none"
        return "ok" if self.backup_last.ok else "failed"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def check(app: Flask) -> Health:
    """Read the database, the schema, the scheduler's last run and the last backup."""
    from core.backups.service import last_runs, last_success
    from core.scheduler import last_scheduler_run
    from core.schema import schema_state

    try:
        db.session.execute(text("SELECT 1"))
        schema = schema_state(app).label
    except SQLAlchemyError:
        db.session.rollback()
        return Health(False, "unknown", None, False, None, None)
    if schema != "current":  # the tables read below may not be there yet
        return Health(True, schema, None, False, None, None)
    last_run = last_scheduler_run()
    backups = last_runs(1)
    success = last_success()
    stale_after = timedelta(minutes=app.config["SCHEDULER_STALE_MINUTES"])
    stale = last_run is not None and utcnow() - last_run > stale_after
    return Health(
        True,
        schema,
        last_run,
        stale,
        backups[0] if backups else None,
        success.finished_at if success else None,
    )


@bp.route("/healthz")
@public
def healthz():
    health = check(current_app._get_current_object())
    response = jsonify(health.as_json())
    response.status_code = 200 if health.serving else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
