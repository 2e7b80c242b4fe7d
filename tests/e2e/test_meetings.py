"""The panel's meetings in the browser: planning, leave, attendance, dismissal, report, calendar.

Each test gets a fresh copy of the demo district (see conftest.py): two years of held meetings,
a cancelled one, and a regular meeting 12 days ahead for which 王建国 (the `adviser` login, the
director) has asked for leave. 胡斌 missed the last three held meetings and awaits a dismissal
decision; 朱红 was kept (waived) earlier. 15 members serve; the plan's minimum is 5.

The Chinese translations of these pages may still be incomplete, so elements are found by URL,
form field name, `data-testid` and demo data (titles, names), never by interface wording.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from core.i18n import today
from tests.e2e.helpers import submit_form

MEETING_PAGE = re.compile(r"/meetings/\d+$")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def log_out(page) -> None:
    """Log out through the user menu of the navbar (a POST form inside the dropdown)."""
    menu = page.locator("nav li.dropdown", has=page.locator("form[action$='/logout']"))
    menu.locator(".dropdown-toggle").click()
    with page.expect_navigation():
        menu.locator("form[action$='/logout'] button").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def minute(day, hour: int, minutes: int = 0) -> str:
    """A value for <input type="datetime-local">."""
    return f"{day.isoformat()}T{hour:02d}:{minutes:02d}"


def fill_meeting_form(page, title: str, starts_at: str, ends_at: str) -> None:
    page.locator("select[name=kind]").select_option("ad_hoc")
    page.locator("input[name=title]").fill(title)
    page.locator("input[name=starts_at]").fill(starts_at)
    page.locator("input[name=ends_at]").fill(ends_at)
    page.locator("input[name=place]").fill("区政府3号楼第二会议室")


def plan_meeting(page, live_server, title: str) -> str:
    """Plan an ad hoc meeting five days ahead through the form, inviting the default (all
    serving members); returns the meeting page's URL."""
    day = today() + timedelta(days=5)
    page.goto(f"{live_server.url}/meetings/new")
    fill_meeting_form(page, title, minute(day, 9, 30), minute(day, 11, 30))
    submit_form(page, expect_status=302)
    expect(page).to_have_url(MEETING_PAGE)
    return page.url


def invitee_row(page, name: str):
    """The row of an adviser in the meeting page's invitees table."""
    return (
        page.get_by_test_id("invitees")
        .locator("tbody tr")
        .filter(has=page.locator(f"td:first-child:text-is('{name}')"))
    )


# --- 1. planning -------------------------------------------------------------------------


def test_office_plans_a_meeting_inviting_everyone_serving(page, live_server, log_in, shot):
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings")
    page.locator("main a[href='/meetings/new']").click()
    expect(page).to_have_url(f"{live_server.url}/meetings/new")

    invitees = page.locator("input[type=checkbox][name=invitees]")
    expect(invitees).to_have_count(15)
    expect(page.locator("input[type=checkbox][name=invitees]:checked")).to_have_count(15)

    title = "行政复议案件集中研讨会"
    day = today() + timedelta(days=5)
    fill_meeting_form(page, title, minute(day, 14, 30), minute(day, 17))
    shot(page, "meeting-form")
    submit_form(page, expect_status=302)

    expect(page).to_have_url(MEETING_PAGE)
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("main")).to_contain_text(f"{day.isoformat()} 14:30")
    expect(page.get_by_test_id("invitees").locator("tbody tr")).to_have_count(15)
    expect(invitee_row(page, "王建国")).to_have_count(1)
    shot(page, "meeting")

    # It is listed among the meetings.
    page.goto(f"{live_server.url}/meetings")
    expect(page.get_by_test_id("meetings").locator("a", has_text=title)).to_have_count(1)


