"""The kernel's job: send the outbox every minute."""

from __future__ import annotations

from datetime import date

from core import notify
from core.scheduler import register_job


def send_outbox(_today: date) -> str:
    """Send the e-mail that actions have put in the outbox and committed."""
    sent, failed = notify.send_outbox()
    return f"sent {sent}, failed {failed}"


def register_jobs() -> None:
    register_job("send_outbox", send_outbox, trigger="interval", seconds=60)
