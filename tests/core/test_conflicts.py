"""Edit conflicts (issue 7, point 28): every stale, racing or versionless save is refused with
the same clear message, and nothing is saved."""

from datetime import timedelta

from sqlalchemy import event, text

from advisers.models import Specialty
from core.extensions import db
from core.i18n import today
from core.models import Role, User
from meetings import services
from tests.conftest import log_in
from tests.meetings.fixtures import at

STALE = "您打开此记录后，其他人已对其作了修改。请刷新页面后重试。"


def page(response):
    return response.get_data(as_text=True)


def specialty():
    item = Specialty(name="合同", name_en="Contracts")
    db.session.add(item)
    db.session.commit()
    return item


def test_a_save_that_does_not_say_its_version_is_refused(office_client):
    item = specialty()
    response = office_client.post(
        f"/specialties/{item.id}", data={"name": "合同法", "name_en": "C"}
    )
    assert response.status_code == 400 and STALE in page(response)
    assert db.session.get(Specialty, item.id).name == "合同"


def test_a_save_from_a_form_opened_before_another_save_is_refused(office_client):
    item = specialty()
    opened = item.version
    saved = {"name": "合同法", "name_en": "Contract law", "version": str(opened)}
    assert office_client.post(f"/specialties/{item.id}", data=saved).status_code == 302
    late = {"name": "合同纠纷", "name_en": "Contract disputes", "version": str(opened)}
    response = office_client.post(f"/specialties/{item.id}", data=late)
    assert response.status_code == 400 and STALE in page(response)
    assert db.session.get(Specialty, item.id).name == "合同法"


def test_two_saves_at_the_same_moment_give_the_loser_the_message_not_a_500(office_client):
    """The other save lands between this request's read and its write."""
    item = specialty()

    def the_other_save(session, _context, _instances):
        session.connection().execute(
            text("UPDATE specialty SET version = version + 1, name = '合同法' WHERE id = :id"),
            {"id": item.id},
        )

    event.listen(db.session, "before_flush", the_other_save, once=True)
    try:
        data = {"name": "合同纠纷", "name_en": "Disputes", "version": str(item.version)}
        response = office_client.post(f"/specialties/{item.id}", data=data)
    finally:
        if event.contains(db.session, "before_flush", the_other_save):
            event.remove(db.session, "before_flush", the_other_save)
    assert response.status_code == 400 and STALE in page(response)
    db.session.expire_all()
    assert db.session.get(Specialty, item.id).name == "合同"  # the whole request rolled back


def test_a_users_form_is_not_made_stale_by_their_logging_in(client, app, make_user, login):
    login(make_user(Role.ADMIN))
    user = make_user(Role.OFFICE)
    opened = user.version
    log_in(app.test_client(), user.username)  # the user logs in meanwhile
    data = {"display_name": "改名", "roles": "office", "department_id": "0", "locale": ""}
    response = client.post(f"/admin/users/{user.id}", data={**data, "version": str(opened)})
    assert response.status_code == 302
    assert db.session.get(User, user.id).display_name == "改名"
    response = client.post(f"/admin/users/{user.id}", data={**data, "version": str(opened)})
    assert response.status_code == 400 and STALE in page(response)


def test_minutes_carry_their_version(office_client, plan, serving):
    meeting = plan(held=False)
    meeting.starts_at = at(today() - timedelta(days=1))
    meeting.ends_at = at(today() - timedelta(days=1), 16)
    services.hold_meeting(None, meeting)
    db.session.commit()
    response = office_client.post(f"/meetings/{meeting.id}/minutes", data={"minutes": "讨论"})
    assert response.status_code == 400 and STALE in page(response)
    form = page(office_client.get(f"/meetings/{meeting.id}"))
    assert f'name="version" type="hidden" value="{meeting.version}"' in form
