"""Pure rules of the panel: term dates, size and post limits, reminders. No database, no Flask."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)
#: days before a term ends when the office is reminded, largest first
REMINDER_DAYS = (90, 30, 7)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def term_end(start: date, years: int = 3) -> date:
    """The last day of a term: `years` after the start, less one day (2026-03-01 → 2029-02-28)."""
    return add_years(start, years) - ONE_DAY


def renewal_start(previous_end: date) -> date:
    """A renewed term starts the day after the previous one ends."""
    return previous_end + ONE_DAY


def day_after(day: date) -> date:
    return day + ONE_DAY


def dismissal_last_day(decided_on: date, term_start: date) -> date:
    """A dismissal takes effect on the day it is decided (解聘生效日), so the last day served
    (最后任职日) is the day before; never before the term's first day."""
    return max(decided_on - ONE_DAY, term_start)


def withdrawn_last_day(start: date) -> date:
    """A withdrawn renewal never served: its last day is the day before it would have begun."""
    return start - ONE_DAY


@dataclass(frozen=True)
class PanelLimits:
    """The plan's numbers; an administrator may change them in the settings."""

    min_members: int = 5
    max_members: int = 15
    max_directors: int = 1
    max_deputies: int = 3
    term_years: int = 3


@dataclass(frozen=True)
class Span:
    """Who holds which post from which day to which last day."""

    adviser_id: int | None
    post: str
    start: date
    last: date

    def overlaps(self, start: date, last: date) -> bool:
        return self.start <= last and start <= self.last


class Refusal(enum.Enum):
    """Why an appointment cannot be made."""

    OVERLAP = "overlap"
    PANEL_FULL = "panel_full"
    DIRECTOR_TAKEN = "director_taken"
    DEPUTIES_FULL = "deputies_full"
    BAD_DATES = "bad_dates"


def peak_overlap(spans: Iterable[Span], start: date, last: date) -> int:
    """The most spans covering any single day between start and last, inclusive."""
    changes: dict[date, int] = {}
    for span in spans:
        if span.overlaps(start, last):
            begin, end = max(span.start, start), min(span.last, last)
            changes[begin] = changes.get(begin, 0) + 1
            changes[end + ONE_DAY] = changes.get(end + ONE_DAY, 0) - 1
    peak = running = 0
    for day in sorted(changes):
        running += changes[day]
        peak = max(peak, running)
    return peak


def check_appointment(existing: list[Span], new: Span, limits: PanelLimits) -> Refusal | None:
    """Tell why the new span breaks a panel rule on some day, or None when it does not."""
    if new.last < new.start:
        return Refusal.BAD_DATES
    if any(s.adviser_id == new.adviser_id and s.overlaps(new.start, new.last) for s in existing):
        return Refusal.OVERLAP
    if peak_overlap(existing, new.start, new.last) + 1 > limits.max_members:
        return Refusal.PANEL_FULL
    post_limits = {"director": limits.max_directors, "deputy_director": limits.max_deputies}
    if new.post in post_limits:
        same_post = [s for s in existing if s.post == new.post]
        if peak_overlap(same_post, new.start, new.last) + 1 > post_limits[new.post]:
            return Refusal.DIRECTOR_TAKEN if new.post == "director" else Refusal.DEPUTIES_FULL
    return None


class Shortfall(enum.Enum):
    """Why the panel is not complete on a day."""

    TOO_FEW_MEMBERS = "too_few_members"
    NO_DIRECTOR = "no_director"
    DEPUTIES_MISSING = "deputies_missing"


def panel_shortfalls(members: int, directors: int, deputies: int, limits: PanelLimits):
    """List what the panel lacks: members below the minimum, an empty director or deputy post."""
    found = []
    if members < limits.min_members:
        found.append(Shortfall.TOO_FEW_MEMBERS)
    if directors < limits.max_directors:
        found.append(Shortfall.NO_DIRECTOR)
    if deputies < limits.max_deputies:
        found.append(Shortfall.DEPUTIES_MISSING)
    return found


