"""The lawsuits report (issue 9, point 10): cases by department, kind and outcome with their
amounts, the win rate, the appearance rate, the deadlines met, the reconsideration figures and
the serious events, each at its boundary; the page, its charts, its workbook, access, queries."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cases import deadlines, serious, services
from cases.models import (
    Acceptance,
    Appearance,
    CaseHearing,
    CaseKind,
    GovernmentRole,
    Outcome,
    SeriousKind,
    StageKind,
)
from cases.particulars import in_wan
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import Role
from reports.cases import GOVERNMENT, PENDING, case_report
from tests.conftest import assert_constant_queries, count_queries

YEAR = 2026
D = date


def text(response) -> str:
    return response.get_data(as_text=True)


def _report(day: date | None = None, department: int | None = None, year: int = YEAR):
    return case_report(year, day or D(YEAR, 11, 1), department)


def _local(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), TIMEZONE)


@pytest.fixture
def lawsuit(world, register_case):
    """Register a case filed (and registered) on a day, with stages of outcomes in order."""

    def make(filed_on: date, *outcomes: Outcome | None, **fields):
        case = register_case(filed_on=filed_on, registered_on=filed_on, **fields)
        kinds = [StageKind.FIRST_INSTANCE, StageKind.SECOND_INSTANCE]
        for kind, outcome in zip(kinds, outcomes, strict=False):
            services.add_stage(world.office, case, kind=kind, outcome=outcome)
        db.session.commit()
        return case

    return make


@pytest.fixture
def known(world, lawsuit):
    """Cases of 2026 (and one of the last day of 2025):

    - 区住建局: administrative ¥600,000.00 won (filed 2 March); civil ¥499,999.99 lost, filed
      1 January; administrative won at first instance, appealed, undecided: pending
    - 区教育局: administrative, no amount, partly won; civil ¥1.00 with no stage yet: pending
    - the district government: administrative ¥100,000.00 withdrawn
    - 区住建局, filed 31 December 2025: civil ¥50,000.00 with no stage
    """
    other = world.other_department
    return {
        "won": lawsuit(D(YEAR, 3, 2), Outcome.WON),
        "lost": lawsuit(
            D(YEAR, 1, 1), Outcome.LOST, kind=CaseKind.CIVIL, amount=Decimal("499999.99")
        ),
        "appealed": lawsuit(D(YEAR, 4, 1), Outcome.WON, None, amount=None),
        "partly": lawsuit(D(YEAR, 5, 6), Outcome.PARTLY, department=other, amount=None),
        "open": lawsuit(
            D(YEAR, 6, 1), kind=CaseKind.CIVIL, department=other, amount=Decimal("1.00")
        ),
        "withdrawn": lawsuit(
            D(YEAR, 7, 1), Outcome.WITHDRAWN, department=None, amount=Decimal("100000.00")
        ),
        "last_year": lawsuit(D(YEAR - 1, 12, 31), kind=CaseKind.CIVIL, amount=Decimal("50000")),
    }


def _row(rows, label):
    return next(row for row in rows if row.label == label)


# --- cases, outcomes, amounts, win rate --------------------------------------------------


def test_cases_count_by_department_kind_and_the_outcome_of_their_latest_stage(world, known):
    figures = _report().cases
    assert figures.total.cases == 6
    assert figures.total.amount == Decimal("1200000.99")
    assert figures.total.outcome_counts() == [1, 1, 1, 1, 0, 0, 2]  # won … withdrawn, pending
    bureau = _row(figures.departments, "区住建局")
    assert (bureau.key, bureau.cases, bureau.amount) == (
        world.department.id,
        3,
        Decimal("1099999.99"),
    )
    # won at first instance, appealed and undecided: the latest stage says pending
    assert (bureau.won, bureau.count(Outcome.LOST), bureau.count(PENDING)) == (1, 1, 1)
    government = next(row for row in figures.departments if row.key is None)
    assert (government.cases, government.count(Outcome.WITHDRAWN)) == (1, 1)
    assert government.win_rate is None  # withdrawn: nothing decided
    administrative = _row(figures.kinds, CaseKind.ADMINISTRATIVE.label)
    assert (administrative.cases, administrative.amount) == (4, Decimal("700000.00"))
    assert [row.key for row in figures.kinds] == list(CaseKind)
    by_outcome = {row.key: row for row in figures.outcomes}
    assert by_outcome[PENDING].cases == 2 and by_outcome[PENDING].amount == Decimal("1.00")
    assert by_outcome[Outcome.LOST].amount == Decimal("499999.99")


def test_the_win_rate_counts_partly_won_as_not_won_and_shows_its_basis(known):
    total = _report().cases.total
    assert (total.won, total.decided) == (1, 3)  # won, lost, partly; withdrawn left out
    assert total.win_rate == Decimal("33.3")


def test_a_case_filed_on_31_december_counts_in_its_year_and_one_on_1_january_in_the_next(known):
    assert _report(year=YEAR - 1).cases.total.cases == 1
    assert _report(year=YEAR - 1).cases.total.amount == Decimal("50000.00")
    assert _row(_report().cases.kinds, CaseKind.CIVIL.label).cases == 2  # 1 January in


def test_with_no_decided_case_the_win_rate_is_a_dash_never_a_division_by_zero(
    world, known, client, login
):
    assert _report(year=YEAR - 1).cases.total.win_rate is None
    login(world.office)
    page = text(client.get(f"/reports/cases?year={YEAR - 1}"))
    assert re.search(r'data-testid="win-rate">—<', page)
    assert re.search(r'data-testid="win-rate-line">[^<]*<strong>—</strong>', page)
    assert "33.3%" in text(client.get(f"/reports/cases?year={YEAR}"))


def test_the_department_filter_keeps_one_department_or_the_governments_own_cases(world, known):
    mine = _report(department=world.department.id).cases
    assert mine.total.cases == 3 and [row.label for row in mine.departments] == ["区住建局"]
    own = _report(department=GOVERNMENT).cases
    assert own.total.cases == 1 and own.total.amount == Decimal("100000.00")


# --- appearance in court ----------------------------------------------------------------


def _hearing(case, day: date, appeared: Appearance | None, hour: int = 9) -> CaseHearing:
    hearing = CaseHearing(
        case=case, starts_at=_local(day, hour), place="第一法庭", appeared=appeared
    )
    db.session.add(hearing)
    db.session.commit()
    return hearing


def test_the_appearance_rates_of_a_department_with_a_principal_a_deputy_and_a_lawyer(known):
    case = known["won"]
    _hearing(case, D(YEAR, 4, 1), Appearance.PRINCIPAL_HEAD)
    _hearing(case, D(YEAR, 5, 1), Appearance.DEPUTY_HEAD)
    _hearing(case, D(YEAR, 6, 1), Appearance.LAWYER_ONLY)
    _hearing(case, D(YEAR, 6, 2), None)  # not recorded: not counted
    _hearing(known["lost"], D(YEAR, 6, 3), Appearance.LAWYER_ONLY)  # civil: no head rule
    _hearing(case, D(YEAR - 1, 12, 31), Appearance.NOBODY, hour=23)  # the year before, locally
    _hearing(known["partly"], D(YEAR, 1, 1), Appearance.OTHER_STAFF, hour=0)
    rows = {row.name: row for row in _report().appearance}
    bureau = rows["区住建局"]
    assert (bureau.recorded, bureau.principal, bureau.deputy, bureau.non_compliant) == (3, 1, 1, 1)
    assert bureau.principal_rate == Decimal("33.3") and bureau.head_rate == Decimal("66.7")
    education = rows["区教育局"]
    assert (education.recorded, education.principal_rate, education.head_rate) == (
        1,
        Decimal("0.0"),
        Decimal("0.0"),
    )
    # the lowest principal-head rate first
    assert [row.name for row in _report().appearance] == ["区教育局", "区住建局"]
    assert _report(year=YEAR - 1).appearance[0].non_compliant == 1


def test_the_appearance_rates_come_from_one_query():
    with count_queries() as queries:
        from reports.cases import appearance_by_department

        appearance_by_department(D(YEAR, 1, 1), D(YEAR, 12, 31))
    assert queries[0] == 1


# --- deadlines met ----------------------------------------------------------------------


@pytest.fixture
def served(world, register_case):
    """An administrative case of 区住建局 whose complaint copy was served on 5 March: three
    deadlines of the government (defence, evidence extension, jurisdiction) due on one day, and
    a judgment served whose appeal period is for either party."""
    case = register_case(filed_on=D(YEAR, 3, 2))
    services.add_stage(
        world.office,
        case,
        kind=StageKind.FIRST_INSTANCE,
        complaint_served_on=D(YEAR, 3, 5),
        judgment_on=D(YEAR, 6, 1),
        judgment_served_on=D(YEAR, 6, 2),
    )
    db.session.commit()
    db.session.refresh(case)
    return {d.rule: d for d in case.deadlines}


def _done(world, deadline, done_on: date, postmarked_on: date | None = None) -> None:
    deadlines.record_done(
        world.office, deadline, done_on=done_on, postmarked_on=postmarked_on, proof="法院签收"
    )
    db.session.commit()


def test_a_deadline_done_on_its_due_day_is_on_time_and_the_day_after_late(world, served):
    due = served["admin_defence"].due_on
    _done(world, served["admin_defence"], due)
    _done(world, served["admin_evidence_extension"], due + timedelta(days=1))
    (row,) = _report().deadlines
    assert (row.name, row.on_time, row.late, row.missed, row.running) == ("区住建局", 1, 1, 1, 0)
    assert "admin_appeal_judgment" in served  # either party's: not the government's to meet
    assert row.due == 3


def test_a_document_posted_on_the_due_day_is_on_time_by_its_postmark(world, served):
    due = served["admin_jurisdiction"].due_on
    _done(world, served["admin_jurisdiction"], due + timedelta(days=3), postmarked_on=due)
    assert _report().deadline_total.on_time == 1


def test_an_open_deadline_is_missed_only_once_its_due_day_has_passed(served):
    due = served["admin_defence"].due_on
    on_the_day = _report(day=due).deadline_total
    assert (on_the_day.missed, on_the_day.running) == (0, 3)
    assert on_the_day.on_time_rate is None  # nothing settled yet: no share
    after = _report(day=due + timedelta(days=1)).deadline_total
    assert (after.missed, after.running, after.missed_rate) == (3, 0, Decimal("100.0"))


def test_the_shares_are_of_the_deadlines_settled(world, served):
    due = served["admin_defence"].due_on
    _done(world, served["admin_defence"], due)
    total = _report(day=due + timedelta(days=1)).deadline_total
    assert (total.on_time, total.missed, total.settled) == (1, 2, 3)
    assert (total.on_time_rate, total.late_rate, total.missed_rate) == (
        Decimal("33.3"),
        Decimal("0.0"),
        Decimal("66.7"),
    )


# --- reconsideration ---------------------------------------------------------------------


@pytest.fixture
def applications(world, register_case):
    """Reconsideration applications received by the district government in 2026: two
    accepted (one decided in time, one a day late), one refused, one ineligible, one awaiting
    review; and one where the district is only the respondent, which does not count."""

    def apply(filed_on: date, role=GovernmentRole.RECONSIDERATION_BODY, **stage):
        case = register_case(
            kind=CaseKind.RECONSIDERATION,
            government_role=role,
            court="区人民政府",
            case_number="",
            filed_on=filed_on,
        )
        made = services.add_stage(
            world.office, case, kind=StageKind.RECONSIDERATION, filed_on=filed_on, **stage
        )
        db.session.commit()
        return made

    accepted = {"acceptance": Acceptance.ACCEPTED}
    apply(D(YEAR, 2, 2), accepted_on=D(YEAR, 2, 4), judgment_on=D(YEAR, 3, 2), **accepted)
    late = apply(D(YEAR, 3, 2), accepted_on=D(YEAR, 3, 4), **accepted)
    decision = next(d for d in late.case.deadlines if d.rule == "reconsideration_decision")
    services.update_stage(world.office, late, judgment_on=decision.due_on + timedelta(days=1))
    apply(D(YEAR, 4, 1), acceptance=Acceptance.REFUSED, accepted_on=D(YEAR, 4, 3))
    apply(D(YEAR, 5, 6), acceptance=Acceptance.INELIGIBLE, accepted_on=D(YEAR, 5, 8))
    apply(D(YEAR, 6, 1))
    apply(D(YEAR, 6, 2), role=GovernmentRole.RESPONDENT, **accepted, accepted_on=D(YEAR, 6, 3))
    db.session.commit()
    return apply


def test_the_acceptance_rate_leaves_ineligible_applications_out(applications):
    figures = _report().reconsideration
    assert (figures.received, figures.accepted, figures.refused, figures.ineligible) == (
        5,
        2,
        1,
        1,
    )
    assert figures.awaiting_review == 1 and figures.eligible_reviewed == 3
    assert figures.acceptance_rate == Decimal("66.7")  # 2 of 3, not 2 of 4
    assert figures.target == Decimal(100)


def test_the_on_time_completion_rate_is_of_the_decisions_made(applications):
    figures = _report().reconsideration
    assert (figures.decided, figures.decided_on_time, figures.on_time_rate) == (
        2,
        1,
        Decimal("50.0"),
    )


def test_with_no_application_the_rates_are_none(world):
    figures = _report().reconsideration
    assert figures.received == 0
    assert figures.acceptance_rate is None and figures.on_time_rate is None


# --- serious events -----------------------------------------------------------------------


def test_serious_events_raised_in_the_year_by_kind_and_those_still_open(world, known):
    one = _hearing(known["won"], D(YEAR, 4, 1), Appearance.NOBODY)
    two = _hearing(known["won"], D(YEAR, 5, 1), Appearance.LAWYER_ONLY)
    three = _hearing(known["won"], D(YEAR - 1, 12, 1), Appearance.NOBODY)
    serious.raise_event(known["won"], SeriousKind.NO_APPEARANCE, one, on=D(YEAR, 4, 1))
    closed = serious.raise_event(known["won"], SeriousKind.NO_APPEARANCE, two, on=D(YEAR, 5, 1))
    serious.raise_event(known["won"], SeriousKind.NO_APPEARANCE, three, on=D(YEAR - 1, 12, 31))
    serious.close_event(world.office, closed, explanation="负责人因公出差，已补交说明")
    db.session.commit()
    rows = {row.kind: row for row in _report().serious}
    assert list(rows) == list(SeriousKind)
    assert (rows[SeriousKind.NO_APPEARANCE].raised, rows[SeriousKind.NO_APPEARANCE].still_open) == (
        2,
        1,
    )
    assert rows[SeriousKind.NOT_PERFORMED].raised == 0
    assert _report().serious_total.raised == 2


# --- the page, the charts, the workbook --------------------------------------------------


@pytest.fixture
def everything(world, known, served, applications):
    _hearing(known["won"], D(YEAR, 4, 1), Appearance.PRINCIPAL_HEAD)
    _hearing(known["won"], D(YEAR, 5, 1), Appearance.DEPUTY_HEAD)
    _hearing(known["won"], D(YEAR, 6, 1), Appearance.LAWYER_ONLY)
    _done(world, served["admin_defence"], served["admin_defence"].due_on)
    return world


def _chart_data(page: str) -> dict:
    return json.loads(re.search(r'id="chart-data">(.*?)</script>', page, re.S).group(1))


def test_the_page_shows_every_table_and_the_charts_draw_the_same_figures(everything, client, login):
    login(everything.office)
    page = text(client.get(f"/reports/cases?year={YEAR}"))
    for testid in ("by-department", "by-kind", "by-outcome", "appearance", "deadlines",
                   "reconsideration", "serious"):  # fmt: skip
        assert f'data-testid="{testid}"' in page, testid
    amount = _report(day=today()).cases.total.amount
    assert f"¥{amount:,.2f}" in page and f"{in_wan(amount):,f}" in page  # 元 and 万元
    assert 'data-testid="acceptance-rate" class="text-danger">66.7%' in page
    data = _chart_data(page)
    won = next(s for s in data["byKind"]["series"] if s["colour"] == "--bs-success")
    assert won["values"][0] == 1  # administrative cases won
    assert data["principalByDepartment"]["labels"] == ["区住建局"]
    assert data["principalByDepartment"]["values"] == [33.3]
    assert data["anyHeadByDepartment"]["values"] == [66.7]
    for key in ("byKind", "principalByDepartment", "anyHeadByDepartment"):
        assert f'data-chart="{key}"' in page, "app.js draws each canvas from its key"


def _sheet(response, index=0):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return [list(row) for row in book.worksheets[index].iter_rows(values_only=True)]


def test_the_workbook_holds_every_table_with_the_numbers_of_the_page(everything, client, login):
    login(everything.office)
    report = _report(day=today())
    response = client.get(f"/reports/cases.xlsx?year={YEAR}")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert len(book.worksheets) == 7
    departments = _sheet(client.get(f"/reports/cases.xlsx?table=departments&year={YEAR}"))
    total = departments[-1]
    assert total[1] == report.cases.total.cases
    assert total[-3] == pytest.approx(float(report.cases.total.win_rate))
    assert total[-2] == pytest.approx(float(report.cases.total.amount))
    assert total[-1] == pytest.approx(float(report.cases.total.amount) / 10000)
    appearance = _sheet(client.get(f"/reports/cases.xlsx?table=appearance&year={YEAR}"))
    assert appearance[2][:5] == ["区住建局", 3, 1, 1, 1]
    assert appearance[2][5:] == [pytest.approx(33.3), pytest.approx(66.7)]
    page = text(client.get(f"/reports/cases?year={YEAR}"))
    assert "33.3%" in page and "66.7%" in page
    recon = _sheet(client.get(f"/reports/cases.xlsx?table=reconsideration&year={YEAR}"))
    numbers = [row[1] for row in recon[2:]]
    assert numbers == [5, 2, 1, 1, 1, pytest.approx(66.7), 2, 1, pytest.approx(50.0)]
    assert [row[2] for row in recon[2:]].count(100) == 2
    deadlines_sheet = _sheet(client.get(f"/reports/cases.xlsx?table=deadlines&year={YEAR}"))
    assert deadlines_sheet[-1][1] == report.deadline_total.due
    assert deadlines_sheet[-1][2] == report.deadline_total.on_time
    assert client.get("/reports/cases.xlsx?table=nothing").status_code == 400


@pytest.mark.parametrize(
    "query", ["department=99999", "department=abc", "year=1999", "table=x"]
)  # fmt: skip
def test_a_value_the_report_cannot_read_is_a_400(world, client, login, query):
    login(world.office)
    url = "/reports/cases.xlsx" if query.startswith("table") else "/reports/cases"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in text(response)


def test_the_department_filter_on_the_page_and_in_the_workbook(world, known, client, login):
    login(world.office)
    page = text(client.get(f"/reports/cases?year={YEAR}&department={world.department.id}"))
    assert 'data-testid="cases-filed">3<' in page and "区教育局</a>" not in page
    own = text(client.get(f"/reports/cases?year={YEAR}&department=0"))
    assert 'data-testid="cases-filed">1<' in own
    sheet = _sheet(
        client.get(f"/reports/cases.xlsx?table=kinds&year={YEAR}&department={world.department.id}")
    )
    assert "区住建局" in sheet[0][0] and sheet[-1][1] == 3


# --- access and queries ------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/reports/cases", "/reports/cases.xlsx"])
def test_liaisons_and_advisers_may_not_read_the_lawsuits_report(world, client, login, url):
    login(world.liaison)
    assert client.get(url).status_code == 403
    client.post("/logout")
    login(world.adviser_users[0])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICE, Role.VIEWER, Role.ADMIN])
def test_the_office_the_leaders_and_the_administrator_read_it(client, login, make_user, role):
    login(make_user(role, username="reader"))
    for url in ("/reports/cases", "/reports/cases.xlsx"):
        assert client.get(url).status_code == 200, url


def test_the_dashboard_links_the_report_for_those_who_may_read_it(world, client, login):
    login(world.viewer)
    assert '/reports/cases"' in text(client.get("/dashboard"))
    client.post("/logout")
    login(world.liaison)
    assert '/reports/cases"' not in text(client.get("/dashboard"))


def test_the_report_itself_runs_five_queries(known):
    with count_queries() as queries:
        _report()
    assert queries[0] == 5


def _grow(world, lawsuit, n: int, start: int) -> None:
    """More cases with stages, deadlines, hearings and events: a per-row query would show."""
    for i in range(n):
        case = lawsuit(
            D(YEAR, 1 + i % 11, 1 + i % 27),
            [Outcome.WON, Outcome.LOST, None][i % 3],
            department=[world.department, world.other_department, None][i % 3],
        )
        hearing = _hearing(case, D(YEAR, 2 + i % 10, 1), list(Appearance)[i % 5])
        if i % 4 == 0:
            serious.raise_event(case, SeriousKind.NO_APPEARANCE, hearing, on=D(YEAR, 5, 1))
    db.session.commit()


@pytest.mark.parametrize(
    "url", [f"/reports/cases?year={YEAR}", f"/reports/cases.xlsx?year={YEAR}"]
)  # fmt: skip
def test_the_report_runs_as_many_queries_for_many_cases_as_for_a_few(
    world, lawsuit, client, login, url
):
    login(world.office)
    _grow(world, lawsuit, 3, 0)
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(world, lawsuit, 30, 100)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert_constant_queries(small[0], large[0], url)
