"""The reports page and the work report: the panel over a period, the key figures against the
records, the workbook holding exactly the page's tables, the PDF's pages, access and queries."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from advisers import services as panel_services
from advisers.models import Category, EndReason, Post
from core import pdf
from core.extensions import db
from core.i18n import today
from core.tables import unique_sheet_names
from demo.synthetic import bulk_panel
from reports import exports, overview
from reports.panel import month_ends, panel_report
from tests.conftest import assert_constant_queries, count_queries

YEAR = 2025


def text(response) -> str:
    return response.get_data(as_text=True)


# --- the panel over a period --------------------------------------------------------------


def test_month_ends_run_to_the_period_s_last_day_and_know_leap_years():
    assert month_ends(date(2028, 1, 1), date(2028, 3, 31)) == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]
    assert month_ends(date(2026, 1, 1), date(2026, 2, 10)) == [date(2026, 1, 31), date(2026, 2, 10)]


@pytest.fixture
def panel_year(create_adviser, appoint):
    """2025: 甲 serves from 2023 and is renewed on 2026-01-01 (stays); 乙 joins on 1 March and
    resigns on 30 June; 丙, a public lawyer and deputy director, joins on 1 October."""
    first = appoint(create_adviser(name="甲"), start=date(2023, 1, 1))
    panel_services.renew_term(
        None, first, approved_on=date(2025, 11, 1), doc_no="江府函〔2025〕1号"
    )
    second = appoint(create_adviser(name="乙"), start=date(2025, 3, 1))
    panel_services.end_term(None, second, reason=EndReason.RESIGNED, ended_on=date(2025, 6, 30))
    appoint(
        create_adviser(name="丙", category=Category.PUBLIC_LAWYER),
        post=Post.DEPUTY_DIRECTOR,
        start=date(2025, 10, 1),
    )
    db.session.commit()


def test_the_panel_s_size_joiners_and_leavers_over_a_year(panel_year):
    report = panel_report(date(YEAR, 1, 1), date(YEAR, 12, 31), date(2026, 6, 1))
    sizes = dict(report.size)
    assert sizes[date(2025, 2, 28)] == 1 and sizes[date(2025, 3, 31)] == 2
    assert sizes[date(2025, 6, 30)] == 2 and sizes[date(2025, 7, 31)] == 1
    assert sizes[date(2025, 12, 31)] == 2
    assert (report.joined, report.left) == (2, 1), "a renewal is neither a joiner nor a leaver"
    assert report.count(Category.PUBLIC_LAWYER, Post.DEPUTY_DIRECTOR) == 1
    assert report.total == 2


def test_a_running_period_is_counted_up_to_today(panel_year):
    report = panel_report(date(YEAR, 1, 1), date(YEAR, 12, 31), date(2025, 5, 15))
    assert report.as_of == date(2025, 5, 15) and report.size[-1] == (date(2025, 5, 15), 2)
    assert len(report.size) == 5


def test_a_withdrawn_renewal_was_never_served(create_adviser, appoint):
    term = appoint(create_adviser(name="丁"), start=date(2022, 6, 1))
    panel_services.renew_term(None, term, approved_on=date(2025, 4, 1), doc_no="江府函〔2025〕2号")
    panel_services.end_term(None, term, reason=EndReason.RESIGNED, ended_on=date(2025, 4, 30))
    db.session.commit()
    report = panel_report(date(YEAR, 1, 1), date(YEAR, 12, 31), date(2026, 1, 10))
    assert (report.joined, report.left, report.total) == (0, 1, 0)


# --- the page, its figures and its workbook ------------------------------------------------


def test_the_key_figures_agree_with_the_records(world, states, as_):
    from consultations.models import Matter

    report = overview.overview(2026, None, date(2026, 12, 31), every_adviser=True)
    figures = {f.key: f.value for f in overview.key_figures(report)}
    requested = (
        db.session.query(Matter)
        .filter(Matter.received_on.between(date(2026, 1, 1), date(2026, 12, 31)))
        .count()
    )
    assert figures["requests"] == requested
    assert figures["members"] == 3 and figures["meetings"] == 0
    page = text(as_(world.office).get("/reports?year=2026"))
    assert 'data-testid="figure-requests"' in page
    assert all(f'id="{section.id}"' in page for section in exports.sections(report))


def test_the_workbook_holds_every_table_of_the_page(world, states, as_):
    response = as_(world.office).get("/reports.xlsx?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    report = overview.overview(2026, None, today(), every_adviser=True)
    built = exports.overview_tables(report)
    assert len(book.sheetnames) == len(built) == len(set(book.sheetnames))
    for sheet, table in zip(book.worksheets, built, strict=True):
        assert sheet.cell(1, 1).value == table.title
        assert [c.value for c in sheet[2]][: len(table.header)] == table.header
        rows = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
        assert len(rows) == len(table.rows), table.title


def test_two_tables_of_one_name_get_sheets_of_their_own():
    assert unique_sheet_names(["By kind", "By Kind", "x" * 40, "x" * 40]) == [
        "By kind",
        "By Kind (2)",
        "x" * 31,
        "x" * 27 + " (2)",
    ]


def test_the_work_report_prints_and_downloads_in_chinese(world, states, as_):
    office = as_(world.office)
    page = text(office.get("/reports/yearly?year=2026"))
    assert "2026年度工作报告" in page and "目录" in page
    if not pdf.pdf_available():
        pytest.skip("no Chinese font or PDF library here")
    response = office.get("/reports/yearly.pdf?year=2026")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    import pypdfium2

    document = pypdfium2.PdfDocument(response.data)
    assert len(document) >= 8, "a cover, the contents, and a page for each part"
    cover = document[0].get_textpage().get_text_range()
    contents = document[1].get_textpage().get_text_range()
    assert "2026年度工作报告" in cover.replace("\r", "").replace("\n", "")
    assert "目录" in contents and "诉讼" in contents


def test_a_quarter_s_report_is_titled_for_the_quarter(world, as_):
    page = text(as_(world.office).get("/reports/yearly?year=2026&quarter=3"))
    assert "2026年第3季度工作报告" in page and "2026年7月1日至2026年9月30日" in page


def test_leaders_read_the_reports_and_others_may_not(world, as_):
    assert as_(world.viewer).get("/reports").status_code == 200
    for user in (world.liaison, world.adviser_users[0]):
        assert as_(user).get("/reports").status_code == 403
        assert as_(user).get("/reports/yearly.pdf").status_code == 403


@pytest.mark.parametrize("url", ["/reports?year=2026", "/reports/yearly?year=2026"])
def test_the_reports_page_reads_a_constant_number_of_queries(office_client, url):
    bulk_panel(15)
    office_client.get(url)
    with count_queries() as small:
        assert office_client.get(url).status_code == 200
    bulk_panel(985, first=15)
    with count_queries() as large:
        assert office_client.get(url).status_code == 200
    assert_constant_queries(small[0], large[0], url)


# --- the leader's page ----------------------------------------------------------------------


def test_a_rate_s_trend_is_good_or_bad_news_and_counts_have_none():
    from reports.leader import Trend
    from reports.overview import KeyFigure

    up = Trend(
        KeyFigure("attendance", "出勤率", Decimal("85.9"), "%", "attendance"), Decimal("81.1")
    )
    assert up.change == Decimal("4.8") and up.good_news is True
    idle = KeyFigure("idle", "x", 5, "", "idle", higher_is_better=False)
    assert Trend(idle, 2).change is None, "a part-year count is not compared with a whole year"
    late = KeyFigure("late", "x", Decimal("10.0"), "%", "x", higher_is_better=False)
    assert Trend(late, Decimal("5.0")).good_news is False
    assert Trend(late, Decimal("10.0")).good_news is None
    assert Trend(late, None).change is None


def test_a_leader_lands_on_the_overview_and_each_figure_leads_to_its_report(world, as_):
    leader = as_(world.viewer)
    assert leader.get("/").headers["Location"].endswith("/leader")
    page = text(leader.get("/leader"))
    assert 'data-testid="trend-attendance"' in page and "/reports?year=" in page
    assert 'data-testid="lawsuits-card"' in page
    assert as_(world.office).get("/").headers["Location"].endswith("/dashboard")
    assert as_(world.liaison).get("/leader").status_code == 403


def test_the_leader_s_page_reads_a_constant_number_of_queries(world, as_):
    leader = as_(world.viewer)
    bulk_panel(15)
    leader.get("/leader")
    with count_queries() as small:
        assert leader.get("/leader").status_code == 200
    bulk_panel(985, first=15)
    with count_queries() as large:
        assert leader.get("/leader").status_code == 200
    assert_constant_queries(small[0], large[0], "/leader")
