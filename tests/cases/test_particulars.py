"""The amount in 元 or 万元 and the case number, read at their boundaries (no database)."""

from decimal import Decimal

import pytest

from cases.particulars import (
    WAN,
    YUAN,
    Refused,
    in_wan,
    normalise_case_number,
    to_yuan,
    wan_text,
)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("500000", YUAN, "500000.00"),
        ("499999.99", YUAN, "499999.99"),
        ("50", WAN, "500000.00"),
        ("49.999999", WAN, "499999.99"),
        ("60", WAN, "600000.00"),
        ("600,000.00", YUAN, "600000.00"),
        ("６０００００", YUAN, "600000.00"),
        ("0.01", YUAN, "0.01"),
        ("0.000001", WAN, "0.01"),
        ("999999999999.99", YUAN, "999999999999.99"),
        ("99999999.999999", WAN, "999999999999.99"),
    ],
)
def test_amounts_are_read_as_exact_yuan(text, unit, expected):
    amount = to_yuan(text, unit)
    assert amount == Decimal(expected)
    assert str(amount) == expected


@pytest.mark.parametrize(
    ("text", "unit", "code"),
    [
        ("0", YUAN, "not_positive"),
        ("0.00", WAN, "not_positive"),
        ("-5", YUAN, "not_a_number"),
        ("1e5", YUAN, "not_a_number"),
        ("NaN", YUAN, "not_a_number"),
        ("Infinity", WAN, "not_a_number"),
        ("五十万", YUAN, "not_a_number"),
        ("1.", YUAN, "not_a_number"),
        ("1.234", YUAN, "too_many_decimals"),
        ("49.9999999", WAN, "too_many_decimals"),
        ("1000000000000", YUAN, "too_large"),
        ("100000000", WAN, "too_large"),
        ("1", "jin", "unit"),
    ],
)
def test_bad_amounts_are_refused_with_their_reason(text, unit, code):
    with pytest.raises(Refused) as refused:
        to_yuan(text, unit)
    assert refused.value.code == code


def test_an_empty_amount_means_no_property():
    assert to_yuan("", YUAN) is None
    assert to_yuan("  ", WAN) is None


def test_amounts_are_shown_in_wan_without_trailing_zeros():
    assert in_wan(Decimal("600000.00")) == Decimal(60)
    assert str(in_wan(Decimal("499999.99"))) == "49.999999"
    assert wan_text(Decimal("600000.00")) == "60"
    assert wan_text(Decimal("123456789.00")) == "12,345.6789"
    assert wan_text(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（2026）桂0105行初123号", "（2026）桂0105行初123号"),
        ("(2026)桂0105行初123号", "（2026）桂0105行初123号"),
        (" (2025) 桂01 行终 5号 ", "（2025）桂01行终5号"),
        ("南府复〔2026〕3号", "南府复〔2026〕3号"),
        ("", ""),
    ],
)
def test_case_numbers_are_checked_loosely_and_normalised(text, expected):
    assert normalise_case_number(text) == expected


@pytest.mark.parametrize("text", ["桂0105行初123号", "（26）桂行初1号", "（2026）桂0105行初123"])
def test_a_case_number_without_its_year_or_hao_is_refused(text):
    with pytest.raises(Refused):
        normalise_case_number(text)
