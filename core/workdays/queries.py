"""Reading the working-day calendar: the table as a `WorkCalendar`, once per app context, and
the administrator's pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from core.errors import DomainError, Problem
from core.extensions import db
from core.i18n import today as local_today
from core.models import User
from core.workdays.models import CalendarSource, DayKind, Holiday, HolidayYear
from core.workdays.notice import (
    DayChange,
    HolidayDays,
    LineProblem,
    changes,
    group_days,
    notice_days,
    read_notice,
)
from core.workdays.rules import Deadline, WorkCalendar

CACHE_KEY = "counsel_workdays"
#: the years an administrator may enter
FIRST_YEAR, LAST_YEAR = 2000, 2100


def load_calendar() -> WorkCalendar:
    """Read the whole holiday table (a few dozen rows a year) into a calendar."""
    rows = db.session.execute(select(Holiday.day, Holiday.kind)).all()
    years = db.session.scalars(select(HolidayYear.year)).all()
    return WorkCalendar.of(
        (day for day, kind in rows if kind == DayKind.OFF),
        (day for day, kind in rows if kind == DayKind.WORK),
        years,
    )


def current_calendar() -> WorkCalendar:
    """The calendar, read once per app context (a request, a job run, a command)."""
    if not has_app_context():
        return load_calendar()
    calendar = g.get(CACHE_KEY)
    if calendar is None:
        calendar = load_calendar()
        setattr(g, CACHE_KEY, calendar)
    return calendar


def forget_calendar() -> None:
    """Drop the calendar read in this app context: the table changed."""
    if has_app_context():
        g.pop(CACHE_KEY, None)


# --- the calendar, counted on the table ---------------------------------------------------


def is_working_day(day: date) -> bool:
    """Tell whether offices work on the day."""
    return current_calendar().is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """Return the n-th working day after `start` (start not counted; 0 gives start)."""
    return current_calendar().add_working_days(start, n)


def next_working_day(day: date) -> date:
    """Return the day if offices work on it, else the first working day after it."""
    return current_calendar().next_working_day(day)


def working_days_between(start: date, end: date) -> int:
    """Count the working days after `start` up to and including `end`."""
    return current_calendar().working_days_between(start, end)


def is_provisional(day: date) -> bool:
    """Tell whether the day may still change because its year's notice is not loaded."""
    return current_calendar().is_provisional(day)


def is_provisional_span(start: date, end: date) -> bool:
    """Tell whether any day from `start` to `end` is provisional."""
    return current_calendar().is_provisional_span(start, end)


def deadline(start: date, n: int) -> Deadline:
    """The n-th working day after `start`, and whether it may still move."""
    return current_calendar().deadline(start, n)


def loaded_years() -> frozenset[int]:
    """The years whose holidays are loaded."""
    return current_calendar().loaded_years


def missing_next_year(today: date | None = None) -> int | None:
    """Next year, when it is November or December and next year's holidays are not loaded."""
    return current_calendar().missing_next_year(today or local_today())


# --- the administrator's pages ------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """A loaded year on the calendar's page."""

    year: int
    source: CalendarSource
    notice: str | None
    doc_no: str | None
    loaded_at: datetime
    loaded_by: str | None
    days_off: int
    make_up_days: int


def years_overview() -> list[YearRow]:
    """Every loaded year, newest first, with its counts of days, in one query."""
    stmt = (
        select(
            HolidayYear.year,
            HolidayYear.source,
            HolidayYear.notice,
            HolidayYear.doc_no,
            HolidayYear.loaded_at,
            User.display_name,
            func.count(case((Holiday.kind == DayKind.OFF, 1))),
            func.count(case((Holiday.kind == DayKind.WORK, 1))),
        )
        .outerjoin(User, User.id == HolidayYear.loaded_by_id)
        .outerjoin(Holiday, Holiday.year == HolidayYear.year)
        .group_by(HolidayYear.year, User.display_name)
        .order_by(HolidayYear.year.desc())
    )
    return [YearRow(*row) for row in db.session.execute(stmt)]


def holiday_year(year: int) -> HolidayYear | None:
    return db.session.get(HolidayYear, year)


def year_days(year: int) -> dict[date, tuple[DayKind, str]]:
    """The days a year's notice sets apart: (kind, holiday name) by date."""
    stmt = select(Holiday.day, Holiday.kind, Holiday.name).where(Holiday.year == year)
    return {day: (kind, name) for day, kind, name in db.session.execute(stmt)}


@dataclass(frozen=True)
class YearPreview:
    """A year's holidays as entered, checked, and what entering them would change."""

    year: int
    holidays: list[HolidayDays]
    days: dict[date, tuple[DayKind, str]]
    #: the year as loaded now; None when it is new
    existing: HolidayYear | None
    #: the days that change against the loaded year (every day for a new one)
    changes: list[DayChange]


def _days_of_other_years(year: int, days) -> dict[date, int]:
    stmt = select(Holiday.day, Holiday.year).where(Holiday.day.in_(days), Holiday.year != year)
    return dict(db.session.execute(stmt).all())


def preview_year(year: int, text: str) -> YearPreview:
    """Read and check a year's lines; raise DomainError naming every problem, line by line."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("Enter a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR),
            field="year",
        )
    holidays, problems = read_notice(year, text)
    days = notice_days(holidays)
    lines = {day: h.number for h in holidays for day in (*h.days_off, *h.make_up_days)}
    for day, other in sorted(_days_of_other_years(year, list(days)).items()):
        problems.append(
            LineProblem(
                lines[day],
                _("%(day)s is set by the notice of %(other)d.", day=day.isoformat(), other=other),
            )
        )
    if problems:
        raise DomainError(
            problems=[Problem("days", str(problem)) for problem in problems], code="notice"
        )
    existing = holiday_year(year)
    return YearPreview(
        year=year,
        holidays=group_days(days),
        days=days,
        existing=existing,
        changes=changes(year_days(year) if existing else {}, days),
    )
