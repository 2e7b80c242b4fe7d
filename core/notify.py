"""In-app notifications, with e-mail too when SMTP is configured."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Iterable
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, select, update

from core.extensions import db
from core.models import Notification, Role, User, utcnow


def path_for(endpoint: str, **values) -> str:
    """The site-relative path of a page, usable in jobs where there is no request."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def users_with_roles(*roles: Role) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.role.in_(roles), User.is_active.is_(True)))
    )


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
        note = Notification(user_id=user.id, key=key, subject=subject, body=body, link=link)
        db.session.add(note)
        created.append(note)
        send_mail(user, subject, body)
    db.session.flush()
    return created


def send_mail(user: User, subject: str, body: str) -> bool:
    """E-mail the user when SMTP is configured; a mail failure never loses the notification."""
    config = current_app.config
    if not config.get("MAIL_SERVER") or not user.email:
        return False
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = config["MAIL_SENDER"], user.email, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("could not e-mail %s", user.email)
        return False
    return True


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def mark_read(user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications, or all of them, as read."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return db.session.execute(stmt.values(read_at=utcnow())).rowcount
