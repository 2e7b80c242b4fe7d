"""The dismissal rule (解聘) as pure code: runs of absences and the rate. No database, no Flask.

Seed 六.4 dismisses advisers who long fail to attend panel meetings. How the rule reads the
attendance, as the office sees it on screen:
- Only held meetings on or after the adviser's (unbroken) appointment count.
- Excused meetings are left out of the rate, and in a run of absences they neither add to the
  run nor break it.
- The rate is judged only when at least the minimum number of meetings (4) that enter the rate
  (attended or missed without excuse) fall in the window (the last 12 months by default, from
  the same calendar day, both ends included). It is compared exactly; only the display rounds.
- "In a row" follows the order the meetings were held in: by day, then start time.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
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


class Reason(enum.StrEnum):
    CONSECUTIVE = "consecutive"
    LOW_RATE = "low_rate"


@dataclass(frozen=True)
class Finding:
    """Why an adviser meets the dismissal rule, with the evidence behind it."""

    reasons: tuple[Reason, ...]
    run: tuple[Attendance, ...] = ()
    window: tuple[Attendance, ...] = ()
    rate: Decimal | None = None
    window_start: date | None = None

    @property
    def missed_ids(self) -> set[int]:
        """The meetings missed without excuse that this finding rests on."""
        return {a.meeting_id for a in (*self.run, *self.window) if a.mark == Mark.ABSENT}

    @property
    def key(self) -> str:
        """Identifies the evidence, so the same finding is never raised twice."""
        text = ",".join(sorted(self.reasons)) + ":" + ",".join(map(str, sorted(self.missed_ids)))
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
    records: Sequence[Attendance], rule: DismissalRule, today: date, serving_since: date
) -> Finding | None:
    """Judge one adviser: a Finding when the rule is met, else None."""
    reasons = []
    run = trailing_absences(served(records, today, serving_since))
    if len(run) >= rule.consecutive_absences:
        reasons.append(Reason.CONSECUTIVE)
    else:
        run = ()
    window = window_of(records, rule, today, serving_since)
    if _rate_below(window, rule.min_rate, rule.min_meetings):
        reasons.append(Reason.LOW_RATE)
    if not reasons:
        return None
    return Finding(
        reasons=tuple(reasons),
        run=run,
        window=window if Reason.LOW_RATE in reasons else (),
        rate=attendance_rate(window),
        window_start=months_before(today, rule.window_months),
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
