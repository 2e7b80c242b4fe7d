"""The demo register: engagements of every state across towns and key departments."""

from sqlalchemy import select

from consultations.engagements import rules
from consultations.engagements.models import Engagement
from core.extensions import db
from core.i18n import today
from core.models import Notification
from demo.panel import DEMO_PASSWORD, load_demo
from tests.conftest import log_in


def test_the_demo_register_shows_every_state_and_reminds_the_office(client):
    load_demo(today())
    db.session.commit()
    engagements = list(db.session.scalars(select(Engagement)))
    states = {rules.state_on(e.start_on, e.end_on, today(), 30) for e in engagements}
    assert states == set(rules.State)
    assert len({e.department_id for e in engagements}) >= 8
    assert any(e.contract_file_id for e in engagements)
    reminders = db.session.scalars(
        select(Notification.subject).where(Notification.key.like("engagement-ending:%"))
    ).all()
    assert reminders, "the office hears of the contracts ending soon"

    assert log_in(client, "office", DEMO_PASSWORD).status_code == 302
    page = client.get("/engagements").get_data(as_text=True)
    assert "白鹭镇人民政府" in page and "区城市管理局" in page
    with_file = next(e for e in engagements if e.contract_file_id)
    assert client.get(f"/engagements/{with_file.id}").status_code == 200
    assert client.get(f"/engagements/{with_file.id}/edit").status_code == 200
    assert client.get(f"/engagements/{with_file.id}/contract").status_code == 200

    client.post("/logout")
    assert log_in(client, "liaison", DEMO_PASSWORD).status_code == 302
    page = client.get("/engagements").get_data(as_text=True)
    assert "潘志远" in page and "许文涛" not in page
