"""The meetings pages through the test client."""

import io
import os
import shutil
import subprocess
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from advisers.meetings import ical
from advisers.meetings.models import Invitation, Meeting, MeetingStatus
from advisers.synthetic import bulk_meetings, bulk_panel
from core.extensions import db
from core.i18n import today
from core.models import Role, utcnow
from tests.advisers.meetings.conftest import at
from tests.conftest import count_queries


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


def test_an_adviser_near_the_threshold_is_told(client, login, held_series, serving, make_user):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    held_series("PPPPPAA", "PPPPPPP", "PPPPPPP")
    login(account)
    assert 'data-testid="near-threshold"' in text(client.get("/me/meetings"))


def test_candidates_and_the_decision_page(office_client, held_series, serving):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    page = text(office_client.get("/dismissals"))
    assert serving[0].name in page
    from advisers.meetings.models import DismissalCandidate

    candidate = db.session.scalar(select(DismissalCandidate))
    refused = office_client.post(
        f"/dismissals/{candidate.id}", data={"decision": "dismiss", "note": ""}
    )
    assert refused.status_code == 400
    done = office_client.post(
        f"/dismissals/{candidate.id}", data={"decision": "dismiss", "note": "长期缺席"}
    )
    assert done.status_code == 302
    warning = text(office_client.get(done.location))
    assert "alert-warning" in warning  # two serving members left, fewer than five


def test_the_rule_page_and_its_versions(client, login, make_user):
    login(make_user(Role.ADMIN))
    assert 'data-testid="rule-versions"' in text(client.get("/dismissals/rule"))
    bad = client.post(
        "/dismissals/rule",
        data={
            "consecutive_absences": "abc",
            "min_rate": "50",
            "window_months": "12",
            "min_meetings": "4",
        },
    )
    assert bad.status_code == 400 and "invalid-feedback" in text(bad)
    good = client.post(
        "/dismissals/rule",
        data={
            "consecutive_absences": "4",
            "min_rate": "40",
            "window_months": "12",
            "min_meetings": "4",
        },
    )
    assert good.status_code == 302
    assert text(client.get("/dismissals/rule")).count("<tr><td>") == 2


@pytest.mark.parametrize("url", ["/reports/attendance", "/meetings"])
def test_report_queries_do_not_grow_with_five_years_of_meetings(office_client, url):
    bulk_panel(3, serving_days=400)
    bulk_meetings(1, 4)
    office_client.get(url)
    with count_queries() as small:
        assert office_client.get(url).status_code == 200
    bulk_panel(12, first=3, serving_days=2000)  # 15 advisers, 5 more years of meetings
    bulk_meetings(5, 20)
    with count_queries() as large:
        page = office_client.get(url)
    assert page.status_code == 200
    assert large[0] == small[0], (small[0], large[0])


def test_the_report_exports_open_as_spreadsheets(office_client, tmp_path):
    bulk_panel(15, serving_days=400)
    bulk_meetings(1, 6)
    year = today().year
    response = office_client.get(f"/reports/attendance.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] in ("法律顾问", "Adviser") and len(rows) >= 2
    csv_body = office_client.get(f"/reports/attendance.csv?year={year}&quarter=1").data
    assert csv_body.startswith(b"\xef\xbb\xbf")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must open the workbook in LibreOffice; .ci/run installs it")
        pytest.skip("LibreOffice is not installed; the openpyxl check above still ran")
    source = tmp_path / "report.xlsx"
    source.write_bytes(response.data)
    subprocess.run(
        [
            soffice,
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = (tmp_path / "report.csv").read_text(encoding="utf-8", errors="replace")
    assert rows[1][0] in converted


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


def test_the_adviser_page_shows_attendance_over_the_window(office_client, held_series, serving):
    held_series("PPAE", "PPPP", "PPPP")
    page = text(office_client.get(f"/advisers/{serving[0].id}"))
    summary = page[page.index('data-testid="attendance-summary"') :]
    assert "66.7%" in summary
