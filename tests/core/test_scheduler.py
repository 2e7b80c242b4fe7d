"""The scheduler runs each job once per slot, even with two schedulers; jobs are transactional."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from core import scheduler
from core.extensions import db
from core.models import Department, DepartmentKind, JobRun

SLOT = date(2026, 11, 27)


@pytest.fixture
def counting_job():
    calls = []

    def job(day):
        calls.append(day)
        db.session.add(Department(name=f"部门{len(calls)}", kind=DepartmentKind.OTHER))
        time.sleep(0.2)  # long enough for a second scheduler to collide
        return "ok"

    scheduler.register_job("test_counting", job, hour=1)
    yield calls
    scheduler.JOBS.pop("test_counting")


def departments() -> int:
    return db.session.scalar(select(func.count(Department.id)))


def test_a_slot_runs_once(app, counting_job):
    assert scheduler.run_job(app, "test_counting", SLOT) is True
    assert scheduler.run_job(app, "test_counting", SLOT) is False
    assert scheduler.run_job(app, "test_counting", date(2026, 11, 28)) is True
    assert len(counting_job) == 2 and departments() == 2
    run = db.session.scalar(select(JobRun).where(JobRun.slot == "2026-11-27"))
    assert run.summary == "ok" and run.finished_at is not None


def test_two_schedulers_firing_together_run_the_slot_once(app, counting_job):
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(scheduler.run_job(app, "test_counting", SLOT))
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert len(counting_job) == 1 and departments() == 1


def test_a_failing_job_leaves_nothing_and_can_run_again(app):
    attempts = []

    def failing(day):
        attempts.append(day)
        db.session.add(Department(name="半途而废", kind=DepartmentKind.OTHER))
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return "second time lucky"

    scheduler.register_job("test_failing", failing, hour=1)
    try:
        with pytest.raises(RuntimeError):
            scheduler.run_job(app, "test_failing", SLOT)
        assert departments() == 0
        assert db.session.scalar(select(func.count(JobRun.id))) == 0
        assert scheduler.run_job(app, "test_failing", SLOT) is True
        assert departments() == 1
    finally:
        scheduler.JOBS.pop("test_failing")


def test_the_scheduler_has_every_job_in_china_time(app):
    sched = scheduler.build_scheduler(app)
    jobs = {job.id: job for job in sched.get_jobs()}
    assert {
        "end_expired_terms",
        "remind_term_endings",
        "evaluate_dismissal_rule",
        "remind_meetings",
    } <= set(jobs)
    assert str(sched.timezone) == "Asia/Shanghai"
    assert sched._job_defaults["coalesce"] is True
    assert sched._job_defaults["misfire_grace_time"] >= 3600


def test_the_cli_runs_a_job_once(runner):
    first = runner.invoke(args=["scheduler", "run-job", "end_expired_terms", "--day", "2026-11-27"])
    second = runner.invoke(
        args=["scheduler", "run-job", "end_expired_terms", "--day", "2026-11-27"]
    )
    assert first.output.strip() == "ran"
    assert second.output.strip() == "already ran for this slot"
    assert runner.invoke(args=["scheduler", "run-job", "nope"]).exit_code != 0
