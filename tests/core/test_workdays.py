"""The working-day calendar (issue 8, point 8): counting on the State Council's holidays, the
table seeded from chinese-calendar, years entered by an administrator, provisional dates."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from flask_babel import force_locale
from sqlalchemy import delete, func, select

from core import workdays
from core.errors import DomainError
from core.extensions import db
from core.models import AuditEvent, Role
from core.workdays import (
    CalendarSource,
    DayKind,
    Holiday,
    HolidayYear,
    WorkCalendar,
    add_working_days,
    deadline,
    is_provisional,
    is_provisional_span,
    is_working_day,
    loaded_years,
    missing_next_year,
    next_working_day,
    working_days_between,
)
from core.workdays.notice import changes, group_days, notice_days, read_notice, write_notice
from core.workdays.queries import load_calendar, year_days
from core.workdays.seed import package_days, package_rows, seed_calendar
from core.workdays.services import enter_holiday_year

D = date


@pytest.fixture(autouse=True)
def english(app_ctx):
    """The messages are checked in English (a job or a command speaks Chinese)."""
    with force_locale("en"):
        yield


#: the 2025 notice: 中秋节、国庆节 1–8 October off; Sunday 28 September and Saturday 11 October
#: worked
NATIONAL_DAY_2025_OFF = [D(2025, 10, day) for day in range(1, 9)]
NATIONAL_DAY_2025_WORK = [D(2025, 9, 28), D(2025, 10, 11)]
#: the 2026 notice: Spring Festival 15–23 February off; Saturdays 14 and 28 February worked
SPRING_2026_OFF = [D(2026, 2, day) for day in range(15, 24)]
SPRING_2026_WORK = [D(2026, 2, 14), D(2026, 2, 28)]

LINES_2027 = """\
元旦 2027-01-01 2027-01-03
春节 2027-02-06 2027-02-13 调休 2027-02-14 2027-02-20
国庆节 2027-10-01 2027-10-07 调休 2027-09-26 2027-10-09
"""


def notice_2025() -> WorkCalendar:
    """The 2025 National Day as the notice gives it, with 2025 loaded: pure, no database."""
    return WorkCalendar.of(NATIONAL_DAY_2025_OFF, NATIONAL_DAY_2025_WORK, {2025})


# --- the pure counting --------------------------------------------------------------------


def test_a_day_off_is_no_working_day_and_a_make_up_weekend_is_one():
    calendar = notice_2025()
    assert not calendar.is_working_day(D(2025, 10, 1))  # a Wednesday off
    assert not calendar.is_working_day(D(2025, 10, 4))  # a Saturday inside the holiday
    assert calendar.is_working_day(D(2025, 9, 28))  # a Sunday worked
    assert calendar.is_working_day(D(2025, 10, 11))  # a Saturday worked
    assert calendar.is_working_day(D(2025, 10, 9))  # the Thursday after
    assert not calendar.is_working_day(D(2025, 10, 12))  # an ordinary Sunday


def test_counting_starts_the_day_after_and_skips_the_holiday():
    calendar = notice_2025()
    assert calendar.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert calendar.add_working_days(D(2025, 9, 30), 2) == D(2025, 10, 10)
    assert calendar.add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)  # the make-up Saturday
    assert calendar.add_working_days(D(2025, 9, 30), 4) == D(2025, 10, 13)


def test_a_count_from_a_saturday_passes_through_the_make_up_sunday():
    calendar = notice_2025()
    # received Saturday 27 September: Sunday 28 is worked, so it is the first working day
    assert calendar.add_working_days(D(2025, 9, 27), 1) == D(2025, 9, 28)
    assert calendar.add_working_days(D(2025, 9, 27), 3) == D(2025, 9, 30)
    assert calendar.add_working_days(D(2025, 9, 27), 4) == D(2025, 10, 9)
    # "15 个工作日内": 28, 29, 30 Sept; 9, 10, 11, 13–17, 20–23 Oct
    assert calendar.add_working_days(D(2025, 9, 27), 15) == D(2025, 10, 23)


def test_zero_days_is_the_start_even_on_a_holiday():
    calendar = notice_2025()
    assert calendar.add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 3)
    assert calendar.add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)


def test_a_start_on_a_holiday_counts_from_the_next_working_day():
    calendar = notice_2025()
    assert calendar.add_working_days(D(2025, 10, 3), 1) == D(2025, 10, 9)
    assert calendar.add_working_days(D(2025, 10, 8), 1) == D(2025, 10, 9)


def test_counting_backwards():
    calendar = notice_2025()
    assert calendar.add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert calendar.add_working_days(D(2025, 9, 29), -1) == D(2025, 9, 28)


def test_next_working_day_moves_a_day_off_to_the_first_day_back():
    calendar = notice_2025()
    assert calendar.next_working_day(D(2025, 10, 1)) == D(2025, 10, 9)
    assert calendar.next_working_day(D(2025, 10, 9)) == D(2025, 10, 9)  # itself
    assert calendar.next_working_day(D(2025, 9, 27)) == D(2025, 9, 28)  # the make-up Sunday
    assert calendar.next_working_day(D(2025, 10, 12)) == D(2025, 10, 13)


def test_working_days_between_is_the_inverse_of_adding():
    calendar = notice_2025()
    assert calendar.working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert calendar.working_days_between(D(2025, 9, 30), D(2025, 9, 30)) == 0
    assert calendar.working_days_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert calendar.working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == -1
    start = D(2025, 9, 20)
    for n in range(0, 40):
        assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


def test_an_unloaded_year_counts_weekends_only_and_is_provisional():
    calendar = notice_2025()
    # 1 October 2027 is a Friday: with 2027 not loaded, it is an ordinary working day
    assert calendar.is_working_day(D(2027, 10, 1))
    assert calendar.add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 1)
    assert calendar.is_provisional(D(2027, 10, 1))
    assert not calendar.is_provisional(D(2025, 10, 1))
    due = calendar.deadline(D(2027, 9, 30), 1)
    assert due.day == D(2027, 10, 1) and due.is_provisional


def test_the_last_week_of_december_waits_for_next_years_notice():
    calendar = WorkCalendar.of(loaded_years={2025})
    # the 2026 notice may still set 25–31 December 2025 (New Year's Day of 2019 began on
    # 30 December 2018, with 29 December worked)
    assert not calendar.is_provisional(D(2025, 12, 24))
    assert calendar.is_provisional(D(2025, 12, 25))
    assert calendar.is_provisional(D(2025, 12, 31))
    assert not WorkCalendar.of(loaded_years={2025, 2026}).is_provisional(D(2025, 12, 31))


def test_a_span_is_provisional_when_any_day_of_it_is():
    calendar = WorkCalendar.of(loaded_years={2025, 2026})
    assert not calendar.is_provisional_span(D(2025, 1, 1), D(2026, 12, 24))
    assert calendar.is_provisional_span(D(2026, 12, 20), D(2026, 12, 25))
    assert calendar.is_provisional_span(D(2026, 12, 1), D(2027, 1, 5))
    assert calendar.is_provisional_span(D(2027, 1, 5), D(2026, 12, 1))  # either order
    assert calendar.is_provisional_span(D(2024, 12, 30), D(2025, 1, 2))
    assert not calendar.deadline(D(2026, 3, 2), 15).is_provisional


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 10, 31), None),
        (D(2026, 11, 1), 2027),
        (D(2026, 12, 31), 2027),
        (D(2027, 1, 1), None),  # 2027 is this year now: every 2027 date is flagged anyway
    ],
)
def test_next_year_is_missing_from_the_first_of_november(today, expected):
    calendar = WorkCalendar.of(loaded_years={2025, 2026})
    assert calendar.missing_next_year(today) == expected
    assert WorkCalendar.of(loaded_years={2026, 2027}).missing_next_year(D(2026, 11, 1)) is None


# --- the package, the notices and the seeded table -----------------------------------------


def test_the_package_and_the_notices_agree_on_national_day_2025_and_spring_festival_2026():
    for day in NATIONAL_DAY_2025_OFF + SPRING_2026_OFF:
        assert chinese_calendar.is_holiday(day), day
        assert not chinese_calendar.is_workday(day), day
    for day in NATIONAL_DAY_2025_WORK + SPRING_2026_WORK:
        assert day.weekday() >= 5 and chinese_calendar.is_workday(day), day
    spring = [day for day, name in chinese_calendar.workdays.items() if name == "Spring Festival"]
    assert sorted(day for day in spring if day.year == 2026) == SPRING_2026_WORK
    assert [day for day in NATIONAL_DAY_2025_OFF if day.weekday() >= 5] == [
        D(2025, 10, 4),
        D(2025, 10, 5),
    ]


def test_the_seeded_table_holds_the_notices():
    assert D(2025, 10, 1) in {day for day, (kind, _name) in year_days(2025).items()}
    days_2025, days_2026 = year_days(2025), year_days(2026)
    for day in NATIONAL_DAY_2025_OFF:
        assert days_2025[day][0] == DayKind.OFF
    for day in NATIONAL_DAY_2025_WORK:
        assert days_2025[day] == (DayKind.WORK, "国庆节")
    for day in SPRING_2026_OFF:
        assert days_2026[day] == (DayKind.OFF, "春节")
    for day in SPRING_2026_WORK:
        assert days_2026[day] == (DayKind.WORK, "春节")
    assert set(range(2004, 2027)) <= loaded_years()
    year = db.session.get(HolidayYear, 2026)
    assert year.source == CalendarSource.PACKAGE and year.loaded_by is None


def test_counting_on_the_table():
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 27), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 10, 2), 0) == D(2025, 10, 2)
    assert not is_working_day(D(2025, 10, 8)) and is_working_day(D(2025, 10, 11))
    assert next_working_day(D(2025, 10, 1)) == D(2025, 10, 9)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 10)) == 2
    # Spring Festival 2026: Friday 13 February received; Saturday 14 is worked, then nine days off
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 6) == D(2026, 2, 28)  # the make-up Saturday
    assert next_working_day(D(2026, 2, 15)) == D(2026, 2, 24)
    assert working_days_between(D(2026, 2, 13), D(2026, 3, 2)) == 7
    assert not is_provisional(D(2026, 2, 20))
    assert not is_provisional_span(D(2025, 9, 30), D(2026, 2, 28))


def test_the_new_year_of_the_next_notice_is_filed_under_its_year():
    years = package_days()
    # the 2019 notice: 30 December 2018 – 1 January 2019 off, Saturday 29 December worked
    assert years[2019][D(2018, 12, 29)] == (DayKind.WORK, "元旦")
    assert years[2019][D(2018, 12, 31)] == (DayKind.OFF, "元旦")
    assert D(2018, 12, 31) not in years[2018]
    assert years[2008][D(2007, 12, 29)] == (DayKind.WORK, "元旦")
    assert db.session.scalar(select(Holiday.year).where(Holiday.day == D(2018, 12, 31))) == 2019


def test_seeding_fills_only_the_years_missing():
    assert seed_calendar() == []
    db.session.execute(delete(Holiday).where(Holiday.year == 2025))
    db.session.execute(delete(HolidayYear).where(HolidayYear.year == 2025))
    db.session.commit()
    assert is_provisional(D(2025, 10, 1)) is True
    workdays.forget_calendar()
    assert is_working_day(D(2025, 10, 1))  # weekdays only without the year
    assert seed_calendar() == [2025]
    db.session.commit()
    assert not is_working_day(D(2025, 10, 1)) and not is_provisional(D(2025, 10, 1))
    assert seed_calendar() == []
    # nothing of it is on the audit trail: reference data, not anyone's decision
    calendar_events = AuditEvent.record_type.in_(["Holiday", "HolidayYear"])
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(calendar_events)) == 0


def test_package_rows_leave_out_loaded_years_and_days():
    years, days = package_rows(skip_years=range(2004, 2026), skip_days={D(2026, 1, 1)})
    assert [row["year"] for row in years] == [2026]
    assert {row["year"] for row in days} == {2026}
    assert D(2026, 1, 1) not in {row["day"] for row in days}
    assert {row["kind"] for row in days} == {"off", "work"}


def test_the_calendar_is_read_once_per_app_context():
    from tests.conftest import count_queries

    workdays.forget_calendar()
    with count_queries() as queries:
        for n in range(30):
            add_working_days(D(2025, 9, 1), n)
            is_provisional(D(2025, 9, 1) + timedelta(days=n))
    assert queries[0] == 2


# --- the clerk's lines ----------------------------------------------------------------------


def test_lines_are_read_as_the_notice_writes_them():
    text = (
        "# 国务院办公厅关于2027年部分节假日安排的通知\n"
        "\n"
        "元旦 2027-01-01\n"
        "春节 2027/2/6 至 2027/2/13 调休 2027-02-14、2027-02-20\n"
        "清明节2027年4月3日 2027年4月5日\n"
        "国庆节　2027-10-01~2027-10-07 上班 2027-09-26，2027-10-09\n"
    )
    holidays, problems = read_notice(2027, text)
    assert problems == []
    assert [(h.number, h.name) for h in holidays] == [
        (3, "元旦"),
        (4, "春节"),
        (5, "清明节"),
        (6, "国庆节"),
    ]
    assert holidays[1].days_off == tuple(D(2027, 2, day) for day in range(6, 14))
    assert holidays[1].make_up_days == (D(2027, 2, 14), D(2027, 2, 20))
    assert holidays[0].days_off == (D(2027, 1, 1),)
    assert holidays[3].make_up_days == (D(2027, 9, 26), D(2027, 10, 9))


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("国庆节 2027-10-07 2027-10-01", "comes before"),
        ("国庆节 2026-10-01 2026-10-07", "is not in 2027"),
        ("国庆节 2027-10-01 2027-10-07 调休 2027-09-27", "not a Saturday or Sunday"),
        ("国庆节 2027-10-01 2027-10-07 调休 2027-10-02", "both a day off and a make-up"),
        ("国庆节 2027-10-01 2027-10-07 调休 2027-12-04", "more than a month"),
        ("国庆节 2027-10-01 2027-11-07", "more than any notice gives"),
        ("国庆节 2027-10-01 2027-10-03 2027-10-07", "only the first and last day off"),
        ("国庆节 2027-10-01 2027-10-07 调休", "after 调休"),
        ("国庆节 2027-02-30", "is not a date"),
        ("国庆节 十月一日", "is not a date"),
        ("2027-10-01 2027-10-07", "name first"),
        ("2027-10-01国庆节 2027-10-07", "name first"),
        ("国庆节", "first and last day off"),
        ("节" * 61 + " 2027-10-01", "longer than 60"),
    ],
)
def test_a_wrong_line_is_named_with_its_number(line, words):
    holidays, problems = read_notice(2027, f"元旦 2027-01-01\n\n{line}\n")
    assert [problem.line for problem in problems] == [3], problems
    assert words in problems[0].message
    assert str(problems[0]).startswith("Line 3: ")
    assert holidays[0].name == "元旦"


def test_overlapping_holidays_are_refused():
    text = "春节 2027-02-06 2027-02-13\n元宵 2027-02-13\n劳动节 2027-05-01 调休 2027-05-01"
    _holidays, problems = read_notice(2027, text)
    assert [(p.line, p.message) for p in problems] == [
        (2, "2027-02-13 is on line 1 already."),
        (3, "2027-05-01 is both a day off and a make-up working day."),
    ]


def test_new_years_day_may_reach_back_into_late_december():
    _holidays, problems = read_notice(2019, "元旦 2018-12-30 2019-01-01 调休 2018-12-29")
    assert problems == []
    _holidays, problems = read_notice(2019, "元旦 2018-12-24 2019-01-01")
    assert "is not in 2019" in problems[0].message


def test_an_empty_text_is_refused():
    _holidays, problems = read_notice(2027, "# nothing yet\n\n")
    assert [p.line for p in problems] == [None]


def test_every_seeded_year_reads_back_from_its_lines():
    for year, days in package_days().items():
        holidays, problems = read_notice(year, write_notice(days))
        assert problems == [], year
        assert notice_days(holidays) == days, year


def test_a_year_reads_by_holiday_and_changes_are_listed_by_day():
    days = year_days(2025)
    groups = {group.name: group for group in group_days(days)}
    national = groups["国庆节"]
    assert national.make_up_days == NATIONAL_DAY_2025_WORK
    assert national.days_off + groups["中秋节"].days_off == 8
    after = {**days, D(2025, 10, 8): (DayKind.WORK, "国庆节")}
    del after[D(2025, 10, 11)]
    assert [(c.day, c.after) for c in changes(days, after)] == [
        (D(2025, 10, 8), (DayKind.WORK, "国庆节")),
        (D(2025, 10, 11), None),
    ]


# --- entering a year -------------------------------------------------------------------------


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="keeper")


def test_an_administrator_enters_2027_and_it_is_no_longer_provisional(admin):
    assert is_provisional(D(2027, 10, 1))
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 1)  # weekends only
    assert missing_next_year(D(2026, 11, 1)) == 2027
    record = enter_holiday_year(
        admin, 2027, text=LINES_2027, notice="国务院办公厅关于2027年部分节假日安排的通知"
    )
    db.session.commit()
    assert record.source == CalendarSource.ADMIN and record.loaded_by == admin
    assert not is_provisional(D(2027, 10, 1))
    assert add_working_days(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert is_working_day(D(2027, 9, 26))  # a Sunday worked
    assert missing_next_year(D(2026, 11, 1)) is None
    assert not deadline(D(2027, 9, 20), 15).is_provisional
    assert len(record.days) == 3 + 8 + 7 + 4
    events = db.session.scalars(
        select(AuditEvent.record_type).where(AuditEvent.actor_id == admin.id)
    ).all()
    assert events.count("HolidayYear") == 1 and events.count("Holiday") == 22


def test_bad_lines_save_nothing(admin):
    before = load_calendar()
    with pytest.raises(DomainError) as error:
        enter_holiday_year(
            admin,
            2027,
            text="元旦 2027-01-01\n国庆节 2027-10-07 2027-10-01\n端午节 2027-06-09 调休 2027-06-07",
            notice="通知",
        )
    messages = [(p.field, p.message) for p in error.value.problems]
    assert messages == [
        ("days", "Line 2: The last day off 2027-10-01 comes before the first 2027-10-07."),
        ("days", "Line 3: The make-up working day 2027-06-07 is not a Saturday or Sunday."),
    ]
    db.session.rollback()
    assert db.session.get(HolidayYear, 2027) is None
    assert load_calendar() == before


def test_replacing_a_loaded_year_needs_its_version_and_a_reason(admin):
    record = db.session.get(HolidayYear, 2026)
    text = (
        write_notice(year_days(2026))
        .replace("2026-10-07 调休", "2026-10-08 调休")
        .replace(" 调休 2026-05-09", "")
    )
    with pytest.raises(DomainError) as error:
        enter_holiday_year(admin, 2026, text=text, notice="通知", version=record.version)
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        enter_holiday_year(admin, 2026, text=text, notice="通知", reason="更正")
    assert error.value.field == "year"  # opened as a new year: it would overwrite unseen
    with pytest.raises(DomainError) as error:
        enter_holiday_year(admin, 2026, text=text, notice="通知", reason="更正", version=99)
    assert error.value.code == "stale"
    db.session.rollback()
    assert is_working_day(D(2026, 10, 8))

    enter_holiday_year(
        admin, 2026, text=text, notice="通知", reason="国庆节延长一天", version=record.version
    )
    db.session.commit()
    assert not is_working_day(D(2026, 10, 8))
    record = db.session.get(HolidayYear, 2026)
    assert record.source == CalendarSource.ADMIN and record.change_reason == "国庆节延长一天"
    # only the changed day is on the trail, under the year
    changed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "Holiday")
    ).all()
    assert {(e.action, (e.after or e.before)["day"], e.parent_id) for e in changed} == {
        ("create", "2026-10-08", "2026"),
        ("delete", "2026-05-09", "2026"),
    }
    assert is_working_day(D(2026, 10, 9)) and not is_working_day(D(2026, 5, 9))


def test_a_day_another_years_notice_set_is_refused(admin):
    # 29–31 December 2018 belong to the 2019 notice
    with pytest.raises(DomainError) as error:
        enter_holiday_year(
            admin,
            2018,
            text=write_notice(year_days(2018)) + "\n元旦 2018-12-31",
            notice="通知",
            reason="测试",
            version=db.session.get(HolidayYear, 2018).version,
        )
    assert "is not in 2018" not in error.value.message
    assert "set by the notice of 2019" in error.value.message


def test_only_an_administrator_may_enter_a_year(make_user):
    for role in (Role.OFFICE, Role.VIEWER):
        with pytest.raises(DomainError):
            enter_holiday_year(make_user(role), 2027, text=LINES_2027, notice="通知")


def test_the_seed_command_loads_what_a_newer_package_knows(runner):
    assert "none new" in runner.invoke(args=["holidays", "seed"]).output
    db.session.execute(delete(Holiday).where(Holiday.year == 2026))
    db.session.execute(delete(HolidayYear).where(HolidayYear.year == 2026))
    db.session.commit()
    assert "loaded 2026" in runner.invoke(args=["holidays", "seed"]).output
    assert db.session.get(HolidayYear, 2026).source == CalendarSource.PACKAGE
