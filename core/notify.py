"""In-app notifications, and e-mail through the outbox when SMTP is configured.

A notification is written in the action's own transaction, with its e-mail as an outbox row.
The scheduler sends the outbox after the commit (`send_outbox`), so a rolled-back action
mails nothing, and a slow mail server never holds a request or a database lock.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from core.errors import DomainError
from core.extensions import db
from core.flow import commit
from core.models import MailStatus, Notification, OutboxMessage, Role, User, UserRole, utcnow
from core.policy import MANAGE_USERS, service

SUPPRESS_KEY = "mail_suppressed"
#: minutes to wait before each retry; after the last, the message is marked failed
RETRY_MINUTES = (1, 5, 30, 120, 720)
#: how long a claimed message is left to its sender before another may try it
CLAIM_LEASE = timedelta(minutes=10)
BATCH = 50


def path_for(endpoint: str, **values) -> str:
    """The site-relative path of a page, usable in jobs where there is no request."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def external_url(path: str) -> str:
    """The address of a page as people reach it, from the configured EXTERNAL_URL."""
    return current_app.config["EXTERNAL_URL"].rstrip("/") + path


def users_with_roles(*roles: Role) -> list[User]:
    stmt = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role.in_(roles), User.is_active.is_(True))
        .distinct()
    )
    return list(db.session.scalars(stmt))


@contextmanager
def mail_suppressed():
    """Send no e-mail for what happens inside the block (demo data, imports of old records)."""
    had = db.session.info.get(SUPPRESS_KEY)
    db.session.info[SUPPRESS_KEY] = True
    try:
        yield
    finally:
        if had is None:
            db.session.info.pop(SUPPRESS_KEY, None)


def _mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER")) and not db.session.info.get(SUPPRESS_KEY)


def notify(
    users: Iterable[User],
    render: Callable[[], tuple[str, str]],
    link: str | None = None,
    key: str | None = None,
) -> list[Notification]:
    """Notify each user once per key; `render` gives (subject, body) in the user's language."""
    users = list(users)
    already = set()
    if key is not None and users:
        already = set(
            db.session.scalars(
                select(Notification.user_id).where(
                    Notification.key == key, Notification.user_id.in_([u.id for u in users])
                )
            )
        )
    created = []
    for user in users:
        if user.id in already:
            continue
        with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            subject, body = render()
            mail_body = _mail_body(body, link)
        note = Notification(user_id=user.id, key=key, subject=subject, body=body, link=link)
        db.session.add(note)
        created.append(note)
        queue_mail(user, subject, mail_body)
    db.session.flush()
    return created


def _mail_body(body: str, link: str | None) -> str:
    if not link:
        return body
    label = _("Open it in Counsel:")
    return f"{body}\n\n{label} {external_url(link)}"


def _message_domain() -> str:
    return urlsplit(current_app.config["EXTERNAL_URL"]).hostname or "localhost"


def queue_mail(user: User, subject: str, body: str) -> OutboxMessage | None:
    """Put an e-mail to the user in the outbox, when mail is on and the user has an address."""
    if not _mail_enabled() or not user.email:
        return None
    message = OutboxMessage(
        to_address=user.email,
        subject=subject,
        body=body,
        message_id=make_msgid(domain=_message_domain()),
    )
    db.session.add(message)
    return message


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = message.message_id
    email.set_content(message.body)
    return email


def _deliver(email: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def _claim(message_id: int, now: datetime) -> bool:
    """Take one message for sending, so a second scheduler does not send it too."""
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == MailStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
    ).rowcount
    commit()
    return claimed == 1


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> None:
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= len(RETRY_MINUTES):
        message.status = MailStatus.FAILED
    else:
        message.next_attempt_at = now + timedelta(minutes=RETRY_MINUTES[message.attempts - 1])


def send_outbox(now: datetime | None = None) -> tuple[int, int]:
    """Send the messages that are due; return how many were sent and how many failed now."""
    if not current_app.config.get("MAIL_SERVER"):
        return 0, 0
    now = now or utcnow()
    due = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(BATCH)
        )
    )
    sent = failed = 0
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            _deliver(_email(message))
        except (OSError, smtplib.SMTPException) as error:
            current_app.logger.warning("could not e-mail %s: %s", message.to_address, error)
            _record_failure(message, error, now)
            failed += 1
        else:
            message.status, message.sent_at, message.last_error = MailStatus.SENT, utcnow(), None
            sent += 1
        commit()
    return sent, failed


@service(MANAGE_USERS)
def retry_message(actor: User, message: OutboxMessage) -> None:
    """Give a failed message another round of tries."""
    if message.status != MailStatus.FAILED:
        raise DomainError(_("Only a message that failed can be sent again."))
    message.status = MailStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.flush()


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications, or all of them, as read."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
