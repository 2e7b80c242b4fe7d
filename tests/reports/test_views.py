"""The attendance report and its exports through the test client."""

import io

import pytest
from openpyxl import load_workbook

from core.i18n import today
from demo.synthetic import bulk_meetings, bulk_panel
from tests.conftest import assert_constant_queries, count_queries
from tests.spreadsheets import libreoffice_csv


def text(response):
    return response.get_data(as_text=True)


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
    assert_constant_queries(small[0], large[0], url)


def test_the_report_exports_open_as_spreadsheets(office_client, tmp_path):
    bulk_panel(15, serving_days=400)
    bulk_meetings(1, 6)
    year = today().year
    response = office_client.get(f"/reports/attendance.xlsx?year={year}")
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("出勤") and rows[1][0] in ("法律顾问", "Adviser")
    assert len(rows) >= 3
    csv_body = office_client.get(f"/reports/attendance.csv?year={year}&quarter=1").data
    assert csv_body.startswith(b"\xef\xbb\xbf")
    assert all(isinstance(value, int) for value in rows[2][-4:-1])  # present, excused, absent
    assert rows[2][-1] is None or isinstance(rows[2][-1], int | float)  # the rate, a number
    converted = libreoffice_csv(response.data, tmp_path)
    assert rows[2][0] in converted


def test_the_report_counts_what_the_invitations_say_by_year_and_quarter(held_series, serving):
    """The tallies behind the report agree with the marks, for the year and for each quarter."""
    from reports.queries import attendance_report

    meetings = held_series("PAEPAE", "PPPPPP", "AAPPPP")
    by_id = {m.id: m for m in meetings}
    for meeting in meetings:
        for quarter in (None, (meeting.day.month - 1) // 3 + 1):
            report = attendance_report(meeting.day.year, quarter)
            for row in report.rows:
                marks = [
                    i.mark
                    for m in report.meetings
                    for i in by_id[m.id].invitations
                    if i.adviser_id == row.adviser.id
                ]
                assert (row.present, row.excused, row.absent) == (
                    marks.count("present"),
                    marks.count("excused"),
                    marks.count("absent"),
                )
