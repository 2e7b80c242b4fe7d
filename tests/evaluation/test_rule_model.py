"""The dismissal rule against an independent model of it, over generated histories.

The model is written from the office's description of the rule, not from the code: it shares
no function with `evaluation.rules`. Hypothesis generates the histories: several meetings on one
day, excused and unrecorded marks, service that starts mid-history, thresholds at their edges.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.rules import Attendance, DismissalRule, Mark, Reason, evaluate

TODAY = date(2026, 11, 27)
MARKS = [Mark.PRESENT, Mark.EXCUSED, Mark.ABSENT, None]


def model_window_start(today: date, months: int) -> date:
    """The same calendar day that many months earlier, the month's last day when shorter."""
    month_index = today.year * 12 + (today.month - 1) - months
    year, month = month_index // 12, month_index % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def model(meetings, rule: DismissalRule, since: date, today: date = TODAY) -> set[Reason]:
    """meetings: (starts_at, meeting_id, mark). The reasons the rule is met for, if any."""
    counted = [m for m in meetings if since <= m[0].date() <= today]
    reasons = set()
    run = 0
    for _starts_at, _id, mark in sorted(counted, reverse=True):
        if mark == Mark.PRESENT:
            break
        if mark == Mark.ABSENT:
            run += 1
    if run >= rule.consecutive_absences:
        reasons.add(Reason.CONSECUTIVE)
    start = model_window_start(today, rule.window_months)
    window = [m for m in counted if m[0].date() >= start]
    present = sum(1 for m in window if m[2] == Mark.PRESENT)
    absent = sum(1 for m in window if m[2] == Mark.ABSENT)
    judged = present + absent >= rule.min_meetings and present + absent > 0
    if judged and Fraction(present * 100, present + absent) < Fraction(rule.min_rate):
        reasons.add(Reason.LOW_RATE)
    return reasons


@st.composite
def histories(draw):
    count = draw(st.integers(0, 14))
    meetings = []
    for meeting_id in draw(st.permutations(range(1, count + 1))):
        days_ago = draw(st.integers(0, 500))
        minute = draw(st.integers(0, 24 * 60 - 1))
        starts_at = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time())
        starts_at = starts_at.replace(tzinfo=UTC) + timedelta(minutes=minute)
        meetings.append((starts_at, meeting_id, draw(st.sampled_from(MARKS))))
    return meetings


rules_ = st.builds(
    DismissalRule,
    consecutive_absences=st.integers(1, 5),
    min_rate=st.sampled_from(
        [
            Decimal("0"),
            Decimal("50"),
            Decimal("66.7"),
            Decimal("66.6"),
            Decimal("75"),
            Decimal("100"),
        ]
    ),
    window_months=st.integers(1, 18),
    min_meetings=st.integers(1, 6),
)


@settings(max_examples=2000, deadline=None)
@given(histories(), rules_, st.integers(0, 600))
def test_the_rule_agrees_with_the_model(meetings, rule, served_days):
    since = TODAY - timedelta(days=served_days)
    records = [Attendance(i, at.date(), mark, at) for at, i, mark in meetings]
    finding = evaluate(records, rule, TODAY, since)
    found = set(finding.reasons) if finding else set()
    assert found == model(meetings, rule, since)