def test_a_meeting_after_a_term_ends_invites_who_serves_that_day(page, live_server, log_in, shot):
    """Issue 7, point 1: one demo adviser's term ends in 20 days; a meeting in 30 days invites
    the 14 others, the list following the date as it is typed."""
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings/new")
    boxes = page.locator("input[type=checkbox][name=invitees]")
    expect(boxes).to_have_count(15)
    day = today() + timedelta(days=30)
    fill_meeting_form(page, "第一季度例会", minute(day, 9), minute(day, 11))
    expect(boxes).to_have_count(14)
    expect(page.locator("input[type=checkbox][name=invitees]:checked")).to_have_count(14)
    shot(page, "meeting-form-after-a-term")
    submit_form(page, expect_status=302)
    expect(page).to_have_url(MEETING_PAGE)
    expect(page.get_by_test_id("invitees").locator("tbody tr")).to_have_count(14)


def test_a_meeting_that_ends_before_it_starts_is_refused(page, live_server, log_in):
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings/new")
    title = "结束早于开始的会议"
    day = today() + timedelta(days=5)
    fill_meeting_form(page, title, minute(day, 14, 30), minute(day, 10))
    submit_form(page, expect_status=400)

    expect(page).to_have_url(f"{live_server.url}/meetings/new")
    ends_at = page.locator("input[name=ends_at]")
    expect(ends_at).to_have_class(re.compile(r"\bis-invalid\b"))
    beside = page.locator("div.mb-3", has=ends_at).locator(".invalid-feedback")
    expect(beside).to_be_visible()
    expect(beside).not_to_be_empty()
    expect(page.locator("input[name=starts_at]")).not_to_have_class(re.compile(r"is-invalid"))
    # What was typed is kept.
    expect(page.locator("input[name=title]")).to_have_value(title)

    page.goto(f"{live_server.url}/meetings")
    expect(page.get_by_test_id("meetings")).not_to_contain_text(title)


# --- 2. leave ----------------------------------------------------------------------------


def test_an_adviser_asks_for_leave_and_the_office_approves(page, live_server, log_in, shot):
    title = "重大行政决策合法性审查专题会"
    log_in(page, "office")
    meeting_url = plan_meeting(page, live_server, title)
    log_out(page)

    # The adviser (王建国) asks for leave from the new meeting.
    log_in(page, "adviser")
    page.locator("nav a[href='/me/meetings']").click()
    expect(page).to_have_url(f"{live_server.url}/me/meetings")
    meeting_path = meeting_url.removeprefix(live_server.url)
    row = (
        page.get_by_test_id("upcoming")
        .locator(".list-group-item")
        .filter(has=page.locator(f"a[href='{meeting_path}']"))
    )
    expect(row).to_have_count(1)
    expect(row.locator(".badge")).to_have_count(0)
    row.locator("a[href*='/leave']").click()
    expect(page).to_have_url(re.compile(r"/invitations/\d+/leave$"))
    expect(page.locator("main")).to_contain_text(title)
    reason = "当天在外地参加仲裁庭审。"
    page.locator("textarea[name=reason]").fill(reason)
    submit_form(page, expect_status=302)

    expect(page).to_have_url(f"{live_server.url}/me/meetings")
    expect(row.locator(".badge.text-bg-warning")).to_have_count(1)
    expect(row.locator("a[href*='/leave']")).to_have_count(0)  # no second request
    shot(page, "my-meetings-pending")
    log_out(page)

    # The office answers it from the meetings list.
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings")
    pending = page.get_by_test_id("pending-leave")
    request = pending.locator("li").filter(has_text=title)
    expect(request).to_have_count(1)
    expect(request).to_contain_text("王建国")
    expect(request).to_contain_text(reason)
    request.locator("a[href*='/decide']").click()
    expect(page).to_have_url(re.compile(r"/leave/\d+/decide$"))
    expect(page.locator("main")).to_contain_text(reason)
    page.locator("select[name=decision]").select_option("approve")
    page.locator("textarea[name=answer]").fill("同意。")
    submit_form(page, expect_status=302)
    expect(page).to_have_url(meeting_url)
    expect(invitee_row(page, "王建国").locator(".badge.text-bg-info")).to_have_count(1)

    # Answered: it leaves the list; the demo's own pending request stays.
    page.goto(f"{live_server.url}/meetings")
    expect(pending.locator("li").filter(has_text=title)).to_have_count(0)
    demo_meeting = f"{today().year}年第四季度法律顾问室定期会议"
    expect(pending.locator("li").filter(has_text=demo_meeting)).to_contain_text("王建国")
    log_out(page)

    # The adviser sees the leave approved.
    log_in(page, "adviser")
    page.goto(f"{live_server.url}/me/meetings")
    expect(row.locator(".badge.text-bg-info")).to_have_count(1)
    expect(row.locator(".badge.text-bg-warning")).to_have_count(0)
    expect(row).to_contain_text("同意。")
    shot(page, "my-meetings-approved")


