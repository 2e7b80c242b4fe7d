"""Tables out as CSV or XLSX: the one export helper every package shares.

A `Table` has a title, a sheet name and a header in the user's language. In a workbook the
title (the report's name and its period or as-of date) is the first row and the header the
second, bold, frozen and filterable; numbers are numbers, dates are dates with a date format,
and every column is as wide as its content. A CSV holds the header and the rows only, so other
programs can read it as data.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import Response

from core.i18n import TIMEZONE

#: a cell starting with one of these would run as a formula in a spreadsheet
FORMULA_START = ("=", "+", "-", "@")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel refuses sheet names longer than this or holding these characters
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
#: column widths, in characters (a Chinese character counts two): a column is as wide as its
#: widest cell plus a margin, within these bounds
MIN_WIDTH, MAX_WIDTH, WIDTH_MARGIN = 6, 60, 2
DAY_FORMAT, TIME_FORMAT = "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
#: the title and header rows above the data
HEADER_ROW = 1
FIRST_DATA_ROW = 2


@dataclass
class Table:
    """What an export holds: a title, a sheet name, a header row and the rows."""

    title: str
    sheet: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    #: columns of codes that only look like numbers (licence and phone numbers): formatted as
    #: text, so that what is typed in them stays text (a 17-digit number would lose digits)
    text_columns: frozenset[int] = frozenset()


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if _is_number(value):
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(table: Table) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs read Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.header)
    writer.writerows([[_csv_cell(v) for v in row] for row in table.rows])
    return out.getvalue().encode("utf-8-sig")


def sheet_name(name: str) -> str:
    """A name Excel accepts for a sheet."""
    return name.translate(SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_LIMIT] or "Sheet1"


def _local(value: datetime) -> datetime:
    """A timestamp as the office's clock shows it, without a zone (a workbook holds none)."""
    if value.tzinfo is not None:
        value = value.astimezone(TIMEZONE)
    return value.replace(tzinfo=None)


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _shown(value) -> str:
    """The text a spreadsheet shows for a cell, to measure its width."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    if isinstance(value, date):
        return "0000-00-00"
    if isinstance(value, Decimal):
        return f"{value:,.{_decimal_places(value)}f}"
    if _is_number(value):
        return f"{value:,}"
    return str(value)


def display_width(value) -> int:
    """How many character widths a cell's widest line takes: CJK characters count two."""
    lines = _shown(value).splitlines() or [""]
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in lines
    )


def column_widths(table: Table) -> list[int]:
    """Each column as wide as its header and widest cell, with a margin, within bounds."""
    widths = [display_width(text) for text in table.header]
    for row in table.rows:
        for c, value in enumerate(row[: len(widths)]):
            widths[c] = max(widths[c], display_width(value))
    return [min(max(w + WIDTH_MARGIN, MIN_WIDTH), MAX_WIDTH) for w in widths]


class _Formats:
    def __init__(self, book):
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format(
            {"bold": True, "bottom": 1, "bg_color": "#E7EEF7", "text_wrap": True}
        )
        self.day = book.add_format({"num_format": DAY_FORMAT})
        self.time = book.add_format({"num_format": TIME_FORMAT})
        self.text = book.add_format({"num_format": "@"})
        self._numbers = {}

    def number(self, places: int):
        """`#,##0` with as many decimal places as the value was given with."""
        if places not in self._numbers:
            pattern = "#,##0" + ("." + "0" * places if places else "")
            self._numbers[places] = self.book.add_format({"num_format": pattern})
        return self._numbers[places]


def _write_cell(ws, r: int, c: int, value, formats: _Formats) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, _local(value), formats.time)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), formats.day)
    elif isinstance(value, Decimal):
        ws.write_number(r, c, float(value), formats.number(_decimal_places(value)))
    elif _is_number(value):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, str(value))


def unique_sheet_names(names: list[str]) -> list[str]:
    """Excel's names for the sheets, a number added where two tables share one (case aside)."""
    taken, unique = set(), []
    for name in names:
        base = chosen = sheet_name(name)
        number = 2
        while chosen.casefold() in taken:
            suffix = f" ({number})"
            chosen = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
            number += 1
        taken.add(chosen.casefold())
        unique.append(chosen)
    return unique


def _write_sheet(book, table: Table, name: str, formats: _Formats) -> None:
    ws = book.add_worksheet(name)
    columns = max(len(table.header), 1)
    ws.write_string(0, 0, table.title, formats.title)
    ws.set_row(0, 24)
    ws.write_row(HEADER_ROW, 0, table.header, formats.header)
    for r, row in enumerate(table.rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(row):
            _write_cell(ws, r, c, value, formats)
    for c, width in enumerate(column_widths(table)):
        ws.set_column(c, c, width, formats.text if c in table.text_columns else None)
    last_row = HEADER_ROW + max(len(table.rows), 1)
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    ws.autofilter(HEADER_ROW, 0, last_row, columns - 1)
    # codes such as licence numbers are text on purpose: no "number stored as text" marks
    ws.ignore_errors({"number_stored_as_text": f"A{FIRST_DATA_ROW + 1}:XFD1048576"})
    ws.repeat_rows(HEADER_ROW)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)


def to_xlsx(*tables: Table) -> bytes:
    """A workbook with a sheet per table: the title, the header, then the rows."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": tables[0].title})
    formats = _Formats(book)
    for table, name in zip(tables, unique_sheet_names([t.sheet for t in tables]), strict=True):
        _write_sheet(book, table, name, formats)
    book.close()
    return buffer.getvalue()


def xlsx_response(body: bytes, stem: str) -> Response:
    """A workbook as an attachment named `stem.xlsx`."""
    disposition = f"attachment; filename={stem}.xlsx"
    return Response(body, mimetype=XLSX_MIMETYPE, headers={"Content-Disposition": disposition})


def download(table: Table, fmt: str, stem: str) -> Response:
    """The table as a CSV or XLSX attachment named `stem.fmt`."""
    if fmt != "csv":
        return xlsx_response(to_xlsx(table), stem)
    disposition = f"attachment; filename={stem}.csv"
    return Response(
        to_csv(table),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": disposition},
    )
