"""The roster as an export table, and the template workbook the roster import reads.

The columns carry the screens' words (聘期起始, not 任期开始), through the very messages the
screens use; the import reads a header in either language. The roster export ends with each
adviser's record ID, so that the exported file, imported again, updates the same advisers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advisers.models import Category, Gender, Post, Term
from core import tables
from core.tables import Table


@dataclass(frozen=True)
class Column:
    """A column of the roster workbook: its key in the import and its header."""

    key: str
    #: the header: the same message as the screens' label for the field
    label: str


COLUMNS = (
    Column("name", _l("Full name")),
    Column("gender", _l("Gender")),
    Column("category", _l("Category")),
    Column("organisation", _l("Organisation")),
    Column("licence_no", _l("Practising-licence number")),
    Column("phone", _l("Phone")),
    Column("email", _l("E-mail")),
    Column("specialties", _l("Specialties")),
    Column("post", _l("Post")),
    Column("start_on", _l("Term start")),
    Column("end_on", _l("Term end")),
    Column("letter_no", _l("Letter number")),
    Column("id", _l("Record ID")),
)
KEYS = tuple(column.key for column in COLUMNS)
#: codes that look like numbers but are text: a licence number has 17 digits
TEXT_COLUMNS = frozenset(KEYS.index(key) for key in ("licence_no", "phone", "letter_no"))
#: separates specialties in one cell, as the export writes them
SPECIALTY_JOIN = "、"


def headers() -> list[str]:
    """The column headers in the current language."""
    return [str(column.label) for column in COLUMNS]


def column_names() -> dict[str, str]:
    """Each column's key with its header in the current language, to name it in messages."""
    return {column.key: str(column.label) for column in COLUMNS}


#: the office's working details, left out of the export for those who may not see them
PRIVATE_KEYS = frozenset({"licence_no", "phone"})


def roster_table(terms: list[Term], locale: str, day: date, *, private: bool = True) -> Table:
    """The serving terms as an export table, one row a term, in the order of COLUMNS; without
    the licence and phone columns unless `private`."""
    title = _("Legal adviser roster (as of %(day)s)", day=day.isoformat())
    rows = roster_rows(terms, locale)
    if private:
        return Table(title, _("Roster"), headers(), rows, TEXT_COLUMNS)
    kept = [i for i, column in enumerate(COLUMNS) if column.key not in PRIVATE_KEYS]
    return Table(
        title,
        _("Roster"),
        [headers()[i] for i in kept],
        [[row[i] for i in kept] for row in rows],
        frozenset(kept.index(i) for i in TEXT_COLUMNS if i in kept),
    )


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
                SPECIALTY_JOIN.join(s.label(locale) for s in adviser.specialties),
                term.post.label,
                term.start_on,
                term.end_on,
                term.letter_no,
                adviser.id,
            ]
        )
    return rows


# --- the import template ------------------------------------------------------------


def _one_of(enum_cls) -> str:
    return SPECIALTY_JOIN.join(label for _value, label in enum_cls.labelled())


def _guidance(specialty_names: list[str]) -> dict[str, str]:
    """What to write in each column, for the template's instructions sheet."""
    return {
        "name": _("Required. The adviser's full name, at most 50 characters."),
        "gender": _("Required. One of: %(values)s.", values=_one_of(Gender)),
        "category": _("Required. One of: %(values)s.", values=_one_of(Category)),
        "organisation": _("The employer, law firm or body, at most 100 characters."),
        "licence_no": _(
            "Unique, at most 40 characters. A row with the licence number of an adviser on "
            "record updates that adviser."
        ),
        "phone": _("Digits, with spaces, +, - or brackets between them."),
        "email": _("An e-mail address."),
        "specialties": _(
            "Names from the specialty list, separated by 、 or commas: %(values)s.",
            values=SPECIALTY_JOIN.join(specialty_names) or "—",
        ),
        "post": _(
            "One of: %(values)s. Give the post with the term start to appoint the adviser from "
            "that day, or leave both empty.",
            values=_one_of(Post),
        ),
        "start_on": _("The first day of the term: a date, or text as YYYY-MM-DD."),
        "end_on": _("Worked out from the term start; not read on import."),
        "letter_no": _(
            "The appointment letter number of the term; leave it empty and the next number is "
            "issued."
        ),
        "id": _(
            "Filled in by the roster export. A row with the record ID of an adviser on record "
            "updates that adviser; leave it empty for a new adviser."
        ),
    }


def _example_row(specialty_names: list[str]) -> list:
    example = {
        "name": _("Zhang San"),
        "gender": Gender.MALE.label,
        "category": Category.PRACTISING_LAWYER.label,
        "organisation": _("Example Law Firm"),
        "licence_no": "13201202310000001",
        "phone": "0512-66880001",
        "email": "zhangsan@example.com",
        "specialties": specialty_names[0] if specialty_names else "",
    }
    return [example.get(key, "") for key in KEYS]


def template_workbook(specialty_names: list[str]) -> bytes:
    """The import template: the roster's headers with one example row, and a sheet of
    instructions explaining each column and the values it takes."""
    instructions_sheet = _("Instructions")
    data = Table(
        _(
            "Legal adviser import template: row 3 is an example, replace it with your own; "
            "the sheet “%(sheet)s” explains each column.",
            sheet=instructions_sheet,
        ),
        _("Roster"),
        headers(),
        [_example_row(specialty_names)],
        TEXT_COLUMNS,
    )
    guidance = _guidance(specialty_names)
    instructions = Table(
        _("How to fill in the import template"),
        instructions_sheet,
        [_("Column"), _("What to write")],
        [[str(column.label), guidance[column.key]] for column in COLUMNS],
    )
    return tables.to_xlsx(data, instructions)
