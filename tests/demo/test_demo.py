"""The demo district loads through the services, obeys every rule, and mails no one."""

from sqlalchemy import func, select

from core.extensions import db
from core.i18n import today
from core.models import Notification, OutboxMessage
from demo.panel import is_empty, load_demo


def test_the_demo_loads_and_mails_none_of_its_fictional_people(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.intranet")
    assert is_empty()
    load_demo(today())
    db.session.commit()
    assert not is_empty()
    assert db.session.scalar(select(func.count(Notification.id))) > 0, "they are notified in-app"
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0, "and never e-mailed"
