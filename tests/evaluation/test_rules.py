"""The dismissal rule at its boundaries; pure, no database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from evaluation.rules import (
    Ask,
    Attendance,
    DismissalRule,
    Mark,
    Reason,
    attendance_rate,
    evaluate,
    ignored_on,
    months_before,
    near_threshold,
    trailing_absences,
)

RULE = DismissalRule()
TODAY = date(2026, 11, 27)
LONG_AGO = date(2020, 1, 1)
P, E, A = Mark.PRESENT, Mark.EXCUSED, Mark.ABSENT


def history(*marks, last=TODAY, step=30):
    """Meetings every `step` days ending on `last`, oldest first, with these marks."""
    n = len(marks)
    return [
        Attendance(i + 1, last - timedelta(days=step * (n - 1 - i)), mark)
        for i, mark in enumerate(marks)
    ]


def judge(records, since=LONG_AGO, rule=RULE):
    return evaluate(records, rule, TODAY, since)


def test_two_absences_in_a_row_are_not_enough_three_are():
    assert judge(history(P, P, P, P, P, P, A, A)) is None
    finding = judge(history(P, P, P, P, P, P, A, A, A))
    assert finding.reasons == (Reason.CONSECUTIVE,)
    assert [r.meeting_id for r in finding.run] == [7, 8, 9]


def test_an_excused_meeting_neither_counts_nor_breaks_the_run():
    assert judge(history(P, P, P, P, P, A, E, A)) is None
    finding = judge(history(P, P, P, P, P, P, A, E, A, A))
    assert finding is not None and [r.meeting_id for r in finding.run] == [7, 9, 10]


def test_attending_breaks_the_run():
    assert judge(history(A, A, P, A, A, P, P, P)) is None


def test_unrecorded_meetings_are_skipped_like_excused_ones():
    assert len(trailing_absences(history(A, None, A, None))) == 2


@pytest.mark.parametrize(
    ("marks", "rate"),
    [
        ((P, A), Decimal("50.0")),
        ((P, P, A), Decimal("66.7")),
        ((P, E, E, A), Decimal("50.0")),
        ((E, E), None),
        ((), None),
    ],
)
def test_the_rate_leaves_excused_meetings_out(marks, rate):
    assert attendance_rate(history(*marks)) == rate


def test_a_rate_of_exactly_fifty_percent_is_kept():
    # P A P A P A: 50.0%, no run of three
    assert judge(history(P, A, P, A, P, A)) is None


def test_a_rate_just_under_fifty_percent_is_a_candidate():
    rule = DismissalRule(min_rate=Decimal("50"), consecutive_absences=99)
    # 499 of 1000 would be 49.9%; here 4 of 9 = 44.4%, and the threshold is a strict "below"
    finding = judge(history(P, A, P, A, P, A, P, A, A), rule=rule)
    assert finding.reasons == (Reason.LOW_RATE,) and finding.rate == Decimal("44.4")
    just_under = DismissalRule(min_rate=Decimal("50.1"), consecutive_absences=99)
    assert judge(history(P, A, P, A, P, A), rule=just_under).reasons == (Reason.LOW_RATE,)


def test_the_rate_is_judged_only_from_four_meetings_in_the_window():
    rule = DismissalRule(consecutive_absences=99)
    three = history(P, A, A, step=60)
    assert judge(three, rule=rule) is None
    four = history(P, A, A, A, step=60)
    assert judge(four, rule=rule).reasons == (Reason.LOW_RATE,)


def test_a_meeting_exactly_twelve_months_ago_is_in_the_window():
    rule = DismissalRule(consecutive_absences=99)
    start = date(2025, 11, 27)
    records = [
        Attendance(1, start, A),
        Attendance(2, date(2026, 3, 1), P),
        Attendance(3, date(2026, 6, 1), A),
        Attendance(4, date(2026, 9, 1), A),
    ]
    assert judge(records, rule=rule).window_start == start
    assert judge(records, rule=rule).reasons == (Reason.LOW_RATE,)
    one_day_older = [Attendance(1, start - timedelta(days=1), A), *records[1:]]
    assert judge(one_day_older, rule=rule) is None  # only three meetings left in the window


def test_only_meetings_after_appointment_count():
    records = history(A, A, A, step=30)
    assert judge(records, since=records[1].day) is None  # only two after the appointment
    assert judge(records, since=records[0].day) is not None
    rule = DismissalRule(consecutive_absences=99)
    mixed = history(A, A, A, A, A, P, P, P, P, step=30)
    assert judge(mixed, rule=rule).reasons == (Reason.LOW_RATE,)  # 4 of 9 attended...
    assert judge(mixed, since=mixed[5].day, rule=rule) is None  # ...but all since appointment


def test_both_reasons_can_apply_together():
    finding = judge(history(P, A, A, A))
    assert set(finding.reasons) == {Reason.CONSECUTIVE, Reason.LOW_RATE}


def test_the_evidence_key_changes_only_with_new_absences():
    first = judge(history(P, P, P, P, P, A, A, A))
    same = judge(history(P, P, P, P, P, A, A, A, E))
    more = judge(history(P, P, P, P, P, A, A, A, A))
    assert first.key == same.key != more.key


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 11, 27), 12) == date(2025, 11, 27)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)


def test_near_threshold_warns_one_absence_early():
    assert near_threshold(history(P, P, P, P, P, P, A, A), RULE, TODAY, LONG_AGO)
    assert not near_threshold(history(P, P, P, P, P, P, P, A), RULE, TODAY, LONG_AGO)


@pytest.mark.parametrize(("attended", "flagged"), [(500, False), (499, True)])
def test_fifty_percent_is_kept_and_forty_nine_point_nine_is_not(attended, flagged):
    rule = DismissalRule(consecutive_absences=10_000)
    marks = [P] * attended + [A] * (1000 - attended)
    records = [Attendance(i, TODAY - timedelta(days=i % 300), m) for i, m in enumerate(marks)]
    finding = judge(records, rule=rule)
    assert attendance_rate(records) == (Decimal("49.9") if flagged else Decimal("50.0"))
    assert (finding is not None) is flagged


# --- issue 7: what an independent check of the rule found ------------------------------


def test_the_rate_is_compared_exactly_not_after_rounding():
    """Two of three is 66.666…%: under a 66.7% threshold, though it shows as 66.7%."""
    rule = DismissalRule(min_rate=Decimal("66.7"), min_meetings=3)
    finding = judge(history(P, A, P), rule=rule)
    assert finding is not None and finding.reasons == (Reason.LOW_RATE,)
    assert finding.rate == Decimal("66.7")  # shown rounded
    assert (
        judge(history(P, A, P), rule=DismissalRule(min_rate=Decimal("66.6"), min_meetings=3))
        is None
    )


def _at(day, hour):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_in_a_row_follows_the_start_time_within_a_day():
    """Meeting 9 was planned later but held in the morning; meeting 8 in the afternoon."""
    day = TODAY - timedelta(days=1)
    records = [
        *history(P, P, P, P, P, A, A, last=TODAY - timedelta(days=30), step=20),
        Attendance(9, day, A, _at(day, 1)),
        Attendance(8, day, P, _at(day, 7)),
    ]
    assert trailing_absences(records) == ()
    assert judge(records) is None
    records[-1] = Attendance(8, day, A, _at(day, 7))
    assert [r.meeting_id for r in trailing_absences(records)] == [6, 7, 9, 8]


def test_the_minimum_counts_only_meetings_that_enter_the_rate():
    """One absence and three excused meetings: one meeting judged, too few for a rate."""
    assert judge(history(A, E, E, E, step=20)) is None
    # four judged meetings, one attended: 25% is judged
    assert judge(history(P, A, E, A, A, step=20)).reasons == (Reason.CONSECUTIVE, Reason.LOW_RATE)


def test_the_window_still_includes_the_meeting_exactly_twelve_months_before():
    start = months_before(TODAY, 12)
    rule = DismissalRule(min_rate=Decimal("60"))

    def records(first_day):
        later = [(2, 40, A), (3, 80, P), (4, 120, P)]
        return [Attendance(1, first_day, A)] + [
            Attendance(i, start + timedelta(days=d), mark) for i, d, mark in later
        ]

    assert judge(records(start), rule=rule).reasons == (Reason.LOW_RATE,)  # 2 of 4
    assert judge(records(start - timedelta(days=1)), rule=rule) is None  # 2 of 3, too few


# --- the government's affairs: matters declined or left unanswered -------------------------


def declined(n: int, on: date = TODAY, first: int = 1) -> list[Ask]:
    return [Ask(first + i, on - timedelta(days=3), on, declined=True) for i in range(n)]


def judge_asks(asks, since=LONG_AGO, rule=RULE, today=TODAY):
    return evaluate(history(P, P, P, P), rule, today, since, asks)


def test_two_matters_declined_are_not_enough_three_are():
    assert judge_asks(declined(2)) is None
    finding = judge_asks(declined(3))
    assert finding.reasons == (Reason.IGNORED,) and finding.ignored_ids == {1, 2, 3}


def test_a_matter_unanswered_counts_once_its_days_to_answer_run_out():
    """Ten days to answer: assigned 10 days ago it is ignored today; 9 days ago, not yet."""
    two = declined(2)
    assert judge_asks([*two, Ask(9, TODAY - timedelta(days=9))]) is None
    finding = judge_asks([*two, Ask(9, TODAY - timedelta(days=10))])
    assert finding.ignored_ids == {1, 2, 9}
    assert ignored_on(Ask(9, TODAY - timedelta(days=10)), RULE, TODAY) == TODAY


def test_a_matter_accepted_late_is_not_ignored():
    late = Ask(9, TODAY - timedelta(days=40), answered_on=TODAY - timedelta(days=5))
    assert ignored_on(late, RULE, TODAY) is None
    assert judge_asks([*declined(2), late]) is None


def test_matters_ignored_count_only_in_the_window_and_since_the_appointment():
    """The window is the rate's: 12 months back to the same calendar day, both ends in."""
    edge = months_before(TODAY, 12)
    assert judge_asks([*declined(2), *declined(1, on=edge, first=5)]) is not None
    outside = declined(1, on=edge - timedelta(days=1), first=5)
    assert judge_asks([*declined(2), *outside]) is None
    assert judge_asks(declined(3), since=TODAY + timedelta(days=1)) is None


def test_a_finding_on_matters_keys_on_the_matters_and_attendance_keys_stay_as_they_were():
    absences = history(P, A, A, A)
    alone = evaluate(absences, RULE, TODAY, LONG_AGO)
    both = evaluate(absences, RULE, TODAY, LONG_AGO, declined(3))
    assert Reason.CONSECUTIVE in both.reasons and Reason.IGNORED in both.reasons
    assert alone.key != both.key
    assert alone.key == evaluate(absences, RULE, TODAY, LONG_AGO, declined(2)).key


def test_the_office_sets_how_many_matters_and_how_many_days():
    strict = DismissalRule(ignored_matters=1, answer_days=3)
    assert judge_asks([Ask(1, TODAY - timedelta(days=3))], rule=strict) is not None
    assert judge_asks([Ask(1, TODAY - timedelta(days=2))], rule=strict) is None
