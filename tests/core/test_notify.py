"""Notifications: once per key, in the user's language, e-mailed when SMTP is set up."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from core import notify
from core.extensions import db
from core.models import Notification, Role


def render():
    return _("Dashboard"), "body"


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
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, message):
            sent.append(message["To"])

    monkeypatch.setattr(notify.smtplib, "SMTP", FakeSMTP)
    user = make_user(Role.OFFICE, email="lin@example.gov")
    notify.notify([user], render)
    assert sent == []
    app.config["MAIL_SERVER"] = "smtp.intranet"
    try:
        notify.notify([user], render)
    finally:
        app.config["MAIL_SERVER"] = None
    assert sent == [("smtp.intranet", 25), "lin@example.gov"]


def test_a_mail_failure_keeps_the_notification(app, make_user, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(notify.smtplib, "SMTP", refuse)
    user = make_user(Role.OFFICE, email="lin@example.gov")
    app.config["MAIL_SERVER"] = "smtp.intranet"
    try:
        assert len(notify.notify([user], render)) == 1
    finally:
        app.config["MAIL_SERVER"] = None


def test_inactive_users_are_not_notified(make_user):
    make_user(Role.OFFICE)
    make_user(Role.OFFICE, is_active=False)
    make_user(Role.VIEWER)
    assert len(notify.users_with_roles(Role.OFFICE)) == 1
