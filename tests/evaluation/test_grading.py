"""The yearly evaluation's scheme at its boundaries; pure, no database."""

from decimal import Decimal

import pytest

from evaluation.grading import (
    Grade,
    Scheme,
    SchemeProblem,
    grade_for,
    rate,
    scheme_problems,
    score,
    shown,
)

SCHEME = Scheme()  # 40 / 20 / 20 / 20; 优秀 90, 称职 75, 基本称职 60
D = Decimal


def test_the_plan_s_scheme_can_be_used():
    assert scheme_problems(SCHEME) == []


@pytest.mark.parametrize(("weights", "ok"), [
    ((40, 20, 20, 19), False), ((40, 20, 20, 20), True), ((40, 20, 20, 21), False),
    ((100, 0, 0, 0), True),
])  # fmt: skip
def test_weights_must_add_up_to_exactly_100(weights, ok):
    scheme = Scheme(*weights)
    assert (scheme_problems(scheme) == []) is ok
    if not ok:
        assert scheme_problems(scheme) == [("attendance", SchemeProblem.WEIGHTS_TOTAL)]


def test_a_weight_out_of_range_is_named_by_its_field():
    assert scheme_problems(Scheme(attendance=-1, answered=61)) == [
        ("attendance", SchemeProblem.WEIGHT_RANGE)
    ]
    assert ("adoption", SchemeProblem.WEIGHT_RANGE) in scheme_problems(Scheme(adoption=101))


@pytest.mark.parametrize(("thresholds", "problem"), [
    ((90, 75, 60), None), ((75, 75, 60), SchemeProblem.THRESHOLD_ORDER),
    ((90, 60, 60), SchemeProblem.THRESHOLD_ORDER), ((101, 75, 60), SchemeProblem.THRESHOLD_RANGE),
    ((90, 75, 0), SchemeProblem.THRESHOLD_RANGE), ((3, 2, 1), None),
])  # fmt: skip
def test_each_grade_needs_a_higher_score_than_the_one_below(thresholds, problem):
    excellent, competent, basic = thresholds
    found = scheme_problems(Scheme(excellent=excellent, competent=competent, basic=basic))
    assert [p for _field, p in found] == ([problem] if problem else [])


@pytest.mark.parametrize(("value", "grade"), [
    (D("90"), Grade.EXCELLENT), (D("89.99"), Grade.COMPETENT), (D("75"), Grade.COMPETENT),
    (D("74.99"), Grade.BASIC), (D("60"), Grade.BASIC), (D("59.99"), Grade.INCOMPETENT),
    (D("0"), Grade.INCOMPETENT), (None, None),
])  # fmt: skip
def test_a_score_earns_its_grade_at_the_threshold_itself(value, grade):
    assert grade_for(value, SCHEME) is grade


def test_the_score_weighs_the_four_rates():
    rates = {"attendance": D(100), "answered": D(50), "on_time": D(75), "adoption": D(0)}
    assert score(rates, SCHEME) == D(40 * 100 + 20 * 50 + 20 * 75 + 0) / 100  # 65


def test_a_rate_with_nothing_under_it_is_left_out_and_the_rest_weighed_to_100():
    """No opinion delivered: attendance and answers alone, 40 : 20."""
    rates = {"attendance": D(90), "answered": D(60), "on_time": None, "adoption": None}
    assert score(rates, SCHEME) == (D(40) * 90 + D(20) * 60) / 60  # 80
    assert score(dict.fromkeys(rates), SCHEME) is None


def test_a_rate_weighed_zero_does_not_count_even_when_present():
    scheme = Scheme(attendance=100, answered=0, on_time=0, adoption=0)
    assert score({"attendance": D(55), "answered": D(100)}, scheme) == D(55)


def test_the_score_is_compared_exactly_and_only_shown_rounded():
    """59.96 is shown as 60.0 but stays below 基本称职's 60."""
    almost = rate(1499, 2500)
    only_attendance = Scheme(attendance=100, answered=0, on_time=0, adoption=0)
    assert shown(almost) == D("60.0")
    assert grade_for(score({"attendance": almost}, only_attendance), SCHEME) is Grade.INCOMPETENT
    assert rate(0, 0) is None
