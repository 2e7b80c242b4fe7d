"""The roster as an export table, and the import of advisers and terms from an XLSX workbook.

An import is all or nothing: every row is checked, and a workbook with any bad row is
refused whole with a list of what is wrong on which row.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from advisers import services
from advisers.messages import phone_message
from advisers.models import Adviser, Category, Gender, Post, Specialty, Term
from core.errors import DomainError, Problem
from core.extensions import db
from core.tables import Table

#: (key, Chinese header, English header) -- the import accepts either header
COLUMNS = [
    ("name", "姓名", "Name"),
    ("gender", "性别", "Gender"),
    ("category", "类别", "Category"),
    ("organisation", "工作单位", "Organisation"),
    ("licence_no", "执业证号", "Licence number"),
    ("phone", "电话", "Phone"),
    ("email", "电子邮箱", "E-mail"),
    ("specialties", "专业领域", "Specialties"),
    ("post", "职务", "Post"),
    ("start_on", "任期开始", "Term start"),
    ("end_on", "任期结束", "Term end"),
    ("letter_no", "聘任书编号", "Letter number"),
]
IMPORTED_KEYS = [key for key, _zh, _en in COLUMNS if key != "end_on"]
MAX_ROWS = 2000
SPECIALTY_SEPARATORS = re.compile(r"[、,，;；]\s*")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def headers(locale: str) -> list[str]:
    return [en if locale.startswith("en") else zh for _key, zh, en in COLUMNS]


def roster_table(terms: list[Term], locale: str, day: date) -> Table:
    """The serving terms as an export table, one row a term, in the order of COLUMNS."""
    title = _("Legal adviser panel on %(day)s", day=day.isoformat())
    return Table(title, _("Roster"), headers(locale), roster_rows(terms, locale))


def roster_rows(terms: list[Term], locale: str) -> list[list]:
    """One row a serving term, in the order of COLUMNS."""
    rows = []
    for term in terms:
        adviser = term.adviser
        rows.append(
            [
                adviser.name,
                adviser.gender.label,
                adviser.category.label,
                adviser.organisation or "",
                adviser.licence_no or "",
                adviser.phone or "",
                adviser.email or "",
                "、".join(s.label(locale) for s in adviser.specialties),
                term.post.label,
                term.start_on,
                term.end_on,
                term.letter_no,
            ]
        )
    return rows


# --- import ---------------------------------------------------------------------------


@dataclass
class ImportResult:
    advisers: int = 0
    terms: int = 0
    errors: list[Problem] = field(default_factory=list)


class ImportRejected(DomainError):
    """The workbook had bad rows; nothing was imported. Each problem names its row."""

    code = "import_rejected"

    def __init__(self, problems: list[Problem]):
        super().__init__(problems=problems)
        self.summary = _("The file was not imported: %(n)d problem(s) found.", n=len(problems))


def _labels_lookup(enum_cls) -> dict[str, str]:
    """Map codes and labels in both languages to enum values."""
    lookup = {}
    for member in enum_cls:
        lookup[member.value.lower()] = member.value
        for locale in ("zh_Hans_CN", "en"):
            with force_locale(locale):
                lookup[str(enum_cls.labels()[member]).strip().lower()] = member.value
    return lookup


def _header_map(header_row) -> dict[int, str]:
    names = {}
    for key, zh, en in COLUMNS:
        names[zh] = names[en.lower()] = names[key] = key
    mapping = {}
    for index, cell in enumerate(header_row):
        text = str(cell or "").strip()
        key = names.get(text) or names.get(text.lower())
        if key:
            mapping[index] = key
    return mapping


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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


class RowReader:
    """Checks one row's cells and turns them into service arguments, collecting errors."""

    def __init__(self, lookups: dict, specialties: dict[str, int]):
        self.lookups = lookups
        self.specialties = specialties

    def read(self, number: int, cells: dict) -> tuple[dict, list[Problem]]:
        errors: list[Problem] = []

        def fail(column: str, message: str):
            errors.append(Problem(column, message, row=number))

        row = {key: _text(cells.get(key)) for key in IMPORTED_KEYS if key != "start_on"}
        limits = {"name": 50, "organisation": 100, "licence_no": 40, "email": 254, "letter_no": 60}
        for key, limit in limits.items():
            if len(row[key]) > limit:
                fail(key, _("Longer than %(n)d characters.", n=limit))
        if not row["name"]:
            fail("name", _("The name is missing."))
        for key in ("gender", "category"):
            value = self.lookups[key].get(row[key].lower())
            if value is None:
                fail(key, _("“%(value)s” is not a known value.", value=row[key]))
            row[key] = value
        if row["phone"] and phone_message(row["phone"]):
            fail("phone", phone_message(row["phone"]))
        if row["email"] and not EMAIL.match(row["email"]):
            fail("email", _("This is not an e-mail address."))
        row["specialty_ids"] = []
        for name in filter(None, SPECIALTY_SEPARATORS.split(row.pop("specialties"))):
            if name.lower() not in self.specialties:
                fail("specialties", _("“%(value)s” is not on the specialty list.", value=name))
            else:
                row["specialty_ids"].append(self.specialties[name.lower()])
        try:
            row["start_on"] = _date(cells.get("start_on"))
        except ValueError:
            row["start_on"] = None
            fail("start_on", _("Write the date as YYYY-MM-DD."))
        post = row["post"]
        row["post"] = self.lookups["post"].get(post.lower()) if post else None
        if post and row["post"] is None:
            fail("post", _("“%(value)s” is not a known value.", value=post))
        if bool(row["post"]) != bool(row["start_on"]) and not errors:
            fail("start_on", _("Give both the post and the term start, or neither."))
        return row, errors


