"""Statutory periods on the real 2025–2026 calendar (issue 9, point 3): days, working days,
months and years; periods ending in Spring Festival and National Day, on a make-up working
day, or across a holiday; month ends; years not loaded. Pure: the calendar is built from the
chinese-calendar package, as the holiday table is seeded."""

from datetime import date

import pytest

from core.workdays.models import DayKind
from core.workdays.periods import Period, Step, Unit, add_months, extended, period_end
from core.workdays.rules import WorkCalendar
from core.workdays.seed import package_days

D = date


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    """2004–2026 as the State Council's notices set them; 2027 on is not loaded."""
    years = package_days()
    days = [(day, kind) for year in years.values() for day, (kind, _name) in year.items()]
    return WorkCalendar.of(
        (day for day, kind in days if kind == DayKind.OFF),
        (day for day, kind in days if kind == DayKind.WORK),
        years,
    )


def end(calendar, start, period):
    return period_end(calendar, start, Period.parse(period))


# --- reading a period ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count", "unit"),
    [
        ("15d", 15, Unit.DAYS),
        ("10WD", 10, Unit.WORKING_DAYS),
        (" 6m ", 6, Unit.MONTHS),
        ("2y", 2, Unit.YEARS),
        ("3660d", 3660, Unit.DAYS),
    ],
)
def test_a_period_is_read_from_its_count_and_unit(text, count, unit):
    period = Period.parse(text)
    assert (period.count, period.unit) == (count, unit)
    assert str(period) == f"{count}{unit}"


@pytest.mark.parametrize("text", ["", "15", "d", "0d", "-1d", "1.5d", "15x", "3661d", "11y"])
def test_anything_else_is_not_a_period(text):
    with pytest.raises(ValueError):
        Period.parse(text)


# --- days ---------------------------------------------------------------------------------


def test_the_start_day_is_not_counted(calendar):
    """15 days from 2025-01-15 nominally end on 01-30, inside Spring Festival 2025 (28 January
    to 4 February): the period ends on Wednesday 5 February."""
    result = end(calendar, D(2025, 1, 15), "15d")
    assert result.nominal == D(2025, 1, 30)
    assert result.day == D(2025, 2, 5)
    assert result.steps == (Step.ROLLED_FORWARD,)


def test_a_period_ending_inside_national_day_ends_on_the_first_working_day_after(calendar):
    """1–8 October 2025 are off: the 15 days from 16 September end on Thursday 9 October."""
    result = end(calendar, D(2025, 9, 16), "15d")
    assert (result.nominal, result.day) == (D(2025, 10, 1), D(2025, 10, 9))
    assert not result.is_provisional


def test_a_period_ending_inside_spring_festival_2026_ends_after_it(calendar):
    """15–23 February 2026 are off: the 15 days from 1 February end on Tuesday 24 February,
    and the 10 days of an appeal against a ruling served on 10 February too."""
    assert end(calendar, D(2026, 2, 1), "15d").day == D(2026, 2, 24)
    assert end(calendar, D(2026, 2, 10), "10d").day == D(2026, 2, 24)


@pytest.mark.parametrize(
    ("start", "last_day"),
    [
        (D(2025, 9, 26), D(2025, 10, 11)),  # Saturday 11 October 2025, worked
        (D(2025, 9, 13), D(2025, 9, 28)),  # Sunday 28 September 2025, worked
        (D(2026, 1, 30), D(2026, 2, 14)),  # Saturday 14 February 2026, worked
    ],
)
def test_a_period_ending_on_a_make_up_working_day_ends_there(calendar, start, last_day):
    result = end(calendar, start, "15d")
    assert result.day == last_day
    assert result.steps == (Step.MAKE_UP_DAY,)


def test_a_holiday_inside_a_period_gives_no_extension(calendar):
    """15 days from 25 September 2025 run through the whole National Day holiday and still end
    on Friday 10 October."""
    result = end(calendar, D(2025, 9, 25), "15d")
    assert result.day == D(2025, 10, 10)
    assert result.steps == ()


def test_a_period_ending_on_an_ordinary_weekend_ends_on_monday(calendar):
    """60 days from 10 September 2025 end on Sunday 9 November: Monday 10 November."""
    assert end(calendar, D(2025, 9, 10), "60d").day == D(2025, 11, 10)


