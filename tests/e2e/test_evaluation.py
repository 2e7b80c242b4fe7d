"""Issue 10's evaluation journey in the browser: the office opens the demo adviser's evidence
for this year, grades it and makes it final early with a reason; the adviser reads it, comments
and asks for a review; the office finds the request on its dashboard and answers it.

Elements are found by URL, field name, `data-testid` and demo data, never by wording.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.e2e.helpers import submit_form
from tests.e2e.test_meetings import log_out

ADVISER = "王建国"


def _year() -> int:
    return datetime.now(ZoneInfo("Asia/Shanghai")).year


def _grade_and_make_final(page, live_server) -> str:
    page.goto(f"{live_server.url}/evaluations?year={_year()}")
    page.get_by_test_id("evaluations").get_by_role("link", name=ADVISER).click()
    url = page.url
    expect(page.get_by_test_id("evidence")).to_be_visible()
    expect(page.get_by_test_id("score")).not_to_be_empty()
    page.locator("select[name=grade]").select_option("competent")
    page.locator("textarea[name=assessment]").fill("全年按时出席会议，审查合同意见均按期出具。")
    submit_form(page, page.get_by_test_id("grade-form"), 302)
    expect(page.get_by_test_id("evaluation-status")).to_be_visible()
    page.locator("textarea[name=early_reason]").fill("顾问任期将届满，续聘前须完成年度评价。")
    submit_form(page, page.get_by_test_id("finalise-form"), 302)
    expect(page.get_by_test_id("final-evaluation")).to_contain_text("全年按时出席会议")
    return url


def test_an_evaluation_goes_from_the_evidence_to_a_grade_to_the_adviser_s_comment(
    page, live_server, log_in, shot
):
    log_in(page, "office")
    office_url = _grade_and_make_final(page, live_server)
    log_out(page)

    # The adviser reads the final evaluation, comments and asks for a review.
    log_in(page, "adviser")
    page.goto(f"{live_server.url}/my/evaluations")
    page.locator(f"a[href$='/my/evaluations/{_year()}']").click()
    expect(page.get_by_test_id("final-evaluation")).to_contain_text("全年按时出席会议")
    page.locator("textarea[name=comment]").fill("感谢评价，今后将更多参与重大决策审查。")
    submit_form(page, page.get_by_test_id("comment-form"), 302)
    expect(page.get_by_test_id("adviser-comment")).to_contain_text("感谢评价")
    page.locator("textarea[name=reason]").fill("本年度另有两件合同审查未计入，请复核。")
    submit_form(page, page.get_by_test_id("review-form"), 302)
    expect(page.get_by_test_id("review-reason")).to_contain_text("未计入")
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    shot(page, "own-evaluation")
    log_out(page)

    # The office finds the request on its dashboard and answers it; the grade changes.
    log_in(page, "office")
    page.goto(f"{live_server.url}/dashboard")
    page.get_by_test_id("todo-reviews").click()
    page.get_by_test_id("evaluations").get_by_role("link", name=ADVISER).click()
    expect(page).to_have_url(office_url)
    page.locator("select[name=grade]").select_option("excellent")
    page.locator("textarea[name=answer]").fill("补计两件合同审查后，调整为优秀。")
    submit_form(page, page.get_by_test_id("answer-review"), 302)
    expect(page.get_by_test_id("review-answer")).to_contain_text("调整为优秀")
    expect(page.get_by_test_id("adviser-comment")).to_contain_text("感谢评价")
    shot(page, "evaluation-answered")


def test_a_reward_goes_from_the_fund_to_a_nomination_an_approval_and_a_payment(
    page, live_server, log_in, shot
):
    year, today = _year(), datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    log_in(page, "office")
    page.goto(f"{live_server.url}/rewards?year={year}")
    page.locator("input[name=amount]").fill("30000")
    submit_form(page, page.get_by_test_id("fund-form"), 302)
    expect(page.get_by_test_id("fund-remaining")).to_contain_text("30,000.00")

    page.get_by_test_id("nominate").click()
    page.locator("#draft-adviser").select_option(label=ADVISER)
    page.get_by_test_id("draft-form").locator("button").click()
    expect(page.locator("textarea[name=justification]")).not_to_be_empty()
    submit_form(page, page.get_by_test_id("nominate-form"), 302)

    page.locator("input[name=amount]").fill("30000.01")
    submit_form(page, page.get_by_test_id("allocate-form"), 400)
    page.locator("input[name=amount]").fill("6000")
    submit_form(page, page.get_by_test_id("allocate-form"), 302)
    page.locator("input[name=approved_on]").fill(today)
    page.locator("input[name=doc_no]").fill(f"江府函〔{year}〕120号")
    submit_form(page, page.get_by_test_id("approve-form"), 302)
    page.locator("input[name=reference]").fill(f"财政支付凭证{year}-0042")
    submit_form(page, page.get_by_test_id("pay-form"), 302)
    expect(page.get_by_test_id("reward-status")).to_be_visible()
    expect(page.get_by_test_id("reward-fund")).to_contain_text("24,000.00")
    shot(page, "reward")

    page.goto(f"{live_server.url}/rewards/{year}/list")
    expect(page.get_by_test_id("reward-list")).to_contain_text(ADVISER)
    expect(page.get_by_test_id("list-total")).to_contain_text("6,000.00")
    log_out(page)

    log_in(page, "adviser")
    page.goto(f"{live_server.url}/me")
    expect(page.get_by_test_id("adviser-rewards")).to_contain_text("6,000.00")
