"""A year's holidays as a clerk copies them from the State Council's notice, one per line.

    国庆节 2027-10-01 2027-10-07 调休 2027-09-26 2027-10-09

is the holiday's name, its first and last day off (one date for a single day), then,
after 调休 (or 上班, 补班), the make-up working days. Dates may be written 2027-10-01,
2027/10/1 or 2027年10月1日; "至" or "~" may stand between the first and last day off; blank
lines and lines starting with # are skipped. Reading the lines checks them all and names every
problem with its line: nothing is saved unless every line is right. No database here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _

from core.workdays.models import DayKind
from core.workdays.rules import notice_window_start

#: the title every year's notice has had, to start the form with
NOTICE_TITLE = "国务院办公厅关于{year}年部分节假日安排的通知"
#: the words that start the make-up working days on a line
MAKE_UP_WORDS = ("调休", "上班", "补班")
DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
RANGE_MARKS = re.compile(r"[至~～]")
LIST_MARKS = re.compile(r"[,，、;；]")
MAKE_UP_WORD = re.compile("|".join(MAKE_UP_WORDS))
NAME_LENGTH = 60
#: the longest holiday a notice has given is 10 days (Spring Festival 2020, extended)
MAX_DAYS_OFF = 14
#: a make-up working day lies near its holiday
MAKE_UP_DISTANCE = timedelta(days=31)

#: (kind, holiday name) of each day a notice sets apart
Days = Mapping[date, tuple[DayKind, str]]


@dataclass(frozen=True)
class NoticeLine:
    """One holiday read from a line: its name, days off and make-up working days."""

    number: int
    name: str
    days_off: tuple[date, ...]
    make_up_days: tuple[date, ...]


@dataclass(frozen=True)
class LineProblem:
    """Something wrong on a line (None: with the whole text), in words for the screen."""

    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return _("Line %(line)d: %(problem)s", line=self.line, problem=self.message)


def _date(token: str) -> date | None:
    found = DATE.fullmatch(token)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _days(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


class _LineReader:
    """Reads one line; what it finds wrong goes to `problems`. A line whose days can be told
    is read even when something else is wrong with it, so other lines are checked against it."""

    def __init__(self, year: int, number: int, text: str):
        self.year, self.number = year, number
        self.problems: list[LineProblem] = []
        text = RANGE_MARKS.sub(" ", text.replace("\u3000", " "))
        name, _space, rest = text.strip().partition(" ")
        glued = DATE.search(name)
        if glued is not None and glued.start() > 0:  # 国庆节2027-10-01: the space left out
            name, rest = name[: glued.start()], f"{name[glued.start() :]} {rest}"
        self.name = name
        before, *after = MAKE_UP_WORD.split(rest, maxsplit=1)
        self.has_make_up = bool(after)
        self.off_tokens = before.split()
        self.make_up_tokens = LIST_MARKS.sub(" ", "".join(after)).split()

    def problem(self, message: str) -> None:
        self.problems.append(LineProblem(self.number, message))

    def dates(self, tokens: list[str]) -> list[date] | None:
        found = []
        for token in tokens:
            day = _date(token)
            if day is None:
                self.problem(
                    _("“%(value)s” is not a date; write dates as 2027-10-01.", value=token[:20])
                )
            found.append(day)
        return None if None in found else found

    def read(self) -> NoticeLine | None:
        if not self.name or DATE.search(self.name) or MAKE_UP_WORD.fullmatch(self.name):
            self.problem(_("Write the holiday's name first, then its first and last day off."))
            return None
        if len(self.name) > NAME_LENGTH:
            self.problem(_("The name is longer than %(max)d characters.", max=NAME_LENGTH))
        off, make_up = self.dates(self.off_tokens), self.dates(self.make_up_tokens)
        if off is None or make_up is None:
            return None
        days_off = self.days_off(off)
        if days_off is None:
            return None
        if self.has_make_up and not make_up:
            self.problem(_("Write the make-up working days after 调休, or leave 调休 out."))
        self.check_in_year([days_off[0], days_off[-1], *make_up])
        for day in make_up:
            self.check_make_up_day(day, days_off)
        return NoticeLine(self.number, self.name, days_off, tuple(sorted(make_up)))

    def days_off(self, off: list[date]) -> tuple[date, ...] | None:
        if not off:
            self.problem(_("Write the first and last day off after the name."))
            return None
        if len(off) > 2:
            self.problem(
                _(
                    "Write only the first and last day off before 调休; this line has "
                    "%(count)d dates there.",
                    count=len(off),
                )
            )
            return None
        first, last = off[0], off[-1]
        if last < first:
            self.problem(
                _(
                    "The last day off %(last)s comes before the first %(first)s.",
                    last=last.isoformat(),
                    first=first.isoformat(),
                )
            )
            return None
        days = _days(first, last)
        if len(days) > MAX_DAYS_OFF:
            self.problem(
                _(
                    "%(count)d days off in a row is more than any notice gives (at most "
                    "%(max)d); check the dates.",
                    count=len(days),
                    max=MAX_DAYS_OFF,
                )
            )
            return None
        return days

    def check_in_year(self, days: list[date]) -> None:
        first, last = notice_window_start(self.year), date(self.year, 12, 31)
        outside = [day for day in days if not first <= day <= last]
        if outside:
            day = outside[0]
            self.problem(
                _(
                    "%(day)s is not in %(year)d (only the last week of December before it may be).",
                    day=day.isoformat(),
                    year=self.year,
                )
            )

    def check_make_up_day(self, day: date, days_off: tuple[date, ...]) -> None:
        if day.weekday() < 5:
            self.problem(
                _(
                    "The make-up working day %(day)s is not a Saturday or Sunday.",
                    day=day.isoformat(),
                )
            )
        if days_off[0] <= day <= days_off[-1]:
            self.problem(
                _("%(day)s is both a day off and a make-up working day.", day=day.isoformat())
            )
        elif day < days_off[0] - MAKE_UP_DISTANCE or day > days_off[-1] + MAKE_UP_DISTANCE:
            self.problem(
                _(
                    "The make-up working day %(day)s is more than a month from the holiday.",
                    day=day.isoformat(),
                )
            )


def read_notice(year: int, text: str) -> tuple[list[NoticeLine], list[LineProblem]]:
    """Read a year's holidays from the clerk's lines; return them and every problem found.

    The holidays are the year's only when there is no problem.
    """
    holidays: list[NoticeLine] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip() or raw.strip().startswith("#"):
            continue
        reader = _LineReader(year, number, raw)
        holiday = reader.read()
        problems.extend(reader.problems)
        if holiday is not None:
            holidays.append(holiday)
    if not holidays and not problems:
        problems.append(
            LineProblem(None, _("Enter at least one holiday: its name, first and last day off."))
        )
    problems.extend(_overlaps(holidays))
    problems.sort(key=lambda problem: problem.line or 0)
    return holidays, problems


def _overlaps(holidays: list[NoticeLine]) -> list[LineProblem]:
    """A day may be named on one line only."""
    seen: dict[date, int] = {}
    problems = []
    for holiday in holidays:
        for day in (*holiday.days_off, *holiday.make_up_days):
            if seen.setdefault(day, holiday.number) != holiday.number:
                problems.append(
                    LineProblem(
                        holiday.number,
                        _(
                            "%(day)s is on line %(other)d already.",
                            day=day.isoformat(),
                            other=seen[day],
                        ),
                    )
                )
    return problems


def notice_days(holidays: list[NoticeLine]) -> dict[date, tuple[DayKind, str]]:
    """Every day the holidays set apart, with its kind and the holiday's name."""
    days: dict[date, tuple[DayKind, str]] = {}
    for holiday in holidays:
        days.update(dict.fromkeys(holiday.days_off, (DayKind.OFF, holiday.name)))
        days.update(dict.fromkeys(holiday.make_up_days, (DayKind.WORK, holiday.name)))
    return days


