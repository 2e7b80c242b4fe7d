"""Nightly jobs: expired terms end; the office is reminded 90, 30 and 7 days ahead, once each."""

from datetime import date, timedelta

from sqlalchemy import select

from advisers import jobs
from advisers.models import EndReason
from core.extensions import db
from core.models import Notification, Role
from core.scheduler import run_job

START = date(2026, 3, 1)  # the term ends on 2029-02-28
END = date(2029, 2, 28)


def notes():
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def test_expired_terms_end_each_night(app, appoint):
    term = appoint(start=START)
    assert run_job(app, "end_expired_terms", END) is True
    db.session.refresh(term)
    assert term.end_reason is None
    assert run_job(app, "end_expired_terms", END + timedelta(days=1)) is True
    db.session.refresh(term)
    assert (term.end_reason, term.ended_on) == (EndReason.EXPIRED, END)


def test_reminders_come_at_90_30_and_7_days_once_each(app, appoint, make_user):
    staff = make_user(Role.OFFICE)
    make_user(Role.VIEWER)
    appoint(start=START)
    for days_left in range(100, -2, -1):
        jobs.remind_term_endings(END - timedelta(days=days_left))
        jobs.remind_term_endings(END - timedelta(days=days_left))  # a second scheduler
    db.session.commit()
    received = notes()
    assert [n.key.rsplit(":", 1)[1] for n in received] == ["90", "30", "7"]
    assert {n.user_id for n in received} == {staff.id}
    assert received[0].link.startswith("/advisers/")


def test_a_renewed_term_raises_no_reminder(app, appoint, make_user):
    from advisers import services

    make_user(Role.OFFICE)
    term = appoint(start=START)
    services.renew_term(None, term, approved_on=term.start_on, doc_no="江府函〔2029〕8号")
    db.session.commit()
    jobs.remind_term_endings(END - timedelta(days=30))
    assert notes() == []


def test_a_late_scheduler_sends_the_nearest_reminder_only(app, appoint, make_user):
    make_user(Role.OFFICE)
    appoint(start=START)
    assert run_job(app, "remind_term_endings", END - timedelta(days=20)) is True
    assert [n.key.rsplit(":", 1)[1] for n in notes()] == ["30"]
