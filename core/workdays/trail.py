"""How the working-day calendar reads in the audit trail."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from core.audit import ANY_VALUE, BOOKKEEPING, Page, describe
from core.workdays.models import Holiday, HolidayYear

YEAR_PAGE = Page("holidays.year", "year")


def _year_names():
    return select(HolidayYear.year, HolidayYear.year)


def register() -> None:
    """Describe the loaded years and their days."""
    describe(
        HolidayYear,
        _l("Holidays of the year"),
        title=lambda record: str(record.year),
        names=_year_names,
        fields={
            "year": _l("Year"),
            "notice": _l("Notice"),
            "doc_no": _l("Document number"),
            "source": _l("Source"),
            "loaded_at": _l("Loaded at"),
            "loaded_by_id": _l("Loaded by"),
            "change_reason": _l("Why the days were replaced"),
        },
        #: when the year was loaded: the entry's own time says it
        quiet=BOOKKEEPING | {"loaded_at"},
        page=YEAR_PAGE,
        phrases={"create": _l("entered %(record)s from the notice %(notice)s")},
        transitions={
            ("change_reason", ANY_VALUE): _l("replaced %(record)s: %(change_reason)s"),
        },
    )
    describe(
        Holiday,
        _l("Holiday day"),
        title=lambda day: f"{day.day.isoformat()} {day.name}",
        fields={
            "day": _l("Date"),
            "year": _l("Holidays of the year"),
            "kind": _l("Kind"),
            "name": _l("Holiday"),
        },
        parent="year",
        page=Page("holidays.year", "year", "year"),
        phrases={
            "create": _l("marked %(day)s for %(name)s: %(kind)s"),
            "delete": _l("took %(day)s (%(name)s: %(kind)s) off the calendar"),
        },
        many={
            "create": lambda n: ngettext("marked %(num)d day", "marked %(num)d days", n),
            "update": lambda n: ngettext("changed %(num)d day", "changed %(num)d days", n),
            "delete": lambda n: ngettext(
                "took %(num)d day off the calendar", "took %(num)d days off the calendar", n
            ),
        },
    )