# --- 3. attendance -----------------------------------------------------------------------


def test_office_records_attendance_for_a_held_meeting(page, live_server, log_in, shot):
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings?status=held")
    first = page.get_by_test_id("meetings").locator("tbody tr").first.locator("a").first
    title = first.inner_text().strip()
    first.click()
    expect(page).to_have_url(MEETING_PAGE)
    expect(page.locator("h1")).to_contain_text(title)
    meeting_url = page.url

    page.locator("main a[href$='/attendance']").click()
    expect(page).to_have_url(f"{meeting_url}/attendance")
    table = page.get_by_test_id("attendance")
    present = table.locator("tbody tr").filter(
        has=page.locator("input[type=radio][value=present]:checked")
    )
    assert present.count() >= 2, "the demo meeting should have at least two present"
    absent_row, excused_row = present.nth(0), present.nth(1)
    absent_name = absent_row.locator("td").first.inner_text().strip()
    excused_name = excused_row.locator("td").first.inner_text().strip()
    excused_id = (
        excused_row.locator("input[type=radio]").first.get_attribute("name").removeprefix("mark-")
    )
    absent_label = absent_row.locator("label[for$='-absent']").inner_text().strip()
    excused_label = excused_row.locator("label[for$='-excused']").inner_text().strip()
    # Locate the two rows by name from here on (the filtered list changes as marks change).
    absent_row = table.locator("tbody tr").filter(
        has=page.locator(f"td:first-child:text-is('{absent_name}')")
    )
    excused_row = table.locator(f"tbody tr:has(input[name='mark-{excused_id}'])")

    absent_row.locator("input[value=absent]").check()
    excused_row.locator("input[value=excused]").check()
    excused_row.locator(f"input[name='reason-{excused_id}']").fill("")
    submit_form(page, expect_status=400)

    # Refused, with the error on the excused row; the choices are kept.
    expect(page).to_have_url(f"{meeting_url}/attendance")
    expect(excused_row).to_have_class(re.compile(r"\btable-danger\b"))
    expect(excused_row.locator(".invalid-feedback")).to_be_visible()
    expect(excused_row.locator(".invalid-feedback")).not_to_be_empty()
    expect(absent_row.locator(".invalid-feedback")).to_have_count(0)
    expect(absent_row.locator("input[value=absent]")).to_be_checked()
    expect(excused_row.locator("input[value=excused]")).to_be_checked()
    shot(page, "attendance-refused")

    reason = "临时接到区政府紧急任务，会后补交说明。"
    excused_row.locator(f"input[name='reason-{excused_id}']").fill(reason)
    submit_form(page, expect_status=302)

    expect(page).to_have_url(meeting_url)
    expect(invitee_row(page, absent_name).locator("td").nth(2)).to_have_text(absent_label)
    excused_cell = invitee_row(page, excused_name).locator("td").nth(2)
    expect(excused_cell).to_contain_text(excused_label)
    expect(excused_cell).to_contain_text(reason)
    shot(page, "attendance-saved")


# --- 4 and 5. dismissal ------------------------------------------------------------------


def held_meeting_days(page, live_server, count: int) -> list[str]:
    """The days of the latest held meetings, newest first, as the meetings list shows them."""
    page.goto(f"{live_server.url}/meetings?status=held")
    cells = page.get_by_test_id("meetings").locator("tbody tr td:first-child")
    return [cells.nth(i).inner_text().strip()[:10] for i in range(count)]


