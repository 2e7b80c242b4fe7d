"""Seeding the holiday table from the chinese-calendar package, for every year it knows.

The package copies the State Council's notices (2004 to 2026 in version 1.11). Its days are
filed under the year of the notice that set them: New Year's Day may begin in the last days of
December, which the next year's notice sets. Seeding fills only the years the table lacks, so
a year an administrator entered is never overwritten. The migration seeds a new database with
these rows; `flask holidays seed` adds the years a newer package knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import chinese_calendar
from sqlalchemy import insert, select

from core.extensions import db
from core.models import utcnow
from core.workdays.models import CalendarSource, DayKind, Holiday, HolidayYear
from core.workdays.queries import forget_calendar
from core.workdays.rules import notice_window_start

NEW_YEARS_DAY = chinese_calendar.Holiday.new_years_day.value
#: the holidays as the notices name them (the package shortens some: 清明, 端午, 中秋)
NOTICE_NAMES = {
    NEW_YEARS_DAY: "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _name(english: str) -> str:
    if english in NOTICE_NAMES:
        return NOTICE_NAMES[english]
    try:
        return chinese_calendar.Holiday(english).chinese
    except ValueError:
        return english


def _notice_year(day: date, english: str) -> int:
    """The year whose notice set the day: late December days of New Year's Day are next year's."""
    if english == NEW_YEARS_DAY and day >= notice_window_start(day.year + 1):
        return day.year + 1
    return day.year


def package_days() -> dict[int, dict[date, tuple[DayKind, str]]]:
    """Every day the package knows, by notice year: (kind, holiday name)."""
    years: dict[int, dict[date, tuple[DayKind, str]]] = {}
    for kind, days in (
        (DayKind.OFF, chinese_calendar.holidays),
        (DayKind.WORK, chinese_calendar.workdays),
    ):
        for day, english in days.items():
            years.setdefault(_notice_year(day, english), {})[day] = (kind, _name(english))
    return years


def package_rows(
    skip_years: Iterable[int] = (),
    skip_days: Iterable[date] = (),
    now: datetime | None = None,
) -> tuple[list[dict], list[dict]]:
    """Rows of holiday_year and holiday for the package's years not in `skip_years`.

    Plain values only (text for the enums), so a migration can bulk-insert them as they are.
    """
    skip_years, skip_days = set(skip_years), set(skip_days)
    now = now or utcnow()
    year_rows, day_rows = [], []
    for year, days in sorted(package_days().items()):
        if year in skip_years:
            continue
        year_rows.append(
            {
                "year": year,
                "notice": None,
                "doc_no": None,
                "source": CalendarSource.PACKAGE.value,
                "loaded_at": now,
                "loaded_by_id": None,
                "change_reason": None,
                "version": 1,
            }
        )
        day_rows.extend(
            {"day": day, "year": year, "kind": kind.value, "name": name}
            for day, (kind, name) in sorted(days.items())
            if day not in skip_days
        )
    return year_rows, day_rows


def seed_calendar() -> list[int]:
    """Load every year the package knows and the table lacks; return the years loaded.

    Bookkeeping, not anyone's decision: written past the audit trail, flushed, not committed.
    """
    loaded = db.session.scalars(select(HolidayYear.year)).all()
    present = db.session.scalars(select(Holiday.day)).all()
    year_rows, day_rows = package_rows(loaded, present)
    if year_rows:
        db.session.execute(insert(HolidayYear.__table__), year_rows)
    if day_rows:
        db.session.execute(insert(Holiday.__table__), day_rows)
    forget_calendar()
    return [row["year"] for row in year_rows]
