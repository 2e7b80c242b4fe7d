"""The panel's pure rules, at their boundaries; no database."""

from dataclasses import dataclass
from datetime import date

import pytest

from advisers import rules
from advisers.rules import PanelLimits, Refusal, Shortfall, Span

LIMITS = PanelLimits()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 1), date(2029, 2, 28)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # leap day start
        (date(2027, 3, 1), date(2030, 2, 28)),
        (date(2025, 3, 1), date(2028, 2, 29)),  # ends on a leap day
        (date(2026, 1, 1), date(2028, 12, 31)),
        (date(2026, 1, 31), date(2029, 1, 30)),  # month end
        (date(2026, 12, 31), date(2029, 12, 30)),
    ],
)
def test_a_term_lasts_three_years_less_one_day(start, end):
    assert rules.term_end(start) == end


def test_term_length_follows_the_setting():
    assert rules.term_end(date(2026, 3, 1), years=1) == date(2027, 2, 28)
    assert rules.term_end(date(2024, 2, 29), years=4) == date(2028, 2, 28)


def test_a_renewal_starts_the_day_after_the_term_ends():
    assert rules.renewal_start(date(2029, 2, 28)) == date(2029, 3, 1)
    assert rules.renewal_start(date(2028, 2, 28)) == date(2028, 2, 29)


def test_add_years_moves_leap_day_to_first_of_march():
    assert rules.add_years(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert rules.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert rules.add_years(date(2024, 2, 29), -3) == date(2021, 3, 1)


def span(adviser, post="member", start=date(2026, 1, 1), last=date(2028, 12, 31)):
    return Span(adviser, post, start, last)


def members(n, **kwargs):
    return [span(i, **kwargs) for i in range(1, n + 1)]


def test_the_fifteenth_member_is_accepted_and_the_sixteenth_refused():
    assert rules.check_appointment(members(14), span(99), LIMITS) is None
    assert rules.check_appointment(members(15), span(99), LIMITS) is Refusal.PANEL_FULL


def test_a_full_panel_refuses_only_terms_that_overlap_its_busy_days():
    full = members(15, last=date(2026, 6, 30))
    assert rules.check_appointment(full, span(99, start=date(2026, 6, 30)), LIMITS) is (
        Refusal.PANEL_FULL
    )
    assert rules.check_appointment(full, span(99, start=date(2026, 7, 1)), LIMITS) is None


def test_peak_overlap_counts_the_busiest_single_day():
    spans = [
        span(1, start=date(2026, 1, 1), last=date(2026, 1, 10)),
        span(2, start=date(2026, 1, 11), last=date(2026, 1, 20)),
        span(3, start=date(2026, 1, 10), last=date(2026, 1, 11)),
    ]
    assert rules.peak_overlap(spans, date(2026, 1, 1), date(2026, 1, 31)) == 2
    assert rules.peak_overlap(spans, date(2026, 1, 12), date(2026, 1, 31)) == 1
    assert rules.peak_overlap(spans, date(2026, 2, 1), date(2026, 2, 2)) == 0


def test_sequential_terms_do_not_add_up():
    chain = [span(i, start=date(2020 + i, 1, 1), last=date(2020 + i, 12, 31)) for i in range(20)]
    assert rules.peak_overlap(chain, date(2020, 1, 1), date(2045, 1, 1)) == 1


def test_a_second_director_is_refused():
    existing = [span(1, post="director")]
    assert rules.check_appointment([], span(2, post="director"), LIMITS) is None
    assert rules.check_appointment(existing, span(2, post="director"), LIMITS) is (
        Refusal.DIRECTOR_TAKEN
    )


def test_a_director_may_follow_when_the_previous_one_has_left():
    existing = [span(1, post="director", last=date(2026, 5, 31))]
    new = span(2, post="director", start=date(2026, 6, 1))
    assert rules.check_appointment(existing, new, LIMITS) is None


def test_the_third_deputy_is_accepted_and_the_fourth_refused():
    deputies = members(2, post="deputy_director")
    assert rules.check_appointment(deputies, span(9, post="deputy_director"), LIMITS) is None
    deputies = members(3, post="deputy_director")
    assert rules.check_appointment(deputies, span(9, post="deputy_director"), LIMITS) is (
        Refusal.DEPUTIES_FULL
    )


def test_members_are_not_limited_by_post():
    assert rules.check_appointment(members(14), span(99, post="member"), LIMITS) is None


def test_an_adviser_cannot_hold_two_terms_at_once():
    existing = [span(1, last=date(2026, 12, 31))]
    touching = span(1, start=date(2026, 12, 31))
    after = span(1, start=date(2027, 1, 1))
    assert rules.check_appointment(existing, touching, LIMITS) is Refusal.OVERLAP
    assert rules.check_appointment(existing, after, LIMITS) is None


def test_dates_in_the_wrong_order_are_refused():
    new = span(1, start=date(2026, 2, 1), last=date(2026, 1, 31))
    assert rules.check_appointment([], new, LIMITS) is Refusal.BAD_DATES


def test_limits_come_from_the_settings():
    small = PanelLimits(max_members=2, max_deputies=1)
    assert rules.check_appointment(members(2), span(9), small) is Refusal.PANEL_FULL
    deputies = [span(1, post="deputy_director")]
    assert rules.check_appointment(deputies, span(2, post="deputy_director"), small) is (
        Refusal.DEPUTIES_FULL
    )


@pytest.mark.parametrize(
    ("members_", "directors", "deputies", "expected"),
    [
        (5, 1, 3, []),
        (4, 1, 3, [Shortfall.TOO_FEW_MEMBERS]),
        (15, 0, 3, [Shortfall.NO_DIRECTOR]),
        (15, 1, 2, [Shortfall.DEPUTIES_MISSING]),
        (0, 0, 0, [Shortfall.TOO_FEW_MEMBERS, Shortfall.NO_DIRECTOR, Shortfall.DEPUTIES_MISSING]),
    ],
)
def test_panel_shortfalls(members_, directors, deputies, expected):
    assert rules.panel_shortfalls(members_, directors, deputies, LIMITS) == expected


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)],
)
def test_the_due_reminder_is_the_nearest_threshold_reached(days_left, expected):
    today = date(2026, 11, 27)
    end = date.fromordinal(today.toordinal() + days_left)
    assert rules.due_reminder(end, today) == expected


