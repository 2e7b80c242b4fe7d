"""The register's pure rules: reading a fee, a contract's state, when it is ending soon."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from consultations.engagements import rules
from consultations.engagements.rules import FeeError, FeeProblem, State, parse_fee, state_on


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("12345", "12345.00"),
        ("12,345.5", "12345.50"),
        ("1,234,567.89", "1234567.89"),
        ("¥12,345", "12345.00"),
        ("￥800", "800.00"),  # the full-width yuan sign
        ("１２３４５元", "12345.00"),  # typed with a Chinese input method
        (" 0 ", "0.00"),
        ("0.10", "0.10"),
        ("5.230", "5.23"),  # a third place that is zero changes nothing
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_a_fee_is_read_in_yuan_with_two_places(raw, amount):
    fee = parse_fee(raw)
    assert fee == Decimal(amount) and str(fee) == amount


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_no_fee_is_none(raw):
    assert parse_fee(raw) is None


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("abc", FeeProblem.NOT_A_NUMBER),
        ("12,34", FeeProblem.NOT_A_NUMBER),
        ("1e5", FeeProblem.NOT_A_NUMBER),
        ("NaN", FeeProblem.NOT_A_NUMBER),
        ("Infinity", FeeProblem.NOT_A_NUMBER),
        ("12.", FeeProblem.NOT_A_NUMBER),
        ("1.2.3", FeeProblem.NOT_A_NUMBER),
        ("五万元", FeeProblem.NOT_A_NUMBER),
        ("-1", FeeProblem.NEGATIVE),
        ("-0.01", FeeProblem.NEGATIVE),
        ("1.234", FeeProblem.TOO_MANY_PLACES),
        ("0.001", FeeProblem.TOO_MANY_PLACES),
        ("1000000000000", FeeProblem.TOO_LARGE),
    ],
)
def test_a_fee_that_is_not_an_amount_is_refused_with_the_reason(raw, problem):
    with pytest.raises(FeeError) as refused:
        parse_fee(raw)
    assert refused.value.problem is problem


def test_a_decimal_fee_is_checked_too():
    assert parse_fee(Decimal("12")) == Decimal("12.00")
    for amount, problem in [
        (Decimal("-5"), FeeProblem.NEGATIVE),
        (Decimal("1.005"), FeeProblem.TOO_MANY_PLACES),
        (Decimal("NaN"), FeeProblem.NOT_A_NUMBER),
    ]:
        with pytest.raises(FeeError) as refused:
            parse_fee(amount)
        assert refused.value.problem is problem


DAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("start", "end", "state"),
    [
        (DAY - timedelta(days=400), DAY - timedelta(days=1), State.ENDED),
        (DAY - timedelta(days=100), DAY, State.ENDING),  # its last day is today
        (DAY - timedelta(days=100), DAY + timedelta(days=30), State.ENDING),
        (DAY - timedelta(days=100), DAY + timedelta(days=31), State.IN_FORCE),
        (DAY, DAY + timedelta(days=365), State.IN_FORCE),  # its first day is today
        (DAY + timedelta(days=1), DAY + timedelta(days=365), State.UPCOMING),
    ],
)
def test_a_contract_state_on_a_day(start, end, state):
    assert state_on(start, end, DAY, 30) is state


def test_ending_soon_counts_the_last_reminded_day_in():
    assert rules.ends_within(DAY + timedelta(days=30), DAY, 30)
    assert not rules.ends_within(DAY + timedelta(days=31), DAY, 30)
    assert not rules.ends_within(DAY - timedelta(days=1), DAY, 30)


def test_the_reminder_is_keyed_by_the_engagement_and_its_end():
    assert rules.reminder_key(7, DAY) == "engagement-ending:7:2026-06-01"
