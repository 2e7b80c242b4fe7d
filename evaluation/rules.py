"""The dismissal rule (解聘) as pure code: runs of absences and the rate. No database, no Flask.

Seed 六.4 dismisses advisers who long fail to attend panel meetings and ignore the government's
affairs (长期不参加顾问团会议、对政府事务不闻不问). How the rule reads the attendance, as the
office sees it on screen:
- Only held meetings on or after the adviser's (unbroken) appointment count.
- Excused meetings are left out of the rate, and in a run of absences they neither add to the
  run nor break it.
- The rate is judged only when at least the minimum number of meetings (4) that enter the rate
  (attended or missed without excuse) fall in the window (the last 12 months by default, from
  the same calendar day, both ends included). It is compared exactly; only the display rounds.
- "In a row" follows the order the meetings were held in: by day, then start time.

And the government's affairs: the matters the office assigned that the adviser declined (other
than for a declared conflict of interest, which is the right answer) or left unanswered for
longer than the days to answer. Each is dated by the day it was declined, or by the day the
days to answer ran out, and counts when that day falls in the same window as the rate.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from meetings.rules import (
    Attendance,
    Mark,
    attendance_rate,
    counts,
    exact_rate,
    in_window,
    months_before,
)


@dataclass(frozen=True)
class DismissalRule:
    """The thresholds; an administrator may change them, and every change is a new version."""

    consecutive_absences: int = 3
    min_rate: Decimal = Decimal("50")
    window_months: int = 12
    min_meetings: int = 4
    #: matters declined or left unanswered in the window that raise the adviser
    ignored_matters: int = 3
    #: days an adviser has to answer an assignment before it counts as left unanswered
    answer_days: int = 10


class Reason(enum.StrEnum):
    CONSECUTIVE = "consecutive"
    LOW_RATE = "low_rate"
    IGNORED = "ignored"
    #: graded 不称职 in a final yearly evaluation (raised by the evaluation, not by this rule)
    INCOMPETENT = "incompetent"


@dataclass(frozen=True)
class Ask:
    """An assignment as the rule reads it: when it was made, and when and how it was answered.
    Assignments declined for a declared conflict and those withdrawn are not given to the
    rule."""

    assignment_id: int
    assigned_on: date
    answered_on: date | None = None
    declined: bool = False


def ignored_on(ask: Ask, rule: DismissalRule, today: date) -> date | None:
    """The day an assignment became ignored: declined that day, or unanswered once the days to
    answer ran out (on or before today); None when it was accepted or may still be answered."""
    if ask.declined:
        return ask.answered_on
    if ask.answered_on is not None:
        return None
    ran_out = ask.assigned_on + timedelta(days=rule.answer_days)
    return ran_out if ran_out <= today else None


def ignored_in_window(
    asks: Sequence[Ask], rule: DismissalRule, today: date, serving_since: date
) -> tuple[Ask, ...]:
    """The assignments declined or left unanswered on a day of the rule's window."""
    start = max(months_before(today, rule.window_months), serving_since)
    found = []
    for ask in asks:
        day = ignored_on(ask, rule, today)
        if day is not None and start <= day <= today:
            found.append(ask)
    return tuple(sorted(found, key=lambda a: (a.assigned_on, a.assignment_id)))


@dataclass(frozen=True)
class Finding:
    """Why an adviser meets the dismissal rule, with the evidence behind it."""

    reasons: tuple[Reason, ...]
    run: tuple[Attendance, ...] = ()
    window: tuple[Attendance, ...] = ()
    rate: Decimal | None = None
    window_start: date | None = None
    ignored: tuple[Ask, ...] = ()

    @property
    def missed_ids(self) -> set[int]:
        """The meetings missed without excuse that this finding rests on."""
        return {a.meeting_id for a in (*self.run, *self.window) if a.mark == Mark.ABSENT}

    @property
    def ignored_ids(self) -> set[int]:
        """The assignments declined or left unanswered that this finding rests on."""
        return {a.assignment_id for a in self.ignored}

    @property
    def key(self) -> str:
        """Identifies the evidence, so the same finding is never raised twice."""
        text = ",".join(sorted(self.reasons)) + ":" + ",".join(map(str, sorted(self.missed_ids)))
        if self.ignored:  # a finding on attendance alone keeps the key it always had
            text += ":a" + ",".join(map(str, sorted(self.ignored_ids)))
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def trailing_absences(records: Sequence[Attendance]) -> tuple[Attendance, ...]:
    """The latest run of unexcused absences; excused meetings inside it are skipped over."""
    run: list[Attendance] = []
    for record in sorted(records, key=lambda r: r.order, reverse=True):
        if record.mark == Mark.ABSENT:
            run.append(record)
        elif record.mark == Mark.PRESENT:
            break
        # excused or unrecorded: neither counts nor breaks the run
    return tuple(reversed(run))


def served(records: Sequence[Attendance], today: date, serving_since: date) -> list[Attendance]:
    """The meetings the rule reads: held from the start of unbroken service up to today."""
    return [r for r in records if serving_since <= r.day <= today]


def window_of(
    records: Sequence[Attendance], rule: DismissalRule, today: date, serving_since: date
) -> tuple[Attendance, ...]:
    """The meetings of the rule's window, as the rule and every page showing a rate read them."""
    return in_window(served(records, today, serving_since), today, rule.window_months)


def _rate_below(window: Sequence[Attendance], threshold: Decimal, minimum: int) -> bool:
    attended, missed = counts(window)
    rate = exact_rate(attended, missed)
    return attended + missed >= max(minimum, 1) and rate is not None and rate < threshold


def evaluate(
    records: Sequence[Attendance],
    rule: DismissalRule,
    today: date,
    serving_since: date,
    asks: Sequence[Ask] = (),
) -> Finding | None:
    """Judge one adviser on their meetings and assignments: a Finding when the rule is met."""
    reasons = []
    run = trailing_absences(served(records, today, serving_since))
    if len(run) >= rule.consecutive_absences:
        reasons.append(Reason.CONSECUTIVE)
    else:
        run = ()
    window = window_of(records, rule, today, serving_since)
    if _rate_below(window, rule.min_rate, rule.min_meetings):
        reasons.append(Reason.LOW_RATE)
    ignored = ignored_in_window(asks, rule, today, serving_since)
    if len(ignored) >= rule.ignored_matters:
        reasons.append(Reason.IGNORED)
    else:
        ignored = ()
    if not reasons:
        return None
    return Finding(
        reasons=tuple(reasons),
        run=run,
        window=window if Reason.LOW_RATE in reasons else (),
        rate=attendance_rate(window),
        window_start=months_before(today, rule.window_months),
        ignored=ignored,
    )


def near_threshold(
    records: Sequence[Attendance], rule: DismissalRule, today: date, serving_since: date
) -> bool:
    """Tell an adviser they are one absence from the rule, or already under the rate."""
    run = trailing_absences(served(records, today, serving_since))
    if len(run) >= rule.consecutive_absences - 1:
        return True
    window = window_of(records, rule, today, serving_since)
    return _rate_below(window, rule.min_rate + 10, 1)
