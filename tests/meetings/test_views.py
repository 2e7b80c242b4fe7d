"""The meetings pages through the test client."""

from datetime import timedelta

from sqlalchemy import func, select

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
    assert feed.headers["Cache-Control"] == "private, no-store"  # issue 7, point 30
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


# --- issue 7, point 1: the invitees follow the meeting's date -----------------------------


def _leaving(appoint, days_left):
    """An adviser whose term ends `days_left` days from today."""
    from advisers import rules

    return appoint(start=rules.add_years(today() + timedelta(days=days_left + 1), -3)).adviser


def test_a_meeting_after_a_term_ends_explains_who_does_not_serve(office_client, serving, appoint):
    leaving = _leaving(appoint, 20)
    day = today() + timedelta(days=30)
    ticked_from_todays_roster = [str(a.id) for a in [*serving, leaving]]
    response = office_client.post("/meetings/new", data={
        "kind": "regular", "title": "第四季度例会", "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T11:00", "place": "第二会议室", "invitees": ticked_from_todays_roster,
    })  # fmt: skip
    page = text(response)
    assert response.status_code == 400
    assert f"{leaving.name}在 {day.isoformat()} 不在聘期内" in page
    assert "not a valid choice" not in page and "不是有效的选择" not in page
    assert db.session.scalar(select(Meeting)) is None
    untick = ticked_from_todays_roster[:-1]
    response = office_client.post("/meetings/new", data={
        "kind": "regular", "title": "第四季度例会", "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T11:00", "place": "第二会议室", "invitees": untick,
    })  # fmt: skip
    assert response.status_code == 302
    assert len(db.session.scalar(select(Meeting)).invitations) == 3


def test_the_form_learns_who_serves_on_the_day_chosen(office_client, serving, appoint):
    leaving = _leaving(appoint, 20)
    soon = office_client.get(f"/meetings/invitees?day={today() + timedelta(days=20)}").json
    later = office_client.get(f"/meetings/invitees?day={today() + timedelta(days=21)}").json
    assert leaving.id in {i["id"] for i in soon["invitees"]}  # their last day
    assert leaving.id not in {i["id"] for i in later["invitees"]}
    assert len(later["invitees"]) == len(serving)
    assert office_client.get("/meetings/invitees?day=2026-02-30").status_code == 400


def test_an_id_off_the_list_is_refused_in_words(office_client, serving):
    day = today() + timedelta(days=9)
    response = office_client.post("/meetings/new", data={
        "kind": "ad_hoc", "title": "会", "starts_at": f"{day}T09:00", "ends_at": f"{day}T10:00",
        "place": "室", "invitees": ["999999"],
    })  # fmt: skip
    assert response.status_code == 400 and "请从列出的人员中选择。" in text(response)


def test_moving_a_meeting_past_a_term_keeps_nobody_who_no_longer_serves(
    office_client, serving, appoint
):
    from meetings import services

    leaving = _leaving(appoint, 20)
    soon = today() + timedelta(days=10)
    meeting = services.plan_meeting(
        None, kind="regular", title="例会", starts_at=at(soon), ends_at=at(soon, 16), place="室"
    )
    db.session.commit()
    later = today() + timedelta(days=40)
    response = office_client.post(f"/meetings/{meeting.id}/edit", data={
        "kind": "regular", "title": "例会", "starts_at": f"{later}T14:00",
        "ends_at": f"{later}T16:00", "place": "室", "version": str(meeting.version),
        "invitees": [str(i.adviser_id) for i in meeting.invitations],
    })  # fmt: skip
    assert response.status_code == 400 and leaving.name in text(response)


def test_an_adviser_reads_only_their_own_excuse_on_a_meeting_page(
    app, client, login, held_series, serving, make_user
):
    """Issue 7, point 30: why a colleague was excused is not another adviser's to read."""
    from tests.conftest import log_in

    accounts = []
    for adviser in serving[:2]:
        account = make_user(Role.ADVISER)
        adviser.user_id = account.id
        accounts.append(account)
    db.session.commit()
    [meeting] = held_series("E", "E", "P")  # 事假 for the first two
    url = f"/meetings/{meeting.id}"
    colleague = app.test_client()
    log_in(colleague, accounts[1].username)
    own = client
    login(accounts[0])
    assert text(own.get(url)).count("事假") == 1  # their own only
    assert text(colleague.get(url)).count("事假") == 1
    staff = app.test_client()
    log_in(staff, make_user(Role.OFFICE).username)
    # the office's page also tells the marks' history (core.audit): count the invitees' table
    page = text(staff.get(url)).split('data-testid="record-history"')[0]
    assert page.count("事假") == 2


