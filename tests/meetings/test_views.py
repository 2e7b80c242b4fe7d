"""The meetings pages through the test client."""

from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.i18n import today
from core.models import Role, utcnow
from meetings import ical
from meetings.models import Invitation, Meeting, MeetingStatus
from tests.meetings.fixtures import at


def text(response):
    return response.get_data(as_text=True)


def test_planning_a_meeting_through_the_form(office_client, serving):
    day = today() + timedelta(days=9)
    response = office_client.post("/meetings/new", data={
        "kind": "ad_hoc", "title": "征地拆迁纠纷研判会", "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T11:30", "place": "第二会议室",
        "invitees": [str(a.id) for a in serving[:2]],
    })  # fmt: skip
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert meeting.starts_at.astimezone(at(day).tzinfo).hour == 9
    assert len(meeting.invitations) == 2
    page = text(office_client.get(response.location))
    assert "征地拆迁纠纷研判会" in page and 'data-testid="invitees"' in page


def test_the_form_preselects_everyone_serving(office_client, serving):
    page = text(office_client.get("/meetings/new"))
    assert page.count('name="invitees"') == 3 and page.count("checked") >= 3


def test_a_meeting_ending_before_it_starts_is_refused(office_client, serving):
    day = today() + timedelta(days=9)
    response = office_client.post("/meetings/new", data={
        "kind": "regular", "title": "x", "starts_at": f"{day}T15:00", "ends_at": f"{day}T14:00",
        "place": "x"})  # fmt: skip
    assert response.status_code == 400 and "invalid-feedback" in text(response)
    assert db.session.scalar(select(Meeting)) is None


def test_attendance_page_records_the_whole_meeting(office_client, plan, serving):
    meeting = plan(today() - timedelta(days=2), held=True)
    ids = [i.id for i in meeting.invitations]
    page = text(office_client.get(f"/meetings/{meeting.id}/attendance"))
    assert page.count('type="radio"') == 3 * len(ids)
    bad = office_client.post(
        f"/meetings/{meeting.id}/attendance",
        data={f"mark-{ids[0]}": "present", f"mark-{ids[1]}": "excused", f"mark-{ids[2]}": "absent"},
    )
    assert bad.status_code == 400 and "table-danger" in text(bad)
    assert all(i.mark is None for i in db.session.scalars(select(Invitation)))
    good = office_client.post(f"/meetings/{meeting.id}/attendance", data={
        f"mark-{ids[0]}": "present", f"mark-{ids[1]}": "excused", f"reason-{ids[1]}": "病假",
        f"mark-{ids[2]}": "absent"})  # fmt: skip
    assert good.status_code == 302
    marks = {i.id: i.mark for i in db.session.scalars(select(Invitation))}
    assert marks == {ids[0]: "present", ids[1]: "excused", ids[2]: "absent"}


def test_attendance_for_a_planned_meeting_is_refused(office_client, plan, serving):
    meeting = plan()
    response = office_client.post(
        f"/meetings/{meeting.id}/attendance", data={f"mark-{meeting.invitations[0].id}": "present"}
    )
    assert response.status_code == 400


def test_holding_topics_minutes_and_notice(office_client, plan, serving):
    meeting = plan(today() - timedelta(days=1))
    page = text(office_client.get(f"/meetings/{meeting.id}"))
    assert f"/meetings/{meeting.id}/hold" in page
    assert (
        office_client.post(f"/meetings/{meeting.id}/hold", data={"minutes": "会议纪要"}).status_code
        == 302
    )
    assert (
        office_client.post(
            f"/meetings/{meeting.id}/topics",
            data={"title": "合同审查", "opinion": "建议修改违约条款"},
        ).status_code
        == 302
    )
    notice = text(office_client.get(f"/meetings/{meeting.id}/notice"))
    assert "会议通知" in notice and serving[0].name in notice
    assert db.session.get(Meeting, meeting.id).status == MeetingStatus.HELD


def test_an_adviser_sees_only_meetings_they_are_invited_to(client, login, plan, serving,
                                                          make_user, appoint):  # fmt: skip
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    mine = plan()
    others = plan(invitee_ids=[serving[1].id])
    login(account)
    assert client.get(f"/meetings/{mine.id}").status_code == 200
    assert client.get(f"/meetings/{others.id}").status_code == 403
    page = text(client.get("/me/meetings"))
    assert mine.title in page and 'data-testid="own-rate"' in page


def test_the_calendar_feed(client, login, plan, serving, make_user):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    meeting = plan(title="定期会议；第四季度, 总结")
    plan(invitee_ids=[serving[1].id], title="别人的会")
    login(account)
    page = text(client.get("/account/calendar"))
    assert account.calendar_token in page
    feed = client.get(f"/calendar/{account.calendar_token}.ics")
    body = feed.get_data(as_text=True)
    assert feed.mimetype == "text/calendar"
    assert f"UID:meeting-{meeting.id}@" in body and "别人的会" not in body
    assert "DTSTART;TZID=Asia/Shanghai:" in body and "\\；" not in body
    assert "SUMMARY:定期会议；第四季度\\, 总结" in body
    old = account.calendar_token
    client.post("/account/calendar/reset")
    assert client.get(f"/calendar/{old}.ics").status_code == 404


def test_ical_lines_are_folded_at_75_octets():
    line = "SUMMARY:" + "法律顾问室会议" * 20
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_unknown_calendar_tokens_are_not_found(client):
    assert client.get("/calendar/not-a-real-token-at-all-12345.ics").status_code == 404


def test_meeting_list_filters(office_client, plan, serving):
    plan(title="甲会议")
    held = plan(today() - timedelta(days=3), held=True, title="乙会议")
    page = text(office_client.get("/meetings?status=held"))
    assert "乙会议" in page and "甲会议" not in page
    assert held.invitations and utcnow()