def test_letter_numbers_fill_the_pattern():
    pattern = "江府法顾聘〔{year}〕{seq}号"
    assert rules.letter_number(pattern, 2026, 7) == "江府法顾聘〔2026〕7号"
    assert rules.letter_pattern_problem(pattern) is None
    assert rules.letter_pattern_problem("江府法顾聘〔{year}〕号") == "missing_seq"
    assert rules.letter_pattern_problem("{seq}" + "长" * 60) == "too_long"


@dataclass(frozen=True)
class _Term:
    """Anything with start_on and last_day will do."""

    start_on: date
    last_day: date


def _term(start, last):
    return _Term(start, last)


@pytest.mark.parametrize(
    ("day", "pending", "expected"),
    [
        (date(2026, 12, 31), None, rules.Status.UPCOMING),  # the day before the term starts
        (date(2027, 1, 1), None, rules.Status.SERVING),  # its first day
        (date(2029, 12, 31), None, rules.Status.SERVING),  # its last day
        (date(2030, 1, 1), None, rules.Status.FORMER),  # the day after
        (date(2030, 1, 1), "recommended", rules.Status.PENDING),  # a new recommendation
        (date(2027, 6, 1), "recommended", rules.Status.SERVING),  # serving comes first
    ],
)
def test_an_advisers_standing_on_a_day(day, pending, expected):
    term = _term(date(2027, 1, 1), date(2029, 12, 31))
    standing = rules.standing_on(day, [term], pending)
    assert standing.status == expected
    if expected in (rules.Status.SERVING, rules.Status.UPCOMING, rules.Status.FORMER):
        assert standing.term is term
    if expected == rules.Status.PENDING:
        assert standing.nomination == "recommended"


def test_an_adviser_never_appointed_is_new_and_a_former_one_shows_the_last_term():
    assert rules.standing_on(date(2027, 1, 1), [], None).status == rules.Status.NEW
    first = _term(date(2020, 1, 1), date(2022, 12, 31))
    second = _term(date(2023, 1, 1), date(2024, 6, 30))
    assert rules.standing_on(date(2025, 1, 1), [first, second], None).term is second


def test_limits_that_make_no_sense_together_or_with_today():
    default = PanelLimits()
    assert rules.limit_problems(default, members=15, directors=1, deputies=3) == []
    assert rules.limit_problems(PanelLimits(min_members=5, max_members=2), 0, 0, 0) == [
        rules.LimitProblem.MIN_ABOVE_MAX,
        rules.LimitProblem.POSTS_ABOVE_MAX,
    ]
    five = PanelLimits(min_members=1, max_members=4, max_directors=1, max_deputies=3)
    assert rules.limit_problems(five, 4, 1, 3) == []  # the posts fit exactly
    assert rules.limit_problems(five, 5, 1, 3) == [rules.LimitProblem.MEMBERS_SERVING]
    assert rules.limit_problems(PanelLimits(max_directors=0), 15, 1, 3) == [
        rules.LimitProblem.DIRECTORS_SERVING
    ]
    assert rules.limit_problems(PanelLimits(max_deputies=2), 15, 1, 3) == [
        rules.LimitProblem.DEPUTIES_SERVING
    ]
    # a minimum above today's panel is allowed: the warning is the point of it
    assert rules.limit_problems(PanelLimits(min_members=12), 6, 1, 2) == []
