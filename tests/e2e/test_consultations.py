"""Issue 8's journey in the browser, each step as the role that does it in the office: a
liaison asks, the office accepts and assigns from the suggestions, the lead drafts, a
co-adviser comments, the lead signs, the office forwards, the liaison records adoption, and
the reports count it.

Elements are found by URL, field name, `data-testid` and demo data, never by wording.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import submit_form
from tests.e2e.test_meetings import log_out

TITLE = "关于城市道路占用审批流程的合法性审查"
MATTER_URL = re.compile(r"/consultations/(\d+)$")


def _request(page, live_server) -> str:
    page.goto(f"{live_server.url}/consultations/new")
    page.locator("select[name=kind]").select_option("normative")
    page.locator("input[name=title]").fill(TITLE)
    page.locator("textarea[name=description]").fill(
        "请审查占道审批流程文件是否符合《行政许可法》。"
    )
    page.locator("textarea[name=parties]").fill("江南市政工程有限公司")
    page.locator("input[name=no_secrets]").check()
    submit_form(page, expect_status=302)
    expect(page).to_have_url(MATTER_URL)
    expect(page.get_by_test_id("matter-status")).to_have_attribute("class", re.compile("warning"))
    return page.url


def _pick(page, name: str, field: str) -> None:
    row = page.get_by_test_id("suggestion").filter(has_text=name)
    row.locator(f"input[name={field}]").check()


def _accept_assignment(page, matter_url: str) -> None:
    page.goto(matter_url)
    page.get_by_test_id("matter-actions").locator("a[href$='/answer']").click()
    page.locator("input[name=answer][value=accept]").check()
    submit_form(page, expect_status=302)
    expect(page).to_have_url(matter_url)


def test_a_request_goes_from_the_department_to_an_adopted_opinion(page, live_server, log_in):
    # The city management bureau's liaison asks for a review; it is due in working days.
    log_in(page, "liaison")
    matter_url = _request(page, live_server)
    matter_path = matter_url.removeprefix(live_server.url)
    log_out(page)

    # The office accepts it and assigns from the ranked suggestions, each with its reason.
    log_in(page, "office")
    page.goto(matter_url)
    submit_form(page, page.get_by_test_id("matter-actions").locator("form").first, 302)
    expect(page).to_have_url(re.compile(r"/assign$"))
    expect(page.get_by_test_id("suggestion").first).to_contain_text("·")
    _pick(page, "王建国", "lead_id")
    _pick(page, "李雪梅", "co_ids")
    submit_form(page, expect_status=302)
    expect(page.get_by_test_id("assignments")).to_contain_text("王建国")
    log_out(page)

    # The co-adviser accepts; the lead accepts and drafts.
    log_in(page, "lixuemei")
    _accept_assignment(page, matter_url)
    log_out(page)
    log_in(page, "adviser")
    _accept_assignment(page, matter_url)
    page.goto(f"{matter_url}/draft")
    page.locator("textarea[name=facts]").fill("区城管局拟调整城市道路占用审批流程。")
    page.locator("textarea[name=legal_basis]").fill("《中华人民共和国行政许可法》第四十二条。")
    page.locator("textarea[name=analysis]").fill("办理时限与法定期限一致，材料清单需公示。")
    page.locator("textarea[name=conclusion]").fill("建议公示材料清单后实施。")
    submit_form(page, page.get_by_test_id("draft-form"), 302)
    log_out(page)

    # The co-adviser comments on the draft from the matter's page.
    log_in(page, "lixuemei")
    page.goto(matter_url)
    page.locator("#draft textarea[name=body]").fill("建议补充听证程序的说明。")
    submit_form(page, page.locator("#draft form"), 302)
    expect(page.get_by_test_id("comments")).to_contain_text("听证程序")
    log_out(page)

    # The lead reads the comment, signs and submits: the opinion gets its number.
    log_in(page, "adviser")
    page.goto(f"{matter_url}/draft")
    expect(page.locator("main")).to_contain_text("听证程序")
    page.locator("input[name=confirm]").check()
    submit_form(page, page.locator(f"form[action='{matter_path}/submit']"), 302)
    signed = page.get_by_test_id("signed-opinion")
    expect(signed).to_contain_text("江府法顾意〔")
    number = re.search(r"江府法顾意〔\d{4}〕\d+号", signed.inner_text()).group(0)
    log_out(page)

    # The office forwards it to the department.
    log_in(page, "office")
    page.goto(matter_url)
    forward = page.get_by_test_id("matter-actions").locator("form[action$='/forward']")
    submit_form(page, forward, 302)
    log_out(page)

    # The liaison finds it on the department's page and records that it was adopted.
    log_in(page, "liaison")
    page.goto(f"{live_server.url}/consultations/department")
    waiting = page.get_by_test_id("awaiting-adoption")
    expect(waiting).to_contain_text(number)
    waiting.locator(f"a[href='{matter_path}/adoption']").click()
    page.locator("input[name=adoption][value=adopted]").check()
    page.locator("textarea[name=final_decision]").fill("按意见修改后实施。")
    submit_form(page, expect_status=302)
    expect(page.get_by_test_id("adoption")).to_be_visible()
    expect(page.get_by_test_id("matter-status")).to_have_attribute("class", re.compile("success"))
    log_out(page)

    # The reports count the adopted opinion for the lead and the department.
    log_in(page, "office")
    page.goto(f"{live_server.url}/reports/consultations")
    expect(page.get_by_test_id("by-department")).to_contain_text("区城市管理局")
    expect(page.get_by_test_id("by-adviser")).to_contain_text("王建国")


def test_a_department_sees_only_its_own_matters(page, live_server, log_in):
    log_in(page, "liaison")
    page.goto(f"{live_server.url}/consultations")
    rows = page.get_by_test_id("matters").locator("tbody tr")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "区城市管理局" in text or "区城管局" in text or text.strip() == "", text
