"""The administrator's system page: the last backups, the scheduler's jobs, the schema."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from core import health
from core import scheduler as scheduling
from core.backups import service as backups
from core.extensions import db
from core.models import JobStatus
from core.policy import MANAGE_USERS, requires
from core.schema import schema_state

bp = Blueprint("system", __name__)


@bp.route("/admin/system")
@requires(MANAGE_USERS)
def status():
    app = current_app._get_current_object()
    statuses = {row.job: row for row in db.session.scalars(select(JobStatus))}
    return render_template(
        "core/system.html",
        health=health.check(app),
        schema=schema_state(app),
        runs=backups.last_runs(10),
        files=backups.list_backups(app)[:20],
        folder=backups.backup_dir(app),
        keep=app.config["BACKUP_KEEP"],
        jobs=[(spec, statuses.get(name)) for name, spec in sorted(scheduling.JOBS.items())],
    )
