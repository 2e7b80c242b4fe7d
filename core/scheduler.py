"""The scheduler process: APScheduler running each job once per slot, in an app context.

Jobs register here with `register_job`; `flask scheduler run` starts a blocking scheduler.
Each run first claims a JobRun(job, slot) row under a unique key inside the job's own
transaction, so when two schedulers fire the same slot only one does the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import Flask
from sqlalchemy.exc import IntegrityError

from core import audit
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import JobRun, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """A job: a plain function of the day it runs for, and its cron schedule."""

    name: str
    func: Callable[[date], str | None]
    cron: dict = field(default_factory=dict)


JOBS: dict[str, JobSpec] = {}


def register_job(name: str, func: Callable[[date], str | None], **cron) -> None:
    JOBS[name] = JobSpec(name, func, cron)


def run_job(app: Flask, name: str, slot: date | None = None) -> bool:
    """Run the job for one slot (a day) unless it already ran; tell whether it ran."""
    spec = JOBS[name]
    slot = slot or today()
    with app.app_context():
        session = db.session
        try:
            claim = JobRun(job=name, slot=slot.isoformat())
            session.add(claim)
            session.flush()
        except IntegrityError:
            session.rollback()
            log.info("job %s for %s already ran; skipped", name, slot)
            return False
        try:
            with audit.acting_as(session, None):
                claim.summary = spec.func(slot)
            claim.finished_at = utcnow()
            session.commit()
        except Exception:
            session.rollback()
            log.exception("job %s for %s failed", name, slot)
            raise
        finally:
            session.remove()
    return True


def build_scheduler(app: Flask, scheduler_class=None):
    """Make a scheduler with every registered job on its cron schedule."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (scheduler_class or BlockingScheduler)(
        timezone=TIMEZONE,
        job_defaults={"coalesce": True, "misfire_grace_time": 6 * 3600, "max_instances": 1},
    )
    for spec in JOBS.values():
        scheduler.add_job(
            run_job, "cron", args=[app, spec.name], id=spec.name, name=spec.name, **spec.cron
        )
    return scheduler