def dismiss_hu_bin(page, live_server, reason: str):
    """As office or admin: dismiss 胡斌 from /dismissals, first without a reason (refused)."""
    hu_bin = live_server.adviser_ids["胡斌"]
    page.goto(f"{live_server.url}/dismissals")
    candidate = (
        page.get_by_test_id("candidates")
        .locator(".list-group-item")
        .filter(has=page.locator(f"a[href='/advisers/{hu_bin}']"))
    )
    expect(candidate).to_have_count(1)
    candidate.locator("a[href^='/dismissals/']").click()
    expect(page).to_have_url(re.compile(r"/dismissals/\d+$"))
    expect(page.locator("h1")).to_contain_text("胡斌")

    page.locator("select[name=decision]").select_option("dismiss")
    submit_form(page, expect_status=400)
    note = page.locator("textarea[name=note]")
    expect(note).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("div.mb-3", has=note).locator(".invalid-feedback")).to_be_visible()

    page.locator("select[name=decision]").select_option("dismiss")
    note.fill(reason)
    page.locator("input[name=approved_on]").fill(today().isoformat())
    page.locator("input[name=doc_no]").fill("江府函〔2026〕60号")
    page.locator("input[name=confirm]").check()
    submit_form(page, expect_status=302)
    expect(page).to_have_url(re.compile(r"/dismissals$"))
    return hu_bin


def test_office_dismisses_a_candidate_with_a_reason(page, live_server, log_in, shot):
    log_in(page, "office")
    latest = held_meeting_days(page, live_server, 3)
    hu_bin = live_server.adviser_ids["胡斌"]

    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("open-candidates")).to_be_visible()
    page.goto(f"{live_server.url}/dismissals")
    candidates = page.get_by_test_id("candidates")
    candidate = candidates.locator(".list-group-item").filter(
        has=page.locator(f"a[href='/advisers/{hu_bin}']")
    )
    expect(candidate).to_have_count(1)
    expect(candidates).not_to_contain_text("朱红")  # kept earlier: not open
    # The evidence: absent from the last three held meetings, by date.
    run = candidate.locator("ul li").first.locator("span")  # one per meeting
    expect(run).to_have_count(3)
    days = sorted(ISO_DAY.search(run.nth(i).inner_text()).group() for i in range(3))
    assert days == sorted(latest), (days, latest)
    shot(page, "dismissal-candidates")

    reason = "连续三次无故缺席顾问室会议，经主任办公会研究决定解聘。"
    dismiss_hu_bin(page, live_server, reason)

    # The case leaves the open list and is filed under the dismissed ones with the reason.
    expect(
        page.get_by_test_id("candidates").locator(f"a[href='/advisers/{hu_bin}']")
    ).to_have_count(0)
    page.goto(f"{live_server.url}/dismissals?status=dismissed")
    dismissed = page.get_by_test_id("candidates").locator(".list-group-item")
    dismissed = dismissed.filter(has=page.locator(f"a[href='/advisers/{hu_bin}']"))
    expect(dismissed).to_have_count(1)
    expect(dismissed).to_contain_text(reason)
    expect(dismissed.locator("a[href^='/dismissals/']")).to_have_count(0)

    # His adviser page: the term is ended, with the reason and the evidence in its note.
    dismissed.locator(f"a[href='/advisers/{hu_bin}']").click()
    expect(page).to_have_url(f"{live_server.url}/advisers/{hu_bin}")
    expect(page.locator("h1")).to_contain_text("胡斌")
    terms = page.get_by_test_id("terms")
    expect(terms.locator("a[href$='/end']")).to_have_count(0)
    expect(terms.locator("a[href*='/renew']")).to_have_count(0)
    expect(terms).to_contain_text(reason)
    for day in latest:
        expect(terms).to_contain_text(day)
    shot(page, "dismissed-adviser")


def test_a_dismissed_adviser_leaves_the_panel(page, live_server, log_in):
    log_in(page, "office")
    hu_bin = live_server.adviser_ids["胡斌"]
    page.goto(f"{live_server.url}/roster")
    expect(page.get_by_test_id("roster").locator(f"a[href='/advisers/{hu_bin}']")).to_have_count(1)

    dismiss_hu_bin(page, live_server, "连续三次无故缺席，决定解聘。")

    page.goto(f"{live_server.url}/roster")
    roster = page.get_by_test_id("roster")
    expect(roster.locator(f"a[href='/advisers/{hu_bin}']")).to_have_count(0)
    expect(roster.locator("tbody tr")).to_have_count(14)
    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("members")).to_have_text("14")


