"""Tables out as CSV or XLSX: the one export helper every package shares.

A `Table` has a title, a sheet name and a header in the user's language. In a workbook the
title is the first row, the header the second, numbers are numbers and dates are dates. A CSV
holds the header and the rows only, so other programs can read it as data.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import Response

#: a cell starting with one of these would run as a formula in a spreadsheet
FORMULA_START = ("=", "+", "-", "@")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel refuses sheet names longer than this or holding these characters
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass
class Table:
    """What an export holds: a title, a sheet name, a header row and the rows."""

    title: str
    sheet: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


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


class _Formats:
    def __init__(self, book):
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format({"bold": True, "bottom": 1})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.money = book.add_format({"num_format": "#,##0.00"})


def _write_cell(ws, r: int, c: int, value, formats: _Formats) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value.replace(tzinfo=None), formats.day)
    elif isinstance(value, date):
        ws.write_datetime(r, c, datetime.combine(value, datetime.min.time()), formats.day)
    elif isinstance(value, Decimal):
        ws.write_number(
            r, c, float(value), formats.money if value.as_tuple().exponent == -2 else None
        )
    elif _is_number(value):
        ws.write_number(r, c, value)
    else:
        ws.write_string(r, c, str(value))


def to_xlsx(table: Table) -> bytes:
    """A workbook with one sheet: the title, the header, then the rows."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet_name(table.sheet))
    formats = _Formats(book)
    ws.write_string(0, 0, table.title, formats.title)
    ws.write_row(1, 0, table.header, formats.header)
    for r, row in enumerate(table.rows, start=2):
        for c, value in enumerate(row):
            _write_cell(ws, r, c, value, formats)
    ws.set_column(0, max(len(table.header) - 1, 0), 16)
    ws.freeze_panes(2, 0)
    book.close()
    return buffer.getvalue()


def download(table: Table, fmt: str, stem: str) -> Response:
    """The table as a CSV or XLSX attachment named `stem.fmt`."""
    if fmt == "csv":
        body, mimetype = to_csv(table), "text/csv; charset=utf-8"
    else:
        body, mimetype = to_xlsx(table), XLSX_MIMETYPE
    disposition = f"attachment; filename={stem}.{fmt}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})
