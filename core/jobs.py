"""The kernel's jobs: send the outbox every minute; purge old login records every night."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete

from core import notify
from core.extensions import db
from core.models import FormSubmission, utcnow
from core.scheduler import register_job
from core.sessions import purge_sessions
from core.throttle import purge_attempts


def send_outbox(_today: date) -> str:
    """Send the e-mail that actions have put in the outbox and committed."""
    sent, failed = notify.send_outbox()
    return f"sent {sent}, failed {failed}"


def purge_login_records(_today: date) -> str:
    """Delete password tries and sessions older than LOGIN_RECORDS_RETENTION_DAYS."""
    before = utcnow() - timedelta(days=current_app.config["LOGIN_RECORDS_RETENTION_DAYS"])
    tries, sessions = purge_attempts(before), purge_sessions(before)
    return f"deleted {tries} password tries and {sessions} sessions from before {before:%Y-%m-%d}"


#: how long a sent form's one-time token is remembered: a browser asking to send the same
#: form again does so within minutes, not days
SENT_FORMS_KEPT = timedelta(days=2)


def purge_sent_forms(_today: date) -> str:
    """Forget the one-time tokens of forms sent more than two days ago."""
    before = utcnow() - SENT_FORMS_KEPT
    result = db.session.execute(delete(FormSubmission).where(FormSubmission.created_at < before))
    return f"forgot {result.rowcount} sent forms"


def register_jobs() -> None:
    register_job("send_outbox", send_outbox, trigger="interval", seconds=60)
    register_job("purge_login_records", purge_login_records, hour=3, minute=30)
    register_job("purge_sent_forms", purge_sent_forms, hour=3, minute=40)
