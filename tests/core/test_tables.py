"""The shared export helper: what a workbook holds, read back with openpyxl."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from core import tables
from core.tables import Table


def read(*items: Table):
    return load_workbook(io.BytesIO(tables.to_xlsx(*items)))


def sample() -> Table:
    return Table(
        "出勤统计表（2026年第1季度）",
        "出勤情况",
        ["法律顾问", "Meetings", "出勤率（%）", "Fee", "Day", "At", "Licence"],
        [
            ["王建国", 4, Decimal("66.7"), Decimal("1234.50"), date(2026, 3, 1), None, "0123"],
            [
                "Li",
                12,
                Decimal("100.0"),
                Decimal("0.00"),
                date(2026, 3, 2),
                datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
                "13201202310000001",
            ],
        ],
        text_columns=frozenset({6}),
    )


def test_numbers_are_numbers_and_dates_are_dates_with_formats():
    sheet = read(sample()).active
    _name, count, rate, fee, day, _at, licence = sheet[3]
    assert (count.data_type, count.value) == ("n", 4)
    assert (rate.value, rate.number_format) == (66.7, "#,##0.0")
    assert (fee.value, fee.number_format) == (1234.5, "#,##0.00")
    assert day.is_date and day.value == datetime(2026, 3, 1)
    assert day.number_format == "yyyy-mm-dd"
    assert sheet["E4"].is_date and sheet["F3"].value is None
    # a UTC timestamp shows as the office's clock reads it
    assert sheet["F4"].value == datetime(2026, 3, 2, 9, 30)
    assert sheet["F4"].number_format == "yyyy-mm-dd hh:mm"
    # codes stay text, whole: a 17-digit licence number as a number would lose digits
    assert (licence.data_type, licence.value) == ("s", "0123")
    assert sheet["G4"].value == "13201202310000001" and sheet["G4"].number_format == "@"


def test_a_title_row_then_a_bold_frozen_filtered_header():
    sheet = read(sample()).active
    assert sheet.title == "出勤情况"
    assert sheet["A1"].value == "出勤统计表（2026年第1季度）" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]][:3] == ["法律顾问", "Meetings", "出勤率（%）"]
    assert all(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G4"
    assert sheet.print_title_rows == "$2:$2"


def test_every_column_is_as_wide_as_its_content_chinese_counting_double():
    table = Table("t", "s", ["名", "ab", "x"], [["法律顾问室", "abcdefgh", "长" * 100]])
    assert tables.column_widths(table) == [12, 10, tables.MAX_WIDTH]
    sheet = read(table).active
    widths = {letter: round(d.width) for letter, d in sheet.column_dimensions.items()}
    assert (widths["A"], widths["B"], widths["C"]) == (13, 11, 61)  # Excel adds a little
    assert tables.display_width(Decimal("1234.50")) == len("1,234.50")
    assert tables.display_width(date(2026, 1, 1)) == 10
    assert tables.display_width("短\n较长的一行") == 10
    assert tables.column_widths(Table("t", "s", ["a"], [])) == [tables.MIN_WIDTH]


def test_sheet_names_keep_excels_limits_and_several_tables_make_several_sheets():
    assert tables.sheet_name("a[b]:c*d?e/f\\g") == "a b  c d e f g"
    assert len(tables.sheet_name("长" * 40)) == tables.SHEET_NAME_LIMIT
    assert tables.sheet_name(" /// ") == "Sheet1"
    book = read(sample(), Table("说明", "说明", ["列", "填写要求"], [["姓名", "必填"]]))
    assert book.sheetnames == ["出勤情况", "说明"]
    assert book["说明"]["A3"].value == "姓名"


def test_csv_holds_the_header_and_rows_as_data():
    body = tables.to_csv(sample()).decode("utf-8-sig").splitlines()
    assert body[0].startswith("法律顾问,Meetings")
    assert body[1] == "王建国,4,66.7,1234.50,2026-03-01,,0123"