# --- reading the table back --------------------------------------------------------------


@dataclass
class HolidayDays:
    """One holiday of a year, as the notice tells it: its days off in runs, its make-up days."""

    name: str
    #: (first, last) day off of each run of consecutive days
    runs: list[tuple[date, date]] = field(default_factory=list)
    make_up_days: list[date] = field(default_factory=list)

    @property
    def days_off(self) -> int:
        return sum((last - first).days + 1 for first, last in self.runs)

    @property
    def first_day(self) -> date:
        return min([first for first, _last in self.runs] + self.make_up_days)


def group_days(days: Days) -> list[HolidayDays]:
    """The days of a year by holiday, in the order the holidays come."""
    by_name: dict[str, HolidayDays] = {}
    for day in sorted(days):
        kind, name = days[day]
        holiday = by_name.setdefault(name, HolidayDays(name))
        if kind == DayKind.WORK:
            holiday.make_up_days.append(day)
        elif holiday.runs and holiday.runs[-1][1] + timedelta(days=1) == day:
            holiday.runs[-1] = (holiday.runs[-1][0], day)
        else:
            holiday.runs.append((day, day))
    return sorted(by_name.values(), key=lambda holiday: holiday.first_day)


def write_notice(days: Days) -> str:
    """The days as lines a clerk can correct and enter again (read_notice reads them back)."""
    lines = []
    for holiday in group_days(days):
        runs = holiday.runs or [None]
        for index, run in enumerate(runs):
            words = [holiday.name]
            if run is not None:
                first, last = run
                words += [first.isoformat()] + ([last.isoformat()] if last != first else [])
            if index == 0 and holiday.make_up_days:
                words += [MAKE_UP_WORDS[0], *(day.isoformat() for day in holiday.make_up_days)]
            lines.append(" ".join(words))
    return "\n".join(lines)


@dataclass(frozen=True)
class DayChange:
    """A day that entering a year would change: what it was and what it becomes (None: an
    ordinary day)."""

    day: date
    before: tuple[DayKind, str] | None
    after: tuple[DayKind, str] | None


def changes(before: Days, after: Days) -> list[DayChange]:
    """The days whose kind or holiday differ between two versions of a year."""
    return [
        DayChange(day, before.get(day), after.get(day))
        for day in sorted(set(before) | set(after))
        if before.get(day) != after.get(day)
    ]
