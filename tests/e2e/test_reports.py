"""Issue 10's reports in the browser: the office opens the reports page of the demo year, sees
its charts drawn, opens the work report and downloads it as a PDF whose pages are looked at:
the cover, the contents and a part with its chart; a leader lands on the overview.

Elements are found by URL, `data-testid` and demo data, never by wording.
"""

from __future__ import annotations

import pypdfium2
import pytest
from playwright.sync_api import expect

from tests.e2e.test_meetings import log_out


def _text(document, index: int) -> str:
    return "".join(document[index].get_textpage().get_text_range().split())


def test_the_reports_page_draws_its_charts_and_the_work_report_downloads(
    page, live_server, log_in, shot
):
    log_in(page, "office")
    page.goto(f"{live_server.url}/reports")
    expect(page.get_by_test_id("figure-members")).to_be_visible()
    for key in ("panelSize", "attendanceByMeeting", "consultationsByKind", "casesByKind"):
        canvas = page.locator(f"canvas[data-chart={key}]")
        drawn = canvas.evaluate(
            "(c) => { const chart = window.Chart && window.Chart.getChart(c);"
            " return chart ? chart.data.datasets.length : 0; }"
        )
        assert drawn > 0, key
    shot(page, "reports")

    page.get_by_test_id("yearly-report").click()
    expect(page.get_by_test_id("yearly-document")).to_contain_text("年度工作报告")
    pdf_link = page.get_by_test_id("yearly-pdf")
    if pdf_link.count() == 0:
        pytest.skip("no Chinese font or PDF library on this machine")
    response = page.request.get(f"{live_server.url}{pdf_link.get_attribute('href')}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.body())
    assert len(document) >= 8
    assert "年度工作报告" in _text(document, 0)
    contents = _text(document, 1)
    assert "目录" in contents and "诉讼案件" in contents and "顾而不问" in contents
    litigation = next(i for i in range(2, len(document)) if "诉讼案件" in _text(document, i))
    image = document[litigation].render(scale=1).to_pil()
    assert image.size[0] > 500 and len(image.getcolors(1 << 20)) > 10, "the part has a chart drawn"
    log_out(page)

    log_in(page, "leader")
    expect(page.get_by_test_id("leader-figures")).to_be_visible()
    expect(page.get_by_test_id("lawsuits-serious-events")).to_be_visible()
    shot(page, "leader")
