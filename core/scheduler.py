"""The scheduler process: APScheduler running each job once per slot, in an app context.

Jobs register here with `register_job`; `flask scheduler run` starts a blocking scheduler.
A daily job first claims a JobRun(job, slot) row under a unique key inside its own
transaction, so when two schedulers fire the same slot only one does the work. A frequent job
(the outbox, every minute) claims no slot: it claims each item of its work instead.
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
from core.flow import commit
from core.i18n import TIMEZONE, today
from core.models import JobRun, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobSpec:
    """A job: a plain function of the day it runs for, and when it runs."""

    name: str
    func: Callable[[date], str | None]
    schedule: dict = field(default_factory=dict)
    #: "cron" (at set times, once per day's slot) or "interval" (every few seconds, no slot)
    trigger: str = "cron"

    @property
    def slotted(self) -> bool:
        return self.trigger == "cron"


JOBS: dict[str, JobSpec] = {}


def register_job(name: str, func: Callable[[date], str | None], trigger="cron", **schedule):
    """Add a job: cron fields (hour=1, minute=0) or, with trigger="interval", seconds=60."""
    JOBS[name] = JobSpec(name, func, schedule, trigger)


def run_job(app: Flask, name: str, slot: date | None = None) -> bool:
    """Run the job for one slot (a day) unless it already ran; tell whether it ran."""
    spec = JOBS[name]
    slot = slot or today()
    if not spec.slotted:
        return _run_unslotted(app, spec, slot)
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
            commit()
        except Exception:
            session.rollback()
            log.exception("job %s for %s failed", name, slot)
            raise
        finally:
            session.remove()
    return True


def _run_unslotted(app: Flask, spec: JobSpec, day: date) -> bool:
    with app.app_context():
        try:
            with audit.acting_as(db.session, None):
                summary = spec.func(day)
            commit()
            log.debug("job %s: %s", spec.name, summary)
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", spec.name)
            raise
        finally:
            db.session.remove()
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
            run_job,
            spec.trigger,
            args=[app, spec.name],
            id=spec.name,
            name=spec.name,
            **spec.schedule,
        )
    return scheduler
