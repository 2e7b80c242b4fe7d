"""Issue 10's talent pool in the browser: the office finds a lawyer in the pool by specialty,
recommends her to the panel from her entry, and the existing workflow takes her through the
government's approval to her appointment; she is then no longer listed in the pool.

Elements are found by URL, field name, `data-testid` and demo data, never by wording.
"""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.helpers import submit_form
from tests.e2e.test_journeys import ADVISER_PAGE, make_room, today

LAWYER = "罗晓婷"


def test_a_recommendation_from_the_talent_pool_ends_in_an_appointment(
    page, live_server, log_in, shot
):
    day = today()
    log_in(page, "office")
    make_room(page, live_server, day)

    page.goto(f"{live_server.url}/pool?kind=practising_lawyer")
    pool = page.get_by_test_id("pool")
    expect(pool).to_contain_text(LAWYER)
    shot(page, "pool")
    pool.get_by_role("link", name=LAWYER).click()
    page.get_by_test_id("recommend").click()
    page.locator("select[name=gender]").select_option("female")
    page.locator("select[name=post]").select_option("member")
    submit_form(page, page.get_by_test_id("recommend-form"), 302)
    expect(page).to_have_url(ADVISER_PAGE)
    expect(page.locator("h1")).to_contain_text(LAWYER)
    expect(page.get_by_test_id("nomination")).to_be_visible()
    adviser_url = page.url

    page.locator("a[href*='/approve']").click()
    page.locator("input[name=doc_no]").fill(f"江府办复〔{day.year}〕91号")
    submit_form(page)
    page.locator("a[href*='/appoint']").click()
    page.locator("input[name=start_on]").fill((day + timedelta(days=1)).isoformat())
    submit_form(page)
    expect(page).to_have_url(adviser_url)
    expect(page.get_by_test_id("terms").locator("a[href*='/letter']")).to_have_count(1)

    page.goto(f"{live_server.url}/pool?kind=practising_lawyer")
    expect(page.get_by_test_id("pool")).not_to_contain_text(LAWYER)
    page.goto(f"{live_server.url}/pool?state=moved")
    expect(page.get_by_test_id("pool")).to_contain_text(LAWYER)
