"""Counting working days on the Chinese calendar: pure, no Flask, no database.

A `WorkCalendar` holds the days off, the make-up working days and the years whose notices
are loaded; every count is a method of it, so it is tested with plain sets of dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
#: the notice for a year may set days in the last week of December before it (New Year's Day
#: of 2007, 2008, 2012 and 2019 did), so those days wait for the next year's notice too
NOTICE_REACHES_BACK_TO = (12, 25)
#: from this day of a year (1 November) the office is warned that next year is not loaded
NEXT_YEAR_DUE_FROM = (11, 1)


def notice_window_start(year: int) -> date:
    """The first day a notice for `year` may set: 25 December of the year before."""
    month, day = NOTICE_REACHES_BACK_TO
    return date(year - 1, month, day)


@dataclass(frozen=True)
class Deadline:
    """A date counted in working days, and whether it may still move.

    `is_provisional` is true when the count passed through a year whose notice is not loaded:
    only weekends were known there, so the date can change once the year is entered.
    """

    day: date
    is_provisional: bool


@dataclass(frozen=True)
class WorkCalendar:
    """The working-day calendar: the State Council's days off and make-up working days."""

    #: days off (放假), weekends inside a holiday included
    days_off: frozenset[date] = frozenset()
    #: make-up working days (调休上班): weekend days worked instead of a day off
    make_up_days: frozenset[date] = frozenset()
    #: the years whose notices are loaded; other years know only weekends
    loaded_years: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        days_off: Iterable[date] = (),
        make_up_days: Iterable[date] = (),
        loaded_years: Iterable[int] = (),
    ) -> WorkCalendar:
        return cls(frozenset(days_off), frozenset(make_up_days), frozenset(loaded_years))

    def is_working_day(self, day: date) -> bool:
        """Tell whether offices work on the day: a weekday not off, or a make-up working day."""
        if day in self.make_up_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day after `start` (before it when n < 0); 0 gives `start`.

        `start` itself is never counted: a matter received on D and due "within 15 working
        days" is due on add_working_days(D, 15).
        """
        step = ONE_DAY if n >= 0 else -ONE_DAY
        day, left = start, abs(n)
        while left:
            day += step
            if self.is_working_day(day):
                left -= 1
        return day

    def next_working_day(self, day: date) -> date:
        """Return the day itself when it is a working day, else the first working day after it.

        A period whose last day falls on a day off ends on the next working day.
        """
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count the working days after `start` up to and including `end` (negative if end <
        start), so that working_days_between(d, add_working_days(d, n)) == n."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count

    def is_provisional(self, day: date) -> bool:
        """Tell whether the day may still change: its year's notice is not loaded, or it is in
        the last week of December and next year's notice, which may reach back, is not."""
        if day.year not in self.loaded_years:
            return True
        return day >= notice_window_start(day.year + 1) and day.year + 1 not in self.loaded_years

    def is_provisional_span(self, start: date, end: date) -> bool:
        """Tell whether any day from `start` to `end` (either order, both included) is
        provisional: a count across them may still move."""
        first, last = min(start, end), max(start, end)
        for year in range(first.year, last.year + 1):
            if year not in self.loaded_years:
                return True
            if last >= notice_window_start(year + 1) and year + 1 not in self.loaded_years:
                return True
        return False

    def deadline(self, start: date, n: int) -> Deadline:
        """The n-th working day after `start`, flagged when the count crossed an unloaded year."""
        day = self.add_working_days(start, n)
        return Deadline(day, self.is_provisional_span(start, day))

    def missing_next_year(self, today: date) -> int | None:
        """Next year, when it is 1 November or later and next year's notice is not loaded."""
        month, day = NEXT_YEAR_DUE_FROM
        if today >= date(today.year, month, day) and today.year + 1 not in self.loaded_years:
            return today.year + 1
        return None
