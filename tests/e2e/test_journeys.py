"""What the office, an adviser and a phone user do in the browser, checked as they would check it.

Each test gets a fresh copy of the demo district (see conftest.py): 15 serving members
(1 director, 3 deputies), one term ending within 90 days, 郑凯 recommended and awaiting
approval, and 何平 who resigned. Elements are found by URL, `data-testid`, form field name or
data from the demo, not by interface wording, which the translators may still be changing.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from core.i18n import today
from tests.e2e.helpers import submit_form

ADVISER_PAGE = re.compile(r"/advisers/\d+$")


def letter_number(year: int) -> re.Pattern:
    return re.compile(rf"^江府法顾聘〔{year}〕\d+号$")


def test_office_logs_in_and_sees_the_full_panel(page, live_server, log_in, shot):
    page.goto(f"{live_server.url}/login")
    page.locator("input[name=username]").fill("office")
    page.locator("input[name=password]").fill("not-the-password")
    submit_form(page, expect_status=401)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator(".invalid-feedback")).to_be_visible()
    expect(page.locator(".invalid-feedback")).not_to_be_empty()

    log_in(page, "office")
    expect(page).to_have_url(f"{live_server.url}/dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("members")).to_have_text("15")
    shot(page, "dashboard-zh")


def make_room(page, live_server, day, shot=None) -> None:
    """End the term of a serving member (not the director or a deputy) today, so that the
    full demo panel has room for an appointment from tomorrow."""
    page.goto(f"{live_server.url}/roster?post=member&sort=-end")
    if shot:
        shot(page, "roster-zh")
    member = page.get_by_test_id("roster").locator("tbody tr").first.locator("a").first
    leaving = member.inner_text().strip()
    member.click()
    expect(page.locator("h1")).to_contain_text(leaving)
    page.get_by_test_id("terms").locator("a[href$='/end']").click()
    page.locator("select[name=reason]").select_option("resigned")
    # Keep the default last day, today: the member still serves today, so the panel is still
    # full today. The new term therefore starts tomorrow (filled in below); starting it today
    # would make 16 on today's date and be refused. This does not depend on when the leaving
    # member's term began, unlike ending it "yesterday".
    expect(page.locator("input[name=ended_on]")).to_have_value(day.isoformat())
    page.locator("input[name=confirm]").check()
    submit_form(page)
    expect(page).to_have_url(ADVISER_PAGE)
    expect(page.locator("h1")).to_contain_text(leaving)
    expect(page.get_by_test_id("terms").locator("a[href$='/end']")).to_have_count(0)


def test_recommend_approve_and_appoint_a_new_adviser(page, live_server, log_in, shot):
    day = today()  # the app's today: China Standard Time, whatever the test machine's zone
    tomorrow = day + timedelta(days=1)
    log_in(page, "office")

    make_room(page, live_server, day, shot)

    # A new adviser record.
    name = "测试新顾问"
    page.goto(f"{live_server.url}/advisers/new")
    page.locator("input[name=name]").fill(name)
    page.locator("select[name=gender]").select_option("female")
    page.locator("select[name=category]").select_option("public_lawyer")
    page.locator("input[name=organisation]").fill("区司法局")
    submit_form(page)
    expect(page).to_have_url(ADVISER_PAGE)
    expect(page.locator("h1")).to_contain_text(name)
    adviser_url = page.url

    # Step 1: the office recommends.
    page.locator("a[href$='/recommend']").click()
    page.locator("select[name=post]").select_option("member")
    submit_form(page)
    expect(page).to_have_url(adviser_url)
    expect(page.get_by_test_id("nomination")).to_be_visible()

    # Step 2: the district government approves.
    page.locator("a[href*='/approve']").click()
    page.locator("input[name=doc_no]").fill(f"江府办复〔{day.year}〕88号")
    submit_form(page)
    expect(page).to_have_url(adviser_url)
    expect(page.get_by_test_id("nomination")).to_contain_text(f"江府办复〔{day.year}〕88号")

    # Step 3: the appointment, from tomorrow.
    page.locator("a[href*='/appoint']").click()
    page.locator("input[name=start_on]").fill(tomorrow.isoformat())
    submit_form(page)
    expect(page).to_have_url(adviser_url)
    expect(page.get_by_test_id("nomination")).to_have_count(0)
    terms = page.get_by_test_id("terms")
    expect(terms.locator("a[href*='/letter']")).to_have_count(1)
    expect(terms.locator("a[href*='/letter']")).to_have_text(letter_number(tomorrow.year))
    expect(terms.locator("tbody tr").first.locator("td").nth(1)).to_have_text(tomorrow.isoformat())

    # Today the panel still has its 15: the leaver serves through today.
    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("members")).to_have_text("15")


def test_a_sixteenth_appointment_is_refused(page, live_server, log_in):
    log_in(page, "office")
    page.locator("main a.list-group-item", has_text="郑凯").click()
    expect(page).to_have_url(ADVISER_PAGE)
    expect(page.locator("h1")).to_contain_text("郑凯")
    adviser_url = page.url

    page.locator("a[href*='/approve']").click()
    page.locator("input[name=doc_no]").fill("江府办复〔2026〕99号")
    submit_form(page)
    expect(page).to_have_url(adviser_url)

    page.locator("a[href*='/appoint']").click()
    expect(page.locator("input[name=start_on]")).to_have_value(today().isoformat())
    submit_form(page, expect_status=400)  # the form is shown again with the refusal
    expect(page).to_have_url(re.compile(r"/nominations/\d+/appoint$"))
    refusal = page.locator(".alert-danger, .invalid-feedback").filter(has_text="15")
    expect(refusal.first).to_be_visible()

    # Nothing was issued: no term, no letter, and the panel still has 15.
    page.goto(adviser_url)
    expect(page.get_by_test_id("terms").locator("a[href*='/letter']")).to_have_count(0)
    page.goto(f"{live_server.url}/dashboard")
    expect(page.get_by_test_id("members")).to_have_text("15")


def test_renew_a_term_that_ends_soon(page, live_server, log_in):
    log_in(page, "office")
    # The dashboard's first list: terms ending within 90 days (the second is recommendations).
    ending = page.locator("main .row.g-4 > div").first.locator("a.list-group-item")
    expect(ending.first).to_be_visible()
    name = ending.first.locator("span").first.inner_text().split("·")[0].strip()
    ending.first.click()
    expect(page).to_have_url(ADVISER_PAGE)
    expect(page.locator("h1")).to_contain_text(name)
    adviser_url = page.url

    terms = page.get_by_test_id("terms")
    letters = terms.locator("a[href*='/letter']")
    before = letters.count()
    renew = terms.locator("a[href*='/renew']")
    expect(renew).to_have_count(1)
    current = terms.locator("tbody tr", has=page.locator("a[href*='/renew']"))
    previous_end = date.fromisoformat(current.locator("td").nth(2).inner_text().strip())

    renew.click()
    page.locator("input[name=approved_on]").fill(today().isoformat())
    page.locator("input[name=doc_no]").fill("江府函〔2026〕52号")
    submit_form(page)
    expect(page).to_have_url(adviser_url)
    expect(letters).to_have_count(before + 1)
    new_start = previous_end + timedelta(days=1)
    newest = terms.locator("tbody tr").first
    expect(newest.locator("td").nth(1)).to_have_text(new_start.isoformat())
    expect(newest.locator("a[href*='/letter']")).to_have_text(letter_number(new_start.year))
    # The renewed term cannot be renewed a second time (only the new one can, later).
    renewed = terms.locator("tbody tr").filter(
        has=page.locator(f"td:nth-child(3):text-is('{previous_end.isoformat()}')")
    )
    expect(renewed).to_have_count(1)
    expect(renewed.locator("a[href*='/renew']")).to_have_count(0)

    # A renewed term no longer counts as ending soon.
    page.goto(f"{live_server.url}/dashboard")
    expect(page.locator("main .row.g-4 > div").first).not_to_contain_text(name)


def test_open_the_appointment_letter(page, live_server, log_in, shot):
    log_in(page, "office")
    page.goto(f"{live_server.url}/roster")
    first = page.get_by_test_id("roster").locator("tbody tr").first.locator("a").first
    name = first.inner_text().strip()
    first.click()
    expect(page.locator("h1")).to_contain_text(name)
    shot(page, "adviser")

    link = page.get_by_test_id("terms").locator("a[href*='/letter']").first
    letter_no = link.inner_text().strip()
    year = re.search(r"〔(\d{4})〕", letter_no)
    assert year and letter_number(int(year.group(1))).match(letter_no), letter_no
    link.click()
    expect(page).to_have_url(re.compile(r"/terms/\d+/letter$"))
    letter = page.get_by_test_id("letter")
    expect(letter).to_contain_text("聘任书")
    expect(letter).to_contain_text(name)
    expect(letter).to_contain_text(letter_no)
    shot(page, "letter")

    pdf_link = page.locator("a[href$='/letter.pdf']")
    if pdf_link.count():
        response = page.request.get(
            f"{live_server.url}{pdf_link.get_attribute('href')}", timeout=30_000
        )
        assert response.status == 200
        assert response.headers["content-type"].startswith("application/pdf")
        assert response.body().startswith(b"%PDF")
    else:
        expect(page.get_by_test_id("no-pdf")).to_be_visible()


def test_switch_language_and_back(page, live_server, log_in):
    log_in(page, "office")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    with page.expect_navigation():
        page.locator("nav").get_by_role("button", name="English", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/dashboard")
    expect(page.locator("nav")).to_contain_text("Dashboard")

    with page.expect_navigation():
        page.locator("nav").get_by_role("button", name="中文", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_url(f"{live_server.url}/dashboard")


def test_an_adviser_sees_only_their_own_record(page, live_server, log_in):
    log_in(page, "adviser")
    # an adviser lands on their matters; their own record is one click away
    expect(page).to_have_url(f"{live_server.url}/consultations/mine")
    page.locator("nav a[href='/me']").click()
    own = live_server.adviser_ids["王建国"]
    expect(page).to_have_url(f"{live_server.url}/advisers/{own}")
    expect(page.locator("h1")).to_contain_text("王建国")
    expect(page.get_by_test_id("terms").locator("a[href*='/letter']").first).to_be_visible()

    other = live_server.adviser_ids["李雪梅"]
    response = page.goto(f"{live_server.url}/advisers/{other}")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("403")
    expect(page.locator("main")).not_to_contain_text("李雪梅")


def test_phone_sized_roster_fits_the_screen(phone_page, live_server, log_in, shot):
    page = phone_page
    log_in(page, "office")
    page.goto(f"{live_server.url}/roster")
    expect(page.get_by_test_id("roster").locator("tbody tr")).to_have_count(15)
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width + 1, (scroll_width, inner_width)

    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    shot(page, "phone-roster")
    toggler.click()
    expect(page.locator("#nav a[href='/dashboard']")).to_be_visible()
