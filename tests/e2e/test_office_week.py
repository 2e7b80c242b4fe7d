"""Issue 7's journeys in the browser: leave asked from a notification and answered from the
to-do list; void and restore; a form sent twice; Back after a refused form; documents that
print on one A4 page each.

Elements are found by URL, field name, `data-testid` and demo data, never by wording.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from core.i18n import today
from tests.e2e.helpers import submit_form
from tests.e2e.test_meetings import MEETING_PAGE, fill_meeting_form, log_out, minute, plan_meeting

PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def printed_pages(page) -> int:
    """How many sheets the page prints on, as Chromium's print to PDF lays it out."""
    return len(PDF_PAGE.findall(page.pdf(prefer_css_page_size=True)))


def test_leave_from_a_notification_is_answered_from_the_to_do_list(page, live_server, log_in):
    log_in(page, "office")
    meeting_url = plan_meeting(page, live_server, "征求意见专题会")
    meeting_path = meeting_url.removeprefix(live_server.url)
    log_out(page)

    # The director opens the invitation from his notifications and asks for leave there.
    log_in(page, "adviser")
    page.goto(f"{live_server.url}/notifications")
    invitation = page.locator(".list-group-item", has_text="征求意见专题会").first
    with page.expect_navigation():
        invitation.locator("form button").click()
    expect(page).to_have_url(meeting_url)
    page.locator("main a[href^='/invitations/'][href$='/leave']").click()
    page.locator("textarea[name=reason]").fill("当天需出庭应诉。")
    submit_form(page, expect_status=302)
    page.goto(meeting_url)
    expect(page.get_by_test_id("own-leave")).to_be_visible()
    log_out(page)

    # The office finds it on the dashboard's to-do list and approves it.
    log_in(page, "office")
    page.goto(f"{live_server.url}/dashboard")
    todo = page.get_by_test_id("todo")
    request = todo.locator("a[href^='/leave/']", has_text="征求意见专题会")
    expect(request).to_have_count(1)
    request.click()
    page.locator("select[name=decision]").select_option("approve")
    submit_form(page, expect_status=302)
    expect(page).to_have_url(meeting_url)
    # The answered request reads as answered, not as an empty form.
    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("todo").locator("a", has_text="征求意见专题会")).to_have_count(0)
    page.goto(meeting_url)
    decide = page.get_by_test_id("invitees").locator("a[href^='/leave/']")
    if decide.count():
        decide.first.click()
        expect(page.get_by_test_id("leave-decided")).to_be_visible()
    assert meeting_path.startswith("/meetings/")


def test_void_a_meeting_and_restore_it(page, live_server, log_in):
    log_in(page, "office")
    meeting_url = plan_meeting(page, live_server, "误建的专题会")
    page.locator("main a[href^='/void/meeting/']").click()
    submit_form(page, expect_status=400)  # a reason is required
    page.locator("textarea[name=reason]").fill("与已安排的会议重复。")
    submit_form(page, expect_status=302)
    page.goto(f"{live_server.url}/meetings")
    expect(page.get_by_test_id("meetings")).not_to_contain_text("误建的专题会")
    page.goto(f"{live_server.url}/voided")
    row = page.get_by_test_id("voided-meeting").locator("tr", has_text="误建的专题会")
    expect(row).to_contain_text("与已安排的会议重复。")
    submit_form(page, row.locator("form"), expect_status=302)
    expect(page).to_have_url(meeting_url)
    page.goto(f"{live_server.url}/meetings")
    expect(page.get_by_test_id("meetings")).to_contain_text("误建的专题会")


def test_a_meeting_form_sent_twice_plans_one_meeting(page, live_server, log_in):
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings/new")
    day = today() + timedelta(days=6)
    fill_meeting_form(page, "只应有一个的会议", minute(day, 9), minute(day, 11))
    sent = page.evaluate(
        "() => new URLSearchParams(new FormData(document.querySelector('main form'))).toString()"
    )
    submit_form(page, expect_status=302)
    first = page.url
    # The browser's "confirm resubmission": the same form, token and all, sent again.
    again = page.request.post(
        f"{live_server.url}/meetings/new",
        data=sent,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        max_redirects=0,
    )
    assert again.status == 302 and again.headers["location"].endswith(
        first.removeprefix(live_server.url)
    )
    page.goto(f"{live_server.url}/meetings")
    expect(page.get_by_test_id("meetings").locator("a", has_text="只应有一个的会议")).to_have_count(
        1
    )


def test_back_after_a_refused_form_shows_the_form_again(page, live_server, log_in):
    log_in(page, "office")
    page.goto(f"{live_server.url}/meetings/new")
    day = today() + timedelta(days=6)
    fill_meeting_form(page, "先填错再改正", minute(day, 14), minute(day, 9))
    submit_form(page, expect_status=400)
    page.locator("input[name=ends_at]").fill(minute(day, 16))
    submit_form(page, expect_status=302)
    expect(page).to_have_url(MEETING_PAGE)
    page.go_back()
    assert not page.url.startswith("chrome-error"), page.url
    expect(page).to_have_url(f"{live_server.url}/meetings/new")
    expect(page.locator("input[name=title]")).to_be_visible()


def test_the_letter_and_the_meeting_notice_print_on_one_a4_page_each(page, live_server, log_in):
    log_in(page, "office")
    page.goto(f"{live_server.url}/roster")
    page.get_by_test_id("roster").locator("tbody tr").first.locator("a").first.click()
    page.get_by_test_id("terms").locator("a[href*='/letter']").first.click()
    expect(page.get_by_test_id("letter")).to_be_visible()
    assert printed_pages(page) == 1
    meeting_url = plan_meeting(page, live_server, "打印检查会议")
    page.goto(f"{meeting_url}/notice")
    expect(page.get_by_test_id("notice")).to_be_visible()
    assert printed_pages(page) == 1
    page.goto(f"{meeting_url}/sign-in")
    assert printed_pages(page) == 1