# --- issue 7, point 7: a form sent twice acts once -----------------------------------------


def _token(page: str) -> str:
    import re

    return re.search(r'name="submission" type="hidden" value="([^"]+)"', page).group(1)


def test_sending_the_meeting_form_twice_plans_one_meeting(office_client, serving):
    token = _token(text(office_client.get("/meetings/new")))
    day = today() + timedelta(days=9)
    data = {
        "kind": "ad_hoc", "title": "重复提交", "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T11:30", "place": "第二会议室",
        "invitees": [str(a.id) for a in serving], "submission": token,
    }  # fmt: skip
    first = office_client.post("/meetings/new", data=data)
    again = office_client.post("/meetings/new", data=data)
    assert first.status_code == again.status_code == 302
    assert again.location == first.location  # to the meeting the first sending planned
    assert db.session.scalar(select(func.count(Meeting.id))) == 1
    assert db.session.scalar(select(func.count(Invitation.id))) == len(serving)
    assert "没有再次处理" in text(office_client.get(again.location))


def test_a_refused_form_keeps_its_token_for_the_corrected_sending(office_client, serving):
    token = _token(text(office_client.get("/meetings/new")))
    day = today() + timedelta(days=9)
    data = {"kind": "ad_hoc", "title": "更正后提交", "starts_at": f"{day}T09:00",
            "ends_at": f"{day}T08:00", "place": "第二会议室", "submission": token}  # fmt: skip
    refused = office_client.post("/meetings/new", data=data)
    assert refused.status_code == 400 and _token(text(refused)) == token
    # the page marks itself as the answer to a sent form: app.js makes Back load it again
    assert 'name="counsel-posted"' in text(refused)
    corrected = office_client.post("/meetings/new", data={**data, "ends_at": f"{day}T11:00"})
    assert corrected.status_code == 302
    assert db.session.scalar(select(func.count(Meeting.id))) == 1


# --- issue 7, point 9: the printed notice, sign-in sheet and minutes -----------------------


def test_the_notice_names_the_weekday_the_issue_date_the_contact_and_orders_by_post(
    office_client, appoint, create_adviser, plan
):
    from advisers.models import Post

    start = today() - timedelta(days=10)
    member = appoint(create_adviser(name="阿成员"), Post.MEMBER, start)
    deputy = appoint(create_adviser(name="乙副主任"), Post.DEPUTY_DIRECTOR, start)
    director = appoint(create_adviser(name="丙主任"), Post.DIRECTOR, start)
    day = today() + timedelta(days=(2 - today().weekday()) % 7 + 7)  # a Wednesday
    meeting = plan(day, invitee_ids=[member.adviser_id, deputy.adviser_id, director.adviser_id])
    page = text(office_client.get(f"/meetings/{meeting.id}/notice"))
    assert f"{day.year}年{day.month}月{day.day}日（星期三）" in page
    assert f"{today().year}年{today().month}月{today().day}日" in page  # issued today
    assert "联系人：" in page
    listed = page[page.index('data-testid="attendees"') :]
    assert listed.index("主任：丙主任") < listed.index("副主任：乙副主任") < listed.index("阿成员")


def test_the_sign_in_sheet_and_the_minutes_print(office_client, held_series, serving):
    [meeting] = held_series("P", "E", "A")
    sheet = text(office_client.get(f"/meetings/{meeting.id}/sign-in"))
    assert "签到表" in sheet and all(a.name in sheet for a in serving)
    minutes = text(office_client.get(f"/meetings/{meeting.id}/minutes/print"))
    assert "会议纪要" in minutes
    assert f"出席：{serving[0].name}" in minutes and f"缺席：{serving[2].name}" in minutes
    assert f"请假：{serving[1].name}" in minutes
