"""Issue 9's journey in the browser: the office registers a ¥600,000 administrative case of
the city management bureau (entered as 60 万元) and the lawyer team is formed at once; the
complaint copy served starts its statutory deadlines; the bureau's liaison is told of them
and of the hearing; after the hearing the office records that the principal head appeared.

Elements are found by URL, field name, `data-testid` and demo data, never by wording.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import submit_form
from tests.e2e.test_meetings import log_out

CASE_URL = re.compile(r"/cases/(\d+)$")
CAUSE = "城市管理行政处罚决定（拆除违法建筑）"


def _today() -> date:
    """Today in China, as the office's pages count it."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _register(page, live_server) -> str:
    page.goto(f"{live_server.url}/cases/new")
    page.locator("select[name=kind]").select_option("administrative")
    page.locator("input[name=court]").fill("江城市江南区人民法院")
    page.locator("input[name=cause]").fill(CAUSE)
    page.locator("select[name=department_id]").select_option(label="区城市管理局")
    page.locator("select[name=government_role]").select_option("defendant")
    page.locator("textarea[name=opposing_parties]").fill("江城明远商贸有限公司")
    page.locator("input[name=amount]").fill("60")
    page.locator("select[name=amount_unit]").select_option("wan")
    page.locator("input[name=filed_on]").fill((_today() - timedelta(days=10)).isoformat())
    submit_form(page, expect_status=302)
    expect(page).to_have_url(CASE_URL)
    return page.url


def _serve_the_complaint(page, case_url: str) -> None:
    page.goto(f"{case_url}/stages/new")
    served = _today() - timedelta(days=8)
    page.locator("input[name=complaint_served_on]").fill(served.isoformat())
    submit_form(page, expect_status=302)
    expect(page).to_have_url(case_url)


def _schedule_hearing(page, case_url: str) -> None:
    page.goto(f"{case_url}/hearings/new")
    page.locator("input[name=starts_at]").fill(f"{_today().isoformat()}T00:00")
    page.locator("input[name=place]").fill("第三法庭")
    submit_form(page, expect_status=302)
    expect(page).to_have_url(case_url)


def _record_the_head(page, case_url: str) -> None:
    hearings = page.get_by_test_id("hearings")
    hearings.locator("a[href$='/appearance']").first.click()
    page.locator("select[name=appeared]").select_option("principal_head")
    page.locator("input[name=appeared_name]").fill("姚军")
    submit_form(page, expect_status=302)
    expect(page).to_have_url(case_url)


def test_a_600000_yuan_case_gets_a_team_deadlines_reminders_and_its_head_in_court(
    page, live_server, log_in
):
    log_in(page, "office")
    case_url = _register(page, live_server)
    expect(page.get_by_test_id("amount")).to_contain_text("600,000.00")
    expect(page.get_by_test_id("amount")).to_contain_text("60")
    expect(page.get_by_test_id("team").locator("li")).to_have_count(3)

    _serve_the_complaint(page, case_url)
    deadlines = page.get_by_test_id("deadlines").locator("tbody tr")
    expect(deadlines).to_have_count(3)
    expect(page.get_by_test_id("deadlines")).to_contain_text("第六十七条")

    _schedule_hearing(page, case_url)
    expect(page.get_by_test_id("hearings")).to_contain_text("第三法庭")
    reference = page.locator("h1 + div").inner_text().split(" · ")[0].strip()
    log_out(page)

    # The bureau's liaison has been told of the deadlines and the hearing, naming the head.
    log_in(page, "liaison")
    page.goto(f"{live_server.url}/notifications")
    notices = page.locator("main")
    expect(notices).to_contain_text(reference)
    expect(notices).to_contain_text("姚军")
    page.goto(case_url)
    expect(page.get_by_test_id("deadlines").locator("tbody tr")).to_have_count(3)
    log_out(page)

    # After the hearing the office records who appeared: the principal head, compliant.
    log_in(page, "office")
    page.goto(case_url)
    _record_the_head(page, case_url)
    expect(page.get_by_test_id("hearings")).to_contain_text("姚军")
    expect(page.get_by_test_id("serious-events")).to_have_count(0)

    # The year's lawsuit report counts the hearing, and draws each of its charts.
    page.goto(f"{live_server.url}/reports/cases")
    expect(page.get_by_test_id("appearance")).to_contain_text("区城市管理局")
    for key in ("byKind", "principalByDepartment", "anyHeadByDepartment"):
        canvas = page.locator(f"canvas[data-chart={key}]")
        expect(canvas).to_be_visible()
        drawn = canvas.evaluate(
            "(c) => { const chart = window.Chart && window.Chart.getChart(c);"
            " return chart ? chart.data.datasets.length : 0; }"
        )
        assert drawn > 0, key