class LimitProblem(enum.Enum):
    """Why panel limits do not make sense together, or with who serves now."""

    MIN_ABOVE_MAX = "min_above_max"
    POSTS_ABOVE_MAX = "posts_above_max"
    MEMBERS_SERVING = "members_serving"
    DIRECTORS_SERVING = "directors_serving"
    DEPUTIES_SERVING = "deputies_serving"


def limit_problems(
    limits: PanelLimits, members: int, directors: int, deputies: int
) -> list[LimitProblem]:
    """What is wrong with these limits, given how many serve now in all and in each post.

    A minimum above today's panel is allowed: the shortfall warning is the point of it.
    """
    problems = []
    if limits.min_members > limits.max_members:
        problems.append(LimitProblem.MIN_ABOVE_MAX)
    if limits.max_directors + limits.max_deputies > limits.max_members:
        problems.append(LimitProblem.POSTS_ABOVE_MAX)
    if members > limits.max_members:
        problems.append(LimitProblem.MEMBERS_SERVING)
    if directors > limits.max_directors:
        problems.append(LimitProblem.DIRECTORS_SERVING)
    if deputies > limits.max_deputies:
        problems.append(LimitProblem.DEPUTIES_SERVING)
    return problems


def due_reminder(end_on: date, today: date, thresholds=REMINDER_DAYS) -> int | None:
    """The reminder due today for a term ending on end_on: the nearest threshold not yet passed.

    A reminder missed while the scheduler was down is sent late rather than never; an older
    threshold is skipped once a nearer one applies.
    """
    days_left = (end_on - today).days
    if days_left < 0:
        return None
    due = [t for t in thresholds if days_left <= t]
    return min(due) if due else None


def letter_number(pattern: str, year: int, seq: int) -> str:
    """Fill a letter-number pattern such as 江府法顾聘〔{year}〕{seq}号."""
    return pattern.replace("{year}", str(year)).replace("{seq}", str(seq))


def letter_pattern_problem(pattern: str) -> str | None:
    """Name what is wrong with a letter-number pattern, or None when it is usable."""
    if "{seq}" not in pattern:
        return "missing_seq"
    if len(letter_number(pattern, 9999, 99999)) > 60:
        return "too_long"
    return None


class Status(enum.StrEnum):
    """Where an adviser stands on a day, as the list of all advisers shows it."""

    SERVING = "serving"
    #: a recommendation in progress
    PENDING = "pending"
    #: a term ahead, none now
    UPCOMING = "upcoming"
    FORMER = "former"
    #: never appointed, nothing in progress
    NEW = "new"


@dataclass(frozen=True)
class Standing:
    """An adviser's status on a day, with the term or recommendation that explains it."""

    status: Status
    term: object | None = None
    nomination: object | None = None


def standing_on(day: date, terms: list, pending: object | None) -> Standing:
    """The adviser's standing from their terms (oldest first) and their pending recommendation.

    A term is anything with `start_on` and `last_day`; the recommendation, if any, is pending.
    """
    serving = next((t for t in terms if t.start_on <= day <= t.last_day), None)
    if serving is not None:
        return Standing(Status.SERVING, term=serving)
    if pending is not None:
        return Standing(Status.PENDING, nomination=pending)
    ahead = next((t for t in terms if t.last_day >= day), None)
    if ahead is not None:
        return Standing(Status.UPCOMING, term=ahead)
    if terms:
        return Standing(Status.FORMER, term=terms[-1])
    return Standing(Status.NEW)


PHONE_CHARACTERS = frozenset("0123456789+- ()")
#: how many digits a phone number has, fewest to most
PHONE_DIGITS = (5, 20)


class PhoneProblem(enum.Enum):
    CHARACTERS = "characters"
    DIGITS = "digits"


def phone_problem(value: str) -> PhoneProblem | None:
    """What is wrong with a phone number, if anything: other characters than digits, spaces,
    +, - and brackets, or too few or too many digits."""
    if not set(value) <= PHONE_CHARACTERS:
        return PhoneProblem.CHARACTERS
    low, high = PHONE_DIGITS
    return None if low <= phone_digits(value) <= high else PhoneProblem.DIGITS


def phone_digits(value: str) -> int:
    return sum(ch.isdigit() for ch in value)