# --- months and years ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 6, 30), 2, D(2025, 8, 30)),
        (D(2028, 2, 29), 1, D(2028, 3, 29)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
    ],
)
def test_months_end_on_the_same_day_number_or_the_months_last_day(start, months, expected):
    assert add_months(start, months) == expected


def test_a_month_from_31_january_ends_on_the_make_up_saturday_28_february_2026(calendar):
    """28 February 2026 is a Saturday worked for Spring Festival: the period ends there."""
    result = end(calendar, D(2026, 1, 31), "1m")
    assert result.day == D(2026, 2, 28)
    assert result.steps == (Step.MONTH_END, Step.MAKE_UP_DAY)


def test_six_months_from_31_august_2025(calendar):
    assert end(calendar, D(2025, 8, 31), "6m").day == D(2026, 2, 28)
    assert end(calendar, D(2025, 8, 31), "1m").day == D(2025, 9, 30)
    assert end(calendar, D(2025, 8, 31), "2m").day == D(2025, 10, 31)


def test_a_retrial_period_from_31_august_2026_ends_in_a_year_not_loaded(calendar):
    """2027-02-28 is a Sunday in a year whose notice is not loaded: Monday 1 March, provisional."""
    result = end(calendar, D(2026, 8, 31), "6m")
    assert result.day == D(2027, 3, 1)
    assert result.is_provisional


def test_two_years_from_29_february(calendar):
    result = end(calendar, D(2024, 2, 29), "2y")
    assert result.day == D(2026, 2, 28)
    assert Step.MONTH_END in result.steps


# --- working days (行政复议法 第八十八条) ---------------------------------------------------


def test_five_working_days_skip_national_day_and_count_the_make_up_sunday(calendar):
    """From Friday 26 September 2025: 28 (Sunday, worked), 29, 30 September, 9, 10 October."""
    result = end(calendar, D(2025, 9, 26), "5wd")
    assert result.day == D(2025, 10, 10)
    assert result.steps == (Step.WORKING_DAYS,)


def test_ten_working_days_across_national_day_2025(calendar):
    """From 30 September: 9, 10, 11 (Saturday, worked), 13–17, 20, 21 October."""
    assert end(calendar, D(2025, 9, 30), "10wd").day == D(2025, 10, 21)


def test_working_days_across_spring_festival_2026(calendar):
    """From Friday 13 February 2026: 14 (Saturday, worked), 24, 25, 26, 27 February."""
    assert end(calendar, D(2026, 2, 13), "5wd").day == D(2026, 2, 27)


# --- extensions and provisional dates --------------------------------------------------


def test_an_extension_runs_from_the_nominal_last_day_the_earlier_date(calendar):
    """60 days from 2 August 2025 nominally end on 1 October (rolled to 9 October); the 30-day
    extension counts from 1 October, ending on 31 October, not from 9 October."""
    decision = end(calendar, D(2025, 8, 2), "60d")
    assert decision.day == D(2025, 10, 9)
    longer = extended(calendar, decision, Period.parse("30d"))
    assert longer.day == D(2025, 10, 31)
    assert Step.EXTENDED_FROM_NOMINAL in longer.steps


def test_an_extension_of_a_period_that_did_not_move_says_nothing_more(calendar):
    decision = end(calendar, D(2025, 9, 10), "60d")  # ends Monday 10 November, moved
    plain = end(calendar, D(2025, 9, 12), "60d")  # Tuesday 11 November, not moved
    assert Step.EXTENDED_FROM_NOMINAL in extended(calendar, decision, Period.parse("30d")).steps
    assert extended(calendar, plain, Period.parse("30d")).steps == ()


@pytest.mark.parametrize(
    ("start", "provisional"),
    [
        (D(2026, 12, 1), False),  # ends 16 December 2026: loaded
        (D(2026, 12, 10), True),  # ends 25 December: next year's notice may still move it
        (D(2026, 12, 20), True),  # ends 4 January 2027: not loaded
    ],
)
def test_a_period_reaching_a_year_not_loaded_is_provisional(calendar, start, provisional):
    assert end(calendar, start, "15d").is_provisional is provisional


def test_a_loaded_year_makes_a_provisional_date_final():
    start = D(2027, 3, 1)
    unloaded = WorkCalendar.of(loaded_years=[2026])
    loaded = WorkCalendar.of(loaded_years=[2026, 2027, 2028])
    assert period_end(unloaded, start, Period.parse("10wd")).is_provisional
    assert not period_end(loaded, start, Period.parse("10wd")).is_provisional
