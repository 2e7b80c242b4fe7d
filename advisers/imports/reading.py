"""Reading a roster workbook: find its header, check every cell, turn each row into values.

Nothing here writes. Every problem is collected with its row and column, never raised one at
a time, so the office sees at once everything wrong with a file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from advisers.exports import COLUMNS, KEYS, SPECIALTY_JOIN
from advisers.messages import phone_message
from advisers.models import Category, Gender, Post, Specialty
from core.errors import DomainError, Problem
from core.extensions import db

MAX_ROWS = 2000
#: the header is the first row naming the 姓名 column among the first few: an export starts
#: with its title row, a hand-made file with the header
HEADER_SEARCH_ROWS = 5
#: headers of earlier exports, still read
LEGACY_HEADERS = {
    "任期开始": "start_on",
    "任期结束": "end_on",
    "name": "name",
    "licence number": "licence_no",
}
ADVISER_KEYS = ("name", "gender", "category", "organisation", "licence_no", "phone", "email")
REQUIRED_KEYS = ("name", "gender", "category")
#: the longest text each column takes, as the database and the edit form allow
LIMITS = {
    "name": 50,
    "organisation": 100,
    "licence_no": 40,
    "phone": 30,
    "email": 254,
    "letter_no": 60,
}
#: codes that a spreadsheet may have turned into numbers
CODE_KEYS = ("licence_no", "phone", "letter_no")
#: a spreadsheet keeps 15 significant digits of a number; a longer code typed as one is cut
MAX_EXACT_NUMBER = 10**15
SPECIALTY_SEPARATORS = re.compile(r"[、,，;；]\s*")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: record IDs run from 1 to the largest integer every database holds
MAX_RECORD_ID = 2**31 - 1

#: what a workbook may unpack to: a roster of 2,000 rows is under 2 MB; a file far larger
#: (a "zip bomb") would hold a worker and its memory for a minute before any row is read
MAX_UNPACKED_MB = 20
MAX_ENTRIES = 200
#: columns read from each row: the roster has a dozen; a row 16,384 cells wide is not one
MAX_COLUMNS = 50


@dataclass
class Row:
    """One checked row: the values of the columns the file has, ready for the services."""

    number: int
    #: the adviser's fields the file has columns for (enum codes for gender and category)
    fields: dict[str, str | None] = field(default_factory=dict)
    #: the specialties named, or None when the file has no specialty column
    specialty_ids: list[int] | None = None
    post: str | None = None
    start_on: date | None = None
    letter_no: str = ""
    record_id: int | None = None

    @property
    def licence_no(self) -> str:
        return self.fields.get("licence_no") or ""


@dataclass
class Sheet:
    """The rows of a workbook, the columns it has, and every problem found in its cells."""

    columns: frozenset[str]
    rows: list[Row]
    errors: list[Problem]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _digits_lost(value) -> bool:
    """Whether a code was typed as a number too long for a spreadsheet to keep whole."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return is_number and abs(value) >= MAX_EXACT_NUMBER


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.strptime(text.replace("/", "-"), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(text) from None


def _labels_lookup(enum_cls) -> dict[str, str]:
    """Map codes and labels in every language to enum values."""
    lookup = {}
    for member in enum_cls:
        lookup[member.value.lower()] = member.value
        for locale in current_app.config["COUNSEL_LOCALES"]:
            with force_locale(locale):
                lookup[str(enum_cls.labels()[member]).strip().lower()] = member.value
    return lookup


def _header_names() -> dict[str, str]:
    """Each header the import reads, lower-cased, with its column's key."""
    names = {key: key for key in KEYS} | LEGACY_HEADERS
    for locale in current_app.config["COUNSEL_LOCALES"]:
        with force_locale(locale):
            names |= {str(column.label).lower(): column.key for column in COLUMNS}
    return names


def _header_map(header_row) -> dict[int, str]:
    names = _header_names()
    mapping = {}
    for index, cell in enumerate(header_row):
        key = names.get(_text(cell).lower())
        if key and key not in mapping.values():
            mapping[index] = key
    return mapping


def _find_header(rows) -> tuple[int, dict[int, str]]:
    """The index of the header row and its columns' keys."""
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = _header_map(values)
        if "name" in mapping.values():
            return index, mapping
    raise DomainError(
        _(
            "No header row found: one of the first %(n)d rows must hold the column headers, "
            "at least 姓名 / Full name, as in the import template.",
            n=HEADER_SEARCH_ROWS,
        ),
        field="file",
    )


def _one_of(enum_cls) -> str:
    return SPECIALTY_JOIN.join(label for _value, label in enum_cls.labelled())


class RowReader:
    """Checks one row's cells and turns them into values for the services, collecting errors."""

    def __init__(self, columns: frozenset[str]):
        self.columns = columns
        self.lookups = {
            "gender": (_labels_lookup(Gender), Gender),
            "category": (_labels_lookup(Category), Category),
            "post": (_labels_lookup(Post), Post),
        }
        self.specialties = {}
        for s in db.session.scalars(select(Specialty)):
            self.specialties[s.name.lower()] = self.specialties[s.name_en.lower()] = s.id

    def read(self, number: int, cells: dict) -> tuple[Row, list[Problem]]:
        errors: list[Problem] = []

        def fail(column: str, message: str):
            errors.append(Problem(column, message, row=number))

        text = {key: _text(cells.get(key)) for key in KEYS}
        for key, limit in LIMITS.items():
            if len(text[key]) > limit:
                fail(key, _("Longer than %(n)d characters.", n=limit))
        for key in CODE_KEYS:
            if _digits_lost(cells.get(key)):
                fail(
                    key,
                    _(
                        "A spreadsheet keeps only 15 digits of a number, so this code lost its "
                        "last digits: format the column as text and type it again."
                    ),
                )
        row = Row(number, letter_no=text["letter_no"])
        for key in ADVISER_KEYS:
            if key in self.columns:
                row.fields[key] = text[key]
        if not text["name"]:
            fail("name", _("The name is missing."))
        for key in ("gender", "category"):
            if key in self.columns:
                row.fields[key] = self._choice(key, text[key], fail, required=True)
        if text["phone"] and phone_message(text["phone"]):
            fail("phone", phone_message(text["phone"]))
        if text["email"] and not EMAIL.match(text["email"]):
            fail("email", _("This is not an e-mail address."))
        if "specialties" in self.columns:
            row.specialty_ids = self._specialty_ids(text["specialties"], fail)
        row.record_id = self._record_id(text["id"], fail)
        try:
            row.start_on = _date(cells.get("start_on"))
        except ValueError:
            fail("start_on", _("Write the date as YYYY-MM-DD."))
        row.post = self._choice("post", text["post"], fail, required=False)
        if bool(row.post) != bool(row.start_on) and not errors:
            fail("start_on", _("Give both the post and the term start, or neither."))
        return row, errors

    def _choice(self, key: str, value: str, fail, *, required: bool) -> str | None:
        lookup, enum_cls = self.lookups[key]
        if not value:
            if required:
                fail(key, _("Required: give one of %(values)s.", values=_one_of(enum_cls)))
            return None
        code = lookup.get(value.lower())
        if code is None:
            fail(
                key,
                _(
                    "“%(value)s” is not a known value; give one of %(values)s.",
                    value=value,
                    values=_one_of(enum_cls),
                ),
            )
        return code

    def _specialty_ids(self, cell: str, fail) -> list[int]:
        ids = []
        for name in filter(None, SPECIALTY_SEPARATORS.split(cell)):
            if name.lower() not in self.specialties:
                fail("specialties", _("“%(value)s” is not on the specialty list.", value=name))
            elif self.specialties[name.lower()] not in ids:
                ids.append(self.specialties[name.lower()])
        return ids

    @staticmethod
    def _record_id(text: str, fail) -> int | None:
        if not text:
            return None
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_RECORD_ID:
            return int(text)
        fail(
            "id",
            _(
                "“%(value)s” is not a record ID: keep the ID the roster export wrote, or leave "
                "the cell empty for a new adviser.",
                value=text,
            ),
        )
        return None


def _check_archive(data: bytes) -> None:
    """Refuse, before parsing, a workbook that unpacks to far more than a roster.

    The sizes are those the archive declares; reading an entry past its declared size fails
    its check, so a lying archive cannot unpack to more either.
    """
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise DomainError(_("This file is not a readable .xlsx workbook."), field="file") from error
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        raise DomainError(
            _(
                "This workbook unpacks to more than %(mb)d MB; a roster is far smaller. Save "
                "the roster alone in a new workbook and import that.",
                mb=MAX_UNPACKED_MB,
            ),
            field="file",
        )


def _read_workbook(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise DomainError(_("This file is not a readable .xlsx workbook."), field="file") from error
    try:
        sheet = book.worksheets[0]
        rows = list(
            sheet.iter_rows(
                values_only=True, max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1, max_col=MAX_COLUMNS
            )
        )
    finally:
        book.close()
    return rows


def read_roster(data: bytes) -> Sheet:
    """Read and check every row of the workbook's first sheet; return the rows and all errors.

    A file that cannot be read as a roster at all raises DomainError on the `file` field.
    """
    rows = _read_workbook(data)
    if not rows:
        raise DomainError(_("The workbook is empty."), field="file")
    header_index, mapping = _find_header(rows)
    body = rows[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise DomainError(_("Import at most %(n)d rows at a time.", n=MAX_ROWS), field="file")
    columns = frozenset(mapping.values())
    reader = RowReader(columns)
    parsed, errors = [], []
    for number, values in enumerate(body, start=header_index + 2):
        cells = {key: values[i] for i, key in mapping.items() if i < len(values)}
        if not any(_text(v) for v in cells.values()):
            continue
        row, row_errors = reader.read(number, cells)
        parsed.append(row)
        errors.extend(row_errors)
    if not parsed:
        raise DomainError(_("The workbook has headers but no rows."), field="file")
    return Sheet(columns, parsed, errors)
