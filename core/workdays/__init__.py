"""The Chinese working-day calendar, shared by every package for due dates and deadlines.

Offices work Monday to Friday, except the days off (放假) the State Council's yearly notice
gives, and also on the make-up working days (调休上班) it names. The holiday table holds those
days, filed under the year of their notice (`HolidayYear`, `Holiday`). It is seeded from the
chinese-calendar package for the years the package knows (2004–2026 in version 1.11) and
extended by an administrator from each new notice (/admin/holidays). The `holidays`
package's guesses for unpublished years are never used.

Counting, with `start` never counted::

    add_working_days(date(2025, 9, 30), 1)   # 2025-10-09: 1–8 October are days off
    add_working_days(d, 0)                   # d itself, even on a day off
    next_working_day(d)                      # d if offices work on it, else the next such day
    working_days_between(a, b)               # working days after a up to and including b
    is_working_day(d)

"Within 15 working days" of a matter received on D is due on add_working_days(D, 15); a period
whose last day is a day off ends on next_working_day(last day).

Provisional dates. A year whose notice is not loaded knows only its weekends: counts across it
still work, but their result may move once the year is entered. `is_provisional(d)` says so of
one day (its year is not loaded; or it is in the last week of December, which next year's
notice may still change, and next year is not loaded); `is_provisional_span(a, b)` of any day
from a to b. `deadline(start, n)` gives both at once, as a `Deadline(day, is_provisional)`:

    due = deadline(received_on, 15)
    matter.due_on, matter.due_is_provisional = due.day, due.is_provisional

`loaded_years()` lists the loaded years, and `missing_next_year(today)` gives next year from 1
November while it is not loaded, for warnings. These functions read the table once per app
context (a request, a job run, a command) and keep it in `g`; entering a year drops that copy.

The counting itself is pure: `WorkCalendar` (core.workdays.rules) holds the days off, the
make-up days and the loaded years, and has every function above as a method, for tests and for
code that counts many dates.
"""

from core.workdays.models import CalendarSource, DayKind, Holiday, HolidayYear
from core.workdays.queries import (
    add_working_days,
    current_calendar,
    deadline,
    forget_calendar,
    is_provisional,
    is_provisional_span,
    is_working_day,
    loaded_years,
    missing_next_year,
    next_working_day,
    working_days_between,
)
from core.workdays.rules import Deadline, WorkCalendar
from core.workdays.seed import seed_calendar

__all__ = [
    "CalendarSource",
    "DayKind",
    "Deadline",
    "Holiday",
    "HolidayYear",
    "WorkCalendar",
    "add_working_days",
    "current_calendar",
    "deadline",
    "forget_calendar",
    "is_provisional",
    "is_provisional_span",
    "is_working_day",
    "loaded_years",
    "missing_next_year",
    "next_working_day",
    "seed_calendar",
    "working_days_between",
]
