"""The scheduler process: APScheduler running each job once per slot, in an app context.

Jobs register here with `register_job`; `flask scheduler run` starts a blocking scheduler.
A daily job first claims a JobRun(job, slot) row under a unique key inside its own
transaction, so when two schedulers fire the same slot only one does the work. A frequent job
(the outbox, every minute) claims no slot: it claims each item of its work instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import Flask
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core import audit
from core.extensions import db
from core.flow import commit
from core.i18n import TIMEZONE, today
from core.models import JobRun, JobStatus, utcnow

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
    """Run the job for one slot (a day) unless it already ran; tell whether it ran.

    Each run is logged (one JSON line: the job, its slot, outcome and duration) and kept as
    the job's JobStatus, which /healthz and the system page read.
    """
    spec = JOBS[name]
    slot = slot or today()
    started, clock = utcnow(), time.perf_counter()
    try:
        with app.app_context():
            ran, summary = (_run_slotted if spec.slotted else _run_unslotted)(spec, slot)
    except Exception as error:
        _finished(app, spec, slot, started, clock, "failed", f"{type(error).__name__}: {error}")
        raise
    _finished(app, spec, slot, started, clock, "ok" if ran else "skipped", summary)
    return ran


def _run_slotted(spec: JobSpec, slot: date) -> tuple[bool, str | None]:
    session = db.session
    try:
        try:
            claim = JobRun(job=spec.name, slot=slot.isoformat())
            session.add(claim)
            session.flush()
        except IntegrityError:
            session.rollback()
            return False, "already ran for this slot"
        try:
            with audit.acting_as(session, None):
                claim.summary = spec.func(slot)
            claim.finished_at = utcnow()
            commit()
        except Exception:
            session.rollback()
            raise
        return True, claim.summary
    finally:
        session.remove()


def _run_unslotted(spec: JobSpec, day: date) -> tuple[bool, str | None]:
    try:
        with audit.acting_as(db.session, None):
            summary = spec.func(day)
        commit()
        return True, summary
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def _finished(app, spec: JobSpec, slot: date, started, clock: float, outcome: str, summary):
    """Log the run as one line and keep it as the job's status."""
    duration_ms = round((time.perf_counter() - clock) * 1000)
    fields = {"job": spec.name, "slot": slot.isoformat(), "outcome": outcome}
    level = logging.ERROR if outcome == "failed" else logging.INFO
    if outcome == "ok" and not spec.slotted:
        level = logging.DEBUG  # the outbox, every minute: its status row is enough
    log.log(
        level,
        "job %s for %s: %s in %d ms (%s)",
        spec.name,
        slot,
        outcome,
        duration_ms,
        summary or "",
        extra={**fields, "duration_ms": duration_ms},
        exc_info=outcome == "failed",
    )
    if outcome == "skipped":
        return
    try:
        with app.app_context():
            _keep_status(spec.name, started, outcome, duration_ms, summary)
    except Exception:  # the status is a report: a job that ran is not undone by failing it
        log.exception("could not record the status of job %s", spec.name)


def _keep_status(name: str, started, outcome: str, duration_ms: int, summary) -> None:
    finished = utcnow()
    values = {
        "started_at": started,
        "finished_at": finished,
        "outcome": outcome,
        "duration_ms": duration_ms,
        "summary": (summary or "")[:2000] or None,
    }
    if outcome == "ok":
        values["last_ok_at"] = finished
    with db.engine.begin() as connection:
        updated = connection.execute(
            update(JobStatus).where(JobStatus.job == name).values(**values)
        )
        if updated.rowcount == 0:
            try:
                with connection.begin_nested():
                    connection.execute(insert(JobStatus).values(job=name, **values))
            except IntegrityError:  # a second scheduler wrote it first: its run is as good
                pass


def last_scheduler_run():
    """When any job last finished (None before the scheduler's first run)."""
    return db.session.scalar(select(func.max(JobStatus.finished_at)))


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