#: what a workbook may unpack to: a roster of 2,000 rows is under 2 MB; a file far larger
#: (a "zip bomb") would hold a worker and its memory for a minute before any row is read
MAX_UNPACKED_MB = 20
MAX_ENTRIES = 200
#: columns read from each row: the roster has a dozen; a row 16,384 cells wide is not one
MAX_COLUMNS = 50


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


def _read_workbook(data: bytes):
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise DomainError(_("This file is not a readable .xlsx workbook."), field="file") from error
    try:
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS))
    finally:
        book.close()
    return rows


def parse_roster(data: bytes) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Read and check every row of the workbook; return the rows and all errors."""
    rows = _read_workbook(data)
    if not rows:
        raise DomainError(_("The workbook is empty."), field="file")
    mapping = _header_map(rows[0])
    if "name" not in mapping.values():
        raise DomainError(
            _("The first row must hold the column headers, at least 姓名 / Name."), field="file"
        )
    if len(rows) - 1 > MAX_ROWS:
        raise DomainError(_("Import at most %(n)d rows at a time.", n=MAX_ROWS), field="file")
    lookups = {
        "gender": _labels_lookup(Gender),
        "category": _labels_lookup(Category),
        "post": _labels_lookup(Post),
    }
    specialties = {}
    for s in db.session.scalars(select(Specialty)):
        specialties[s.name.lower()] = specialties[s.name_en.lower()] = s.id
    reader = RowReader(lookups, specialties)
    parsed, errors = [], []
    for number, values in enumerate(rows[1:], start=2):
        cells = {key: values[i] for i, key in mapping.items() if i < len(values)}
        if not any(_text(v) for v in cells.values()):
            continue
        row, row_errors = reader.read(number, cells)
        parsed.append((number, row))
        errors.extend(row_errors)
    if not parsed and not errors:
        raise DomainError(_("The workbook has headers but no rows."), field="file")
    return parsed, errors


def _duplicate_licences(parsed) -> list[Problem]:
    seen, errors = {}, []
    for number, row in parsed:
        licence = row["licence_no"]
        if licence and licence in seen:
            errors.append(
                Problem(
                    "licence_no", _("Same licence number as row %(n)d.", n=seen[licence]), number
                )
            )
        seen.setdefault(licence, number)
    return errors


def import_roster(actor, data: bytes) -> ImportResult:
    """Import advisers, and their terms where given; refuse the whole file on any bad row."""
    parsed, errors = parse_roster(data)
    errors += _duplicate_licences(parsed)
    result = ImportResult()
    if not errors:
        for number, row in parsed:
            try:
                _import_row(actor, row)
            except DomainError as error:
                errors.extend(Problem(p.field or "", p.message, number) for p in error.problems)
                continue
            result.advisers += 1
            result.terms += 1 if row["post"] else 0
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))
    return result


def _import_row(actor, row: dict) -> Adviser:
    fields = {
        k: row[k]
        for k in ("name", "gender", "category", "organisation", "licence_no", "phone", "email")
    }
    adviser = services.save_adviser(actor, None, specialty_ids=row["specialty_ids"], **fields)
    if row["post"]:
        services.open_term(
            actor,
            adviser,
            post=Post(row["post"]),
            start_on=row["start_on"],
            letter_no=row["letter_no"] or None,
        )
    return adviser
