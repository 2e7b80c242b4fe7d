"""Attendance as pure code: marks, the attendance rate and the window. No database, no Flask.

How attendance counts, as the office sees it on screen:
- Only held meetings the adviser was invited to count. Cancelled and planned meetings count
  for nobody.
- Present counts as attended, absent as missed. Excused (approved leave, or excused after the
  fact) counts as neither: it is left out of the rate.
- The rate is attended / (attended + missed) over a window of months, from the same calendar
  day that many months ago up to today, both included.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class Mark(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


@dataclass(frozen=True)
class Attendance:
    """One held meeting an adviser was invited to, and how they attended it."""

    meeting_id: int
    day: date
    mark: Mark | None  # None: not recorded yet
    #: when the meeting started: orders meetings held on the same day
    starts_at: datetime | None = None

    @property
    def order(self) -> tuple:
        """Meetings in the order they were held: by day, then start time, then id."""
        return (self.day, self.starts_at.timestamp() if self.starts_at else 0.0, self.meeting_id)


def months_before(day: date, months: int) -> date:
    """The same calendar day `months` earlier, or that month's last day when it is shorter."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def counts(records: Sequence[Attendance]) -> tuple[int, int]:
    """(attended, missed without excuse): the meetings that enter the rate."""
    attended = sum(1 for r in records if r.mark == Mark.PRESENT)
    missed = sum(1 for r in records if r.mark == Mark.ABSENT)
    return attended, missed


def attendance_rate(records: Sequence[Attendance]) -> Decimal | None:
    """Attended / (attended + missed) as a percentage with one decimal; None when nothing counts."""
    return rate_of(*counts(records))


def exact_rate(attended: int, missed: int) -> Fraction | None:
    """The attendance rate as an exact percentage, to compare with a threshold."""
    if attended + missed == 0:
        return None
    return Fraction(attended * 100, attended + missed)


def rate_of(attended: int, missed: int) -> Decimal | None:
    """The attendance rate for display: a percentage with one decimal, None when both are 0."""
    exact = exact_rate(attended, missed)
    if exact is None:
        return None
    rate = Decimal(exact.numerator) / Decimal(exact.denominator)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def in_window(records: Sequence[Attendance], today: date, months: int) -> tuple[Attendance, ...]:
    start = months_before(today, months)
    return tuple(r for r in records if start <= r.day <= today)


def quarter_of(day: date) -> tuple[int, int]:
    """The (year, quarter) a day falls in."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a quarter."""
    first = date(year, 3 * quarter - 2, 1)
    following = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)