def test_the_panel_size_warning_after_a_dismissal(page, live_server, log_in, shot):
    log_in(page, "admin")
    page.goto(f"{live_server.url}/admin/settings")
    setting = page.locator("form[action='/admin/settings/panel.min_members']")
    expect(setting.locator("input[name=value]")).to_have_value("5")
    setting.locator("input[name=value]").fill("15")
    submit_form(page, setting, expect_status=302)
    expect(page).to_have_url(f"{live_server.url}/admin/settings")
    expect(
        page.locator("form[action='/admin/settings/panel.min_members'] input[name=value]")
    ).to_have_value("15")

    # 15 serve and 15 are required: no warning yet.
    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("members")).to_have_text("15")
    expect(page.get_by_test_id("panel-warning")).to_have_count(0)
    log_out(page)

    log_in(page, "office")
    dismiss_hu_bin(page, live_server, "连续三次无故缺席，决定解聘。")
    shot(page, "dismissal-warning")
    warning = page.locator("main .alert-warning").filter(has_text="14")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("15")

    page.goto(f"{live_server.url}/dashboard")
    banner = page.get_by_test_id("panel-warning")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("14")
    expect(page.get_by_test_id("members")).to_have_text("14")


# --- 6. the attendance report ------------------------------------------------------------


def test_the_attendance_report_with_charts_and_export(page, live_server, log_in, shot):
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings")
    page.locator("main a[href='/reports/attendance']").click()
    expect(page).to_have_url(f"{live_server.url}/reports/attendance")
    day = today()
    if not page.get_by_test_id("attendance-matrix").count() and day.timetuple().tm_yday <= 80:
        # Early in January–March the demo may have held nothing yet this year.
        page.goto(f"{live_server.url}/reports/attendance?year={day.year - 1}")

    matrix = page.get_by_test_id("attendance-matrix")
    expect(matrix).to_be_visible()
    rows = matrix.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 15, rows.count()
    names = [n.strip() for n in matrix.locator("tbody tr td:first-child").all_inner_texts()]
    for name in ("王建国", "胡斌", "朱红"):
        assert name in names, names
    assert names == sorted(names), "sorted by name by default"
    # One column per held meeting, each linking to its page.
    expect(matrix.locator("thead a[href^='/meetings/']").first).to_be_visible()

    for chart in ("chart-by-meeting", "chart-by-adviser"):
        canvas = page.locator(f"canvas#{chart}")
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0, (chart, box)
        drawn = page.evaluate(
            "(id) => { const c = window.Chart && window.Chart.getChart(id);"
            " return c ? c.data.datasets[0].data.length : 0; }",
            chart,
        )
        assert drawn > 0, f"{chart} has no chart drawn on it"
    shot(page, "attendance-report")

    link = page.locator("main a[href*='/reports/attendance.xlsx']")
    expect(link).to_have_count(1)
    response = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 200
    assert "spreadsheetml" in response.headers["content-type"]
    assert ".xlsx" in response.headers.get("content-disposition", "")
    assert response.body().startswith(b"PK")  # a zip: the XLSX container


# --- 7. the calendar feed ----------------------------------------------------------------


def test_an_adviser_subscribes_to_the_calendar_feed(page, live_server, log_in):
    log_in(page, "adviser")
    page.goto(f"{live_server.url}/me/meetings")
    page.locator("main a[href='/account/calendar']").click()
    expect(page).to_have_url(f"{live_server.url}/account/calendar")
    feed_url = page.get_by_test_id("feed-url").input_value()
    assert feed_url.startswith(f"{live_server.url}/calendar/"), feed_url
    assert feed_url.endswith(".ics"), feed_url

    # The secret address is the login: no session cookie is needed.
    page.context.clear_cookies()
    response = page.request.get(feed_url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR"), body[:200]
    assert "TZID=Asia/Shanghai" in body
    assert re.search(r"^UID:meeting-\d+@", body, re.MULTILINE), body[:500]
    assert body.rstrip().endswith("END:VCALENDAR")

    # A wrong token finds nothing.
    wrong = page.request.get(f"{live_server.url}/calendar/{'x' * 32}.ics")
    assert wrong.status == 404
