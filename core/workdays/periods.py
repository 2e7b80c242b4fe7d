"""Statutory periods counted on the working-day calendar: pure, no Flask, no database.

The counting rules of 民事诉讼法 第八十五条, the SPC's interpretation of the Administrative
Litigation Law (第四十八条) and the Civil Code (第二百零一条 to 第二百零三条), and 行政复议法
第八十八条 for reconsideration:

- The start day is not counted: 15 days from 2025-01-15 nominally end on 2025-01-30.
- Days are calendar days; holidays inside the period are not deducted.
- Months and years end on the same day number of the end month, or on that month's last day
  when it has none (1 month from 01-31 ends on 02-28; from 2028-02-29, on 03-29).
- A period whose last day is a rest day ends on the first working day after it. A make-up
  working Saturday or Sunday (调休上班) is a working day: a period ending on one ends there.
- Working days ("10wd": 行政复议法 第八十八条's 3, 5, 7 and 10 days) count only working days.

    end = period_end(calendar, date(2025, 9, 28), Period.parse("15d"))
    end.day, end.is_provisional, end.steps

Each result keeps the steps that made it (`Step`), so a page can say why a deadline falls where
it does; where the law leaves room, the earlier date is taken and the step says so.
"""

from __future__ import annotations

import calendar as gregorian
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from core.workdays.rules import WorkCalendar


class Unit(StrEnum):
    """How a period is counted, by its suffix: `15d`, `10wd`, `6m`, `2y`."""

    DAYS = "d"
    WORKING_DAYS = "wd"
    MONTHS = "m"
    YEARS = "y"


_PERIOD = re.compile(r"^\s*(\d{1,4})\s*(wd|d|m|y)\s*$", re.IGNORECASE)
#: the longest period any rule or command counts, in each unit
LIMITS = {Unit.DAYS: 3660, Unit.WORKING_DAYS: 2500, Unit.MONTHS: 120, Unit.YEARS: 10}


@dataclass(frozen=True)
class Period:
    """A length of time in one unit, such as 15 days or 6 months."""

    count: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `15d`, `10wd`, `6m` or `2y`; ValueError for anything else or out of range."""
        match = _PERIOD.match(text or "")
        if match is None:
            raise ValueError(f"not a period: {text!r} (e.g. 15d, 10wd, 6m, 2y)")
        period = cls(int(match.group(1)), Unit(match.group(2).lower()))
        if not 1 <= period.count <= LIMITS[period.unit]:
            raise ValueError(f"out of range: {text!r} (1 to {LIMITS[period.unit]}{period.unit})")
        return period

    def __str__(self) -> str:
        return f"{self.count}{self.unit}"


class Step(StrEnum):
    """Why a period ends on its day; a page says each in words."""

    #: the end month has no such day number: its last day
    MONTH_END = "month_end"
    #: the last day was a rest day: the period ends on the first working day after it
    ROLLED_FORWARD = "rolled_forward"
    #: the last day is a make-up working day (调休上班): the period ends there, the earlier date
    MAKE_UP_DAY = "make_up_day"
    #: counted in working days: rest days were skipped
    WORKING_DAYS = "working_days"
    #: an extension runs from the period's nominal last day, not a rolled-forward one: the
    #: earlier date, where the law does not say
    EXTENDED_FROM_NOMINAL = "extended_from_nominal"


@dataclass(frozen=True)
class PeriodEnd:
    """The last day of a period and how it was reached."""

    start: date
    period: Period
    #: the last day by counting alone, before a rest day moved it
    nominal: date
    day: date
    #: the count passed through a year whose holiday notice is not loaded
    is_provisional: bool
    steps: tuple[Step, ...] = ()


def add_months(day: date, months: int) -> date:
    """The same day number `months` later, or that month's last day when it has none."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = gregorian.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def nominal_end(start: date, period: Period, calendar: WorkCalendar) -> tuple[date, list[Step]]:
    """The period's last day by counting alone (the start day not counted), and its steps."""
    if period.unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, period.count), [Step.WORKING_DAYS]
    if period.unit is Unit.DAYS:
        return start + timedelta(days=period.count), []
    months = period.count * (12 if period.unit is Unit.YEARS else 1)
    day = add_months(start, months)
    return day, [Step.MONTH_END] if day.day != start.day else []


def period_end(calendar: WorkCalendar, start: date, period: Period) -> PeriodEnd:
    """The day a period that starts on `start` ends, on the working-day calendar."""
    nominal, steps = nominal_end(start, period, calendar)
    day = calendar.next_working_day(nominal)
    if day != nominal:
        steps.append(Step.ROLLED_FORWARD)
    elif nominal.weekday() >= 5:
        steps.append(Step.MAKE_UP_DAY)
    return PeriodEnd(
        start=start,
        period=period,
        nominal=nominal,
        day=day,
        is_provisional=calendar.is_provisional_span(start, day),
        steps=tuple(steps),
    )


def extended(calendar: WorkCalendar, end: PeriodEnd, extension: Period) -> PeriodEnd:
    """A period extended by `extension`, counted from its nominal last day (the earlier date:
    the law does not say whether a rolled-forward day starts the extension)."""
    longer = period_end(calendar, end.nominal, extension)
    steps = (*longer.steps, Step.EXTENDED_FROM_NOMINAL) if end.day != end.nominal else longer.steps
    return PeriodEnd(
        start=end.start,
        period=end.period,
        nominal=longer.nominal,
        day=longer.day,
        is_provisional=calendar.is_provisional_span(end.start, longer.day),
        steps=steps,
    )
