"""Notifications: once per key, in the user's language; e-mail through the outbox after commit."""

import socket
from datetime import timedelta

import pytest
from flask_babel import gettext as _
from sqlalchemy import func, select

from core import notify
from core.errors import DomainError
from core.extensions import db
from core.models import MailStatus, Notification, OutboxMessage, Role, utcnow


def render():
    return _("Dashboard"), "body"


class FakeSMTP:
    """Stands in for smtplib.SMTP and records what would be sent."""

    sent: list = []
    refuse = False

    def __init__(self, host, port, timeout):
        if FakeSMTP.refuse:
            raise OSError("connection refused")
        FakeSMTP.sent.append((host, port))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, message):
        FakeSMTP.sent.append(message["To"])


@pytest.fixture
def smtp(app, monkeypatch):
    """Mail switched on, delivered to FakeSMTP."""
    FakeSMTP.sent, FakeSMTP.refuse = [], False
    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.intranet")
    return FakeSMTP


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_keyed_notification_is_sent_once(make_user):
    users = [make_user(Role.OFFICE), make_user(Role.OFFICE)]
    assert len(notify.notify(users, render, key="k1")) == 2
    assert notify.notify(users, render, key="k1") == []
    assert len(notify.notify(users, render, key="k2")) == 2
    assert db.session.scalar(select(func.count(Notification.id))) == 4


def test_each_user_reads_it_in_their_language(make_user):
    chinese, english = make_user(Role.OFFICE), make_user(Role.OFFICE, locale="en")
    notify.notify([chinese, english], render)
    subjects = {n.user_id: n.subject for n in db.session.scalars(select(Notification))}
    assert subjects[english.id] == "Dashboard"
    assert subjects[chinese.id] != "Dashboard"


def test_mail_is_sent_only_when_smtp_is_configured(app, make_user, monkeypatch):
    FakeSMTP.sent = []
    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    user = make_user(Role.OFFICE, email="lin@example.gov")
    notify.notify([user], render)
    db.session.commit()
    assert notify.send_outbox() == (0, 0) and outbox() == [] and FakeSMTP.sent == []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.intranet")
    notify.notify([user], render)
    db.session.commit()
    assert FakeSMTP.sent == [], "nothing is sent before the scheduler runs the outbox"
    assert notify.send_outbox() == (1, 0)
    assert FakeSMTP.sent == [("smtp.intranet", 25), "lin@example.gov"]
    assert outbox()[0].status == MailStatus.SENT


def test_a_rolled_back_action_mails_nothing(smtp, make_user):
    user = make_user(Role.OFFICE, email="lin@example.gov")
    notify.notify([user], render)
    db.session.rollback()
    assert notify.send_outbox() == (0, 0)
    assert smtp.sent == [] and outbox() == []


def test_a_refused_request_mails_nothing(smtp, app, make_user, login, client, monkeypatch):
    """A service that notifies and then refuses: the request rolls back, the outbox stays empty."""
    from meetings import views

    staff = make_user(Role.OFFICE, email="lin@example.gov")

    def notify_then_refuse(actor, meeting, *, reason):
        notify.notify([staff], render)
        raise DomainError("refused", field="reason")

    monkeypatch.setattr(views.services, "cancel_meeting", notify_then_refuse)
    from meetings import services
    from meetings.models import MeetingKind

    meeting = services.plan_meeting(
        None,
        kind=MeetingKind.REGULAR,
        title="会",
        place="室",
        starts_at=utcnow() + timedelta(days=2),
        ends_at=utcnow() + timedelta(days=2, hours=1),
    )
    db.session.commit()
    login(staff)
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "x"})
    assert response.status_code == 400
    assert outbox() == [] and notify.send_outbox() == (0, 0) and smtp.sent == []


def test_a_failed_message_is_retried_then_marked_failed(smtp, make_user):
    user = make_user(Role.OFFICE, email="lin@example.gov")
    notify.notify([user], render)
    db.session.commit()
    smtp.refuse = True
    now = utcnow()
    for attempt in range(1, len(notify.RETRY_MINUTES) + 1):
        assert notify.send_outbox(now) == (0, 1)
        assert notify.send_outbox(now) == (0, 0), "not retried before its pause is over"
        [message] = outbox()
        assert message.attempts == attempt and "connection refused" in message.last_error
        now = message.next_attempt_at
    assert message.status == MailStatus.FAILED
    assert db.session.scalar(select(func.count(Notification.id))) == 1
    notify.retry_message(None, message)
    smtp.refuse = False
    assert notify.send_outbox() == (1, 0)


def test_the_mail_page_lists_failures_and_retries(smtp, make_user, login, client):
    user = make_user(Role.OFFICE, email="lin@example.gov")
    notify.notify([user], render)
    [message] = outbox()
    message.status, message.last_error = MailStatus.FAILED, "OSError: refused"
    db.session.commit()
    login(make_user(Role.ADMIN))
    page = client.get("/admin/mail?status=failed").get_data(as_text=True)
    assert "lin@example.gov" in page and "OSError: refused" in page
    assert client.post(f"/admin/mail/{message.id}/retry").status_code == 302
    assert db.session.get(OutboxMessage, message.id).status == MailStatus.PENDING
    refused = client.post(f"/admin/mail/{message.id}/retry")
    assert refused.status_code == 302, "a message not failed is not sent twice"
    assert db.session.get(OutboxMessage, message.id).attempts == 0


def test_inactive_users_are_not_notified(make_user):
    make_user(Role.OFFICE)
    make_user(Role.OFFICE, is_active=False)
    make_user(Role.VIEWER)
    assert len(notify.users_with_roles(Role.OFFICE)) == 1


def test_a_real_mail_server_gets_date_message_id_and_a_link(app, make_user, monkeypatch):
    """Delivered to a real SMTP server on this machine (aiosmtpd), as a mail server sees it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "EXTERNAL_URL", "https://counsel.jiangnan.gov.example/")
        user = make_user(Role.OFFICE, email="lin@example.gov")
        notify.notify([user], render, link="/meetings/7")
        db.session.commit()
        assert notify.send_outbox() == (1, 0)
    finally:
        controller.stop()
    [message] = received
    assert message["Date"] and message["Message-ID"].endswith("@counsel.jiangnan.gov.example>")
    assert message["To"] == "lin@example.gov"
    body = message.get_payload(decode=True).decode()
    assert "https://counsel.jiangnan.gov.example/meetings/7" in body
