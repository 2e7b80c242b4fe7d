"""The consultation reports and the "顾而不问" lists: figures on a small known set of matters
made through the services, quarter and idle boundaries, the exports, access, query counts."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from consultations import services
from consultations.models import (
    ActivityKind,
    Adoption,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Matter,
    MatterKind,
    MatterStatus,
    Opinion,
    OpinionStatus,
    WorkLog,
)
from consultations.settings import idle_days
from core import settings, voiding
from core.extensions import db
from core.i18n import today
from core.models import Department, DepartmentKind, Role
from demo.synthetic import bulk_panel
from reports.consultations import (
    consultation_report,
    idle_advisers,
    idle_departments,
    matter_counts,
    percent,
    requests_by_quarter,
)
from tests.conftest import assert_constant_queries, count_queries

YEAR = 2026
#: far enough ahead that an opinion signed today is on time
LATER = today() + timedelta(days=60)


def text(response) -> str:
    return response.get_data(as_text=True)


def _take_on(world, matter, lead, co=None):
    """The office accepts the request (one it entered is accepted already) and assigns; the
    advisers accept."""
    if matter.status is MatterStatus.REQUESTED:
        services.accept_matter(world.office, matter)
    made = services.assign(
        world.office, matter, lead_id=lead.id, co_ids=[co.id] if co is not None else []
    )
    db.session.commit()
    users = {a.id: u for a, u in zip(world.advisers, world.adviser_users, strict=True)}
    for assignment in made:
        services.answer_assignment(users[assignment.adviser_id], assignment, accept=True)
    db.session.commit()
    return matter


def _user_of(world, adviser):
    return world.adviser_users[world.advisers.index(adviser)]


def _sign_and_forward(world, matter, lead) -> Opinion:
    user = _user_of(world, lead)
    services.save_draft(user, matter, facts="事实", analysis="分析", conclusion="结论")
    opinion = services.submit_opinion(user, matter)
    services.forward_opinion(world.office, opinion)
    db.session.commit()
    return opinion


def _adopt(world, matter, adoption: Adoption):
    reason = "" if adoption is Adoption.ADOPTED else "部分条款未采纳"
    services.record_adoption(world.liaison, matter, adoption=adoption, reason=reason)
    db.session.commit()


@pytest.fixture
def known(world, request_matter):
    """Five matters of 2026 and one voided, two activities, some hours:

    - m1 contract, received 31 March (Q1), lead 甲 co 乙, on time, adopted
    - m2 contract, received 1 April (Q2), lead 甲 co 乙, late, corrected after delivery, partly
    - m3 major decision, 10 April, lead 乙; first signed by the due date, corrected after it;
      not adopted
    - m4 normative document, 6 May, returned
    - m5 other affairs for the other department, 1 June, lead 丙, in progress
    - a voided request of 2 April, which counts nowhere
    - training on 20 May by 甲 and 乙 (40 people); publicity on 31 March by 丙 (100 people)
    - 甲 logs 2.5 h on 31 March and 1.25 h on 2 April
    """
    a, b, c = world.advisers
    m1 = _take_on(world, request_matter(received_on=date(YEAR, 3, 31), due_on=LATER), a, b)
    _sign_and_forward(world, m1, a)
    _adopt(world, m1, Adoption.ADOPTED)

    m2 = _take_on(
        world, request_matter(received_on=date(YEAR, 4, 1), due_on=date(YEAR, 4, 15)), a, b
    )
    _sign_and_forward(world, m2, a)
    services.start_correction(_user_of(world, a), m2, reason="引用法条有误")
    services.submit_opinion(_user_of(world, a), m2)
    services.forward_opinion(world.office, m2.current_opinion)
    db.session.commit()
    _adopt(world, m2, Adoption.PARTLY)

    m3 = _take_on(
        world,
        request_matter(
            kind=MatterKind.DECISION, received_on=date(YEAR, 4, 10), due_on=date(YEAR, 5, 10)
        ),
        b,
    )
    first = _sign_and_forward(world, m3, b)
    first.submitted_on = date(YEAR, 5, 8)  # signed in time, as the office's records show
    db.session.commit()
    services.start_correction(_user_of(world, b), m3, reason="补充风险提示")
    services.submit_opinion(_user_of(world, b), m3)
    services.forward_opinion(world.office, m3.current_opinion)
    db.session.commit()
    _adopt(world, m3, Adoption.NOT_ADOPTED)

    m4 = request_matter(kind=MatterKind.NORMATIVE, received_on=date(YEAR, 5, 6))
    services.return_matter(world.office, m4, reason="材料不全")
    db.session.commit()

    m5 = services.request_matter(
        world.office,
        department=world.other_department,
        kind=MatterKind.OTHER,
        title="关于校舍租赁纠纷的咨询",
        requester="李主任",
        description="",
        received_on=date(YEAR, 6, 1),
    )
    db.session.commit()
    _take_on(world, m5, c)

    voided = request_matter(received_on=date(YEAR, 4, 2))
    services.void_matter(world.office, voided, reason="重复录入")
    db.session.commit()

    for kind, day, advisers, people in (
        (ActivityKind.TRAINING, date(YEAR, 5, 20), [a, b], 40),
        (ActivityKind.PUBLICITY, date(YEAR, 3, 31), [c], 100),
    ):
        services.record_activity(
            world.office,
            kind=kind,
            title="法治讲座",
            held_on=day,
            place="区政府会议室",
            audience="机关干部",
            attendance=people,
            adviser_ids=[x.id for x in advisers],
        )
    lead = _user_of(world, a)
    services.log_work(lead, m1, worked_on=date(YEAR, 3, 31), hours=Decimal("2.5"), note="审查")
    services.log_work(lead, m2, worked_on=date(YEAR, 4, 2), hours=Decimal("1.25"), note="审查")
    db.session.commit()
    return world


def _kind(report, kind):
    return next(row for row in report.kinds if row.kind is kind)


def _adviser(report, adviser):
    return next(row for row in report.advisers if row.id == adviser.id)


def _adoptions(row):
    return (row.adoptions.adopted, row.adoptions.partly, row.adoptions.not_adopted)


def test_the_figures_by_kind_for_the_year(known):
    report = consultation_report(YEAR)
    assert [row.kind.number for row in report.kinds] == list(range(1, 9))
    contract = _kind(report, MatterKind.CONTRACT)
    assert (contract.requests, contract.delivered, contract.on_time) == (2, 2, 1)
    assert _adoptions(contract) == (1, 1, 0)
    assert contract.on_time_rate == Decimal("50.0") and contract.adoptions.rate == Decimal("100.0")
    decision = _kind(report, MatterKind.DECISION)
    # its first opinion came by the due date: the later correction does not make it late
    assert (decision.requests, decision.delivered, decision.on_time) == (1, 1, 1)
    assert _adoptions(decision) == (0, 0, 1) and decision.adoptions.rate == Decimal("0.0")
    normative = _kind(report, MatterKind.NORMATIVE)
    assert (normative.requests, normative.delivered, normative.on_time_rate) == (1, 0, None)
    assert _kind(report, MatterKind.OTHER).requests == 1
    training, publicity = _kind(report, MatterKind.TRAINING), _kind(report, MatterKind.PUBLICITY)
    assert (training.requests, training.activities, training.attendance) == (0, 1, 40)
    assert (publicity.activities, publicity.attendance) == (1, 100)
    assert _kind(report, MatterKind.CONTRACT).activities is None
    total = report.kind_total
    assert (total.requests, total.delivered, total.on_time) == (5, 3, 2)
    assert (total.activities, total.attendance) == (2, 140)
    assert total.adoptions.rate == Decimal("66.7")


def test_the_figures_by_department_for_the_year(known):
    report = consultation_report(YEAR)
    bureau, other = report.departments
    assert (bureau.name, bureau.requests, bureau.returned, bureau.closed) == ("区住建局", 4, 1, 3)
    assert _adoptions(bureau) == (1, 1, 1) and bureau.adoptions.rate == Decimal("66.7")
    assert (other.name, other.requests, other.closed, other.adoptions.rate) == (
        "区教育局",
        1,
        0,
        None,
    )
    assert report.department_total.requests == 5


def test_the_figures_by_adviser_for_the_year(known):
    a, b, c = known.advisers
    report = consultation_report(YEAR)
    first = _adviser(report, a)
    assert first.by_kind == {"contract": 2}
    assert (first.lead, first.co, first.delivered, first.on_time) == (2, 0, 2, 1)
    assert _adoptions(first) == (1, 1, 0)
    assert first.hours == Decimal("3.75") and first.activities == 1
    second = _adviser(report, b)
    assert second.by_kind == {"contract": 2, "decision": 1} and second.matters == 3
    assert (second.lead, second.co, second.delivered, second.on_time) == (1, 2, 1, 1)
    assert _adoptions(second) == (0, 0, 1) and second.hours == 0
    third = _adviser(report, c)
    assert (third.by_kind, third.lead, third.delivered, third.activities) == ({"other": 1}, 1, 0, 1)
    assert first.kind_counts() == [0, 0, 2, 0, 0, 0, 0, 0]


def test_the_quarter_is_cut_between_31_march_and_1_april(known):
    a, _b, c = known.advisers
    q1, q2 = consultation_report(YEAR, 1), consultation_report(YEAR, 2)
    assert (q1.first, q1.last) == (date(YEAR, 1, 1), date(YEAR, 3, 31))
    assert _kind(q1, MatterKind.CONTRACT).requests == 1  # received 31 March
    assert _kind(q2, MatterKind.CONTRACT).requests == 1  # received 1 April
    assert q1.kind_total.requests == 1 and q2.kind_total.requests == 4
    assert _kind(q1, MatterKind.PUBLICITY).activities == 1
    assert _kind(q2, MatterKind.PUBLICITY).activities == 0
    assert _kind(q2, MatterKind.TRAINING).attendance == 40
    assert _adviser(q1, a).hours == Decimal("2.5") and _adviser(q2, a).hours == Decimal("1.25")
    assert _adviser(q1, a).by_kind == {"contract": 1} and _adviser(q1, c).activities == 1
    assert consultation_report(YEAR, 3).kind_total.requests == 0
    assert consultation_report(YEAR - 2).advisers == []  # no one served yet


def test_the_page_shows_the_tables_and_the_charts(known, client, login):
    login(known.office)
    page = text(client.get(f"/reports/consultations?year={YEAR}"))
    assert 'data-testid="by-kind"' in page and "区住建局" in page and "顾问甲" in page
    data = json.loads(re.search(r'id="chart-data">(.*?)</script>', page, re.S).group(1))
    assert data["byKind"]["labels"] == [str(n) for n in range(1, 9)]
    assert data["byKind"]["series"][0]["values"][2] == 2  # contracts
    adoption = {s["colour"]: s["values"] for s in data["adoptionByDepartment"]["series"]}
    assert data["adoptionByDepartment"]["labels"] == ["区住建局", "区教育局"]
    assert adoption["--bs-success"] == [1, 0] and adoption["--bs-danger"] == [1, 0]
    for key in data:
        assert f'data-chart="{key}"' in page, "app.js draws each canvas from its key"
    q1 = text(client.get(f"/reports/consultations?year={YEAR}&quarter=1"))
    assert f"{YEAR}-03-31" in q1 and "区教育局" not in q1
    assert client.get("/reports/consultations?quarter=5").status_code == 400


def _sheet(response, index=0):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return [list(row) for row in book.worksheets[index].iter_rows(values_only=True)]


def test_each_table_exports_as_a_workbook_with_chinese_headers(known, client, login):
    login(known.office)
    advisers = _sheet(client.get(f"/reports/consultations.xlsx?table=advisers&year={YEAR}"))
    assert advisers[1][0] == "法律顾问"
    assert advisers[1][3].startswith("3. ")
    first = next(row for row in advisers[2:] if row[0] == "顾问甲")
    assert first[3] == 2 and first[-2] == 2.5 + 1.25
    departments = _sheet(
        client.get(f"/reports/consultations.xlsx?table=departments&year={YEAR}&quarter=2")
    )
    assert departments[1][0] == "部门"
    assert departments[2][:4] == ["区住建局", 3, 1, 2]  # Q2: m2, m3, m4
    kinds = _sheet(client.get(f"/reports/consultations.xlsx?table=kinds&year={YEAR}"))
    assert kinds[1][1] in ("事项类别", "Kind of matter")
    assert [row[0] for row in kinds[2:10]] == list(range(1, 9))
    assert kinds[-1][2] == 5  # the total row's requests
    response = client.get(f"/reports/consultations.xlsx?year={YEAR}")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert len(book.worksheets) == 3
    assert client.get("/reports/consultations.xlsx?table=nothing").status_code == 400


@pytest.mark.parametrize("url", ["/reports/consultations", "/reports/idle",
                                 "/reports/consultations.xlsx?table=kinds"])  # fmt: skip
def test_liaisons_and_advisers_may_not_read_the_reports(world, client, login, make_user, url):
    login(world.liaison)
    assert client.get(url).status_code == 403
    client.post("/logout")
    login(world.adviser_users[0])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.OFFICE, Role.VIEWER, Role.ADMIN])
def test_the_office_leaders_and_the_administrator_read_the_reports(client, login, make_user, role):
    login(make_user(role, username="reader"))
    for url in ("/reports/consultations", "/reports/idle", "/reports/consultations.xlsx"):
        assert client.get(url).status_code == 200, url


# --- 顾而不问 ----------------------------------------------------------------------------


def _assigned_days_ago(world, request_matter, adviser, days: int):
    matter = request_matter(received_on=today() - timedelta(days=days), due_on=LATER)
    services.accept_matter(world.office, matter)
    (assignment,) = services.assign(world.office, matter, lead_id=adviser.id)
    assignment.assigned_on = today() - timedelta(days=days)
    db.session.commit()
    return matter


@pytest.mark.parametrize(("days_ago", "listed"), [(-1, False), (0, True), (1, True)])
def test_an_adviser_is_idle_once_n_days_have_passed_since_their_last_matter(
    world, request_matter, days_ago, listed
):
    n = idle_days()
    first, second, third = world.advisers
    _assigned_days_ago(world, request_matter, first, n + days_ago)
    _assigned_days_ago(world, request_matter, second, 5)
    found = {row.id: row for row in idle_advisers(today(), n)}
    assert (first.id in found) is listed
    if listed:
        assert found[first.id].days == n + days_ago and not found[first.id].never_assigned
    assert second.id not in found
    # never assigned: counted from the start of their term, and the longest idle comes first
    never = found[third.id]
    assert never.never_assigned and never.since == date(2025, 1, 1)
    assert idle_advisers(today(), n)[0].id == third.id


def test_only_the_newest_assignment_on_a_matter_not_voided_counts(world, request_matter):
    n = idle_days()
    first = world.advisers[0]
    _assigned_days_ago(world, request_matter, first, n + 30)
    _assigned_days_ago(world, request_matter, first, n + 10)
    mistaken = _assigned_days_ago(world, request_matter, first, 2)
    assert first.id not in {row.id for row in idle_advisers(today(), n)}
    voiding.mark_voided(mistaken, world.office, "录入错误")
    db.session.commit()
    found = {row.id: row for row in idle_advisers(today(), n)}
    assert found[first.id].days == n + 10


def test_a_declined_assignment_still_counts_and_advisers_not_serving_are_not_listed(
    world, request_matter, create_adviser
):
    create_adviser(name="未聘任者")
    matter = request_matter(received_on=today() - timedelta(days=3), due_on=LATER)
    services.accept_matter(world.office, matter)
    (assignment,) = services.assign(world.office, matter, lead_id=world.advisers[0].id)
    services.answer_assignment(world.adviser_users[0], assignment, accept=False, reason="出差")
    db.session.commit()
    names = {row.name for row in idle_advisers(today(), idle_days())}
    assert names == {"顾问乙", "顾问丙"}


@pytest.mark.parametrize(("days_ago", "listed"), [(-1, False), (0, True), (1, True)])
def test_a_department_is_idle_once_n_days_have_passed_since_its_last_request(
    world, request_matter, days_ago, listed
):
    n = 30
    settings.change_setting(None, "consultations.idle_days", str(n))
    db.session.commit()
    assert idle_days() == n
    request_matter(received_on=today() - timedelta(days=n + days_ago))
    silent = Department(name="区档案馆", kind=DepartmentKind.OTHER)
    closed = Department(name="已撤销单位", kind=DepartmentKind.OTHER, is_active=False)
    db.session.add_all([silent, closed])
    db.session.commit()
    found = {row.name: row for row in idle_departments(today(), n)}
    assert ("区住建局" in found) is listed
    if listed:
        assert found["区住建局"].days == n + days_ago
        assert found["区住建局"].last_request == today() - timedelta(days=n + days_ago)
    assert found["区档案馆"].last_request is None and "已撤销单位" not in found
    # those that never asked come first
    assert idle_departments(today(), n)[0].last_request is None


def test_a_voided_request_does_not_count_as_consulting(world, request_matter):
    n = idle_days()
    request_matter(received_on=today() - timedelta(days=n + 10))
    voided = request_matter(received_on=today() - timedelta(days=1))
    services.void_matter(world.office, voided, reason="重复录入")
    db.session.commit()
    found = {row.name: row for row in idle_departments(today(), n)}
    assert found["区住建局"].days == n + 10


def test_requests_per_quarter_by_department(known):
    rows = {row.name: row for row in requests_by_quarter(YEAR)}
    assert rows["区住建局"].quarters == [1, 3, 0, 0]  # 31 March; 1 April, 10 April, 6 May
    assert rows["区教育局"].quarters == [0, 1, 0, 0]
    assert rows["区住建局"].total == 4
    assert requests_by_quarter(YEAR - 1)[0].quarters == [0, 0, 0, 0]


def test_the_idle_page_shows_n_the_lists_and_the_quarters(known, client, login, make_user):
    login(known.office)
    page = text(client.get(f"/reports/idle?year={YEAR}"))
    # every adviser was put on a matter today; both departments last asked in the spring
    assert 'data-testid="idle-advisers"' not in page
    assert 'data-testid="idle-departments"' in page and "区教育局" in page
    assert 'data-testid="requests-by-quarter"' in page
    assert str(idle_days()) in page
    assert "/admin/settings" in page  # the office reads the settings page
    client.post("/logout")
    login(make_user(Role.VIEWER, username="leader2"))
    assert "/admin/settings" not in text(client.get("/reports/idle"))
    assert client.get("/reports/idle?year=1").status_code == 400


# --- the dashboard and the links -------------------------------------------------------


def test_the_dashboard_counts_matters_waiting_and_links_the_reports(
    world, request_matter, client, login
):
    request_matter()  # awaiting acceptance
    late = request_matter(received_on=date(YEAR, 9, 1), due_on=date(YEAR, 9, 15))
    _take_on(world, late, world.advisers[0])  # overdue
    signed = _take_on(world, request_matter(due_on=LATER), world.advisers[1])
    user = _user_of(world, world.advisers[1])
    services.save_draft(user, signed, facts="事实", analysis="分析", conclusion="结论")
    services.submit_opinion(user, signed)  # awaiting forwarding
    delivered = _take_on(world, request_matter(due_on=LATER), world.advisers[2])
    _sign_and_forward(world, delivered, world.advisers[2])  # awaiting adoption
    counts = matter_counts(today())
    assert (counts.to_accept, counts.open, counts.overdue) == (1, 1, 1)
    assert (counts.to_forward, counts.awaiting_adoption) == (1, 1)

    login(world.office)
    page = text(client.get("/dashboard"))
    assert 'data-testid="consultations-card"' in page
    assert '/reports/consultations"' in page and '/reports/idle"' in page
    for testid in ("todo-to-accept", "todo-overdue", "todo-to-forward"):
        assert f'data-testid="{testid}"' in page
    assert "status=requested" in page and "status=submitted" in page
    matters = text(client.get("/consultations"))
    assert '/reports/consultations"' in matters and '/reports/idle"' in matters

    client.post("/logout")
    login(world.viewer)
    page = text(client.get("/dashboard"))
    assert 'data-testid="consultations-card"' in page and 'data-testid="todo"' not in page
    client.post("/logout")
    login(world.liaison)
    page = text(client.get("/dashboard"))
    assert "consultations-card" not in page and "/reports/idle" not in page
    assert "/reports/consultations" not in text(client.get("/consultations"))


def test_percentages_round_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7") and percent(1, 8) == Decimal("12.5")
    assert percent(0, 0) is None and percent(0, 4) == Decimal("0.0")


# --- query counts ----------------------------------------------------------------------


def _bulk_consultations(world, start: int, count: int) -> None:
    """Matters of every kind and state for many departments, with assignments, opinions,
    work logs and activities, inserted directly: enough rows that a per-row query shows."""
    from consultations.models import Activity

    advisers = list(db.session.scalars(db.select(type(world.advisers[0]))))
    departments = [
        Department(name=f"部门{start + i:04d}", kind=DepartmentKind.BUREAU)
        for i in range(count // 4 + 1)
    ]
    db.session.add_all(departments)
    kinds, adoptions = list(MatterKind), list(Adoption)
    for i in range(count):
        n = start + i
        received = date(YEAR, 1 + n % 11, 1 + n % 27)
        closed = i % 3 == 0
        matter = Matter(
            reference=f"B-{n:06d}",
            kind=kinds[n % 8],
            title=f"批量事项{n}",
            department=departments[i % len(departments)],
            requester="某科长",
            received_on=received,
            due_on=received + timedelta(days=15 + n % 10),
            status=MatterStatus.CLOSED if closed else MatterStatus.IN_PROGRESS,
        )
        db.session.add(matter)
        for role, adviser in ((AssignmentRole.LEAD, advisers[n % len(advisers)]),
                              (AssignmentRole.CO, advisers[(n + 1) % len(advisers)])):  # fmt: skip
            db.session.add(
                Assignment(
                    matter=matter,
                    adviser_id=adviser.id,
                    role=role,
                    status=AssignmentStatus.ACCEPTED,
                    assigned_on=received,
                )
            )
        if closed:
            db.session.add(
                Opinion(
                    matter=matter,
                    author_id=advisers[n % len(advisers)].id,
                    status=OpinionStatus.DELIVERED,
                    number=f"批〔{n}〕号",
                    submitted_on=received + timedelta(days=10 + n % 10),
                    delivered_on=received + timedelta(days=20),
                    adoption=adoptions[n % 3],
                )
            )
        db.session.add(
            WorkLog(
                matter=matter,
                adviser_id=advisers[n % len(advisers)].id,
                worked_on=received,
                hours=Decimal("1.5"),
                note="批量",
            )
        )
        if i % 10 == 0:
            db.session.add(
                Activity(
                    kind=ActivityKind.TRAINING if n % 2 else ActivityKind.PUBLICITY,
                    title=f"讲座{n}",
                    held_on=received,
                    place="会议室",
                    audience="干部",
                    attendance=30,
                    advisers=advisers[:2],
                )
            )
    db.session.commit()


PAGES = [
    f"/reports/consultations?year={YEAR}",
    f"/reports/consultations?year={YEAR}&quarter=2",
    f"/reports/idle?year={YEAR}",
    f"/reports/consultations.xlsx?year={YEAR}",
    "/dashboard",
]


@pytest.mark.parametrize("url", PAGES)
def test_the_reports_run_as_many_queries_for_a_big_office_as_for_a_small_one(
    known, client, login, url
):
    login(known.office)
    _bulk_consultations(known, 0, 12)
    client.get(url)  # warm up anything cached per process
    with count_queries() as small:
        assert client.get(url).status_code == 200
    bulk_panel(25, first=100, serving_days=800)
    _bulk_consultations(known, 1000, 400)
    with count_queries() as large:
        assert client.get(url).status_code == 200
    assert_constant_queries(small[0], large[0], url)


def test_the_report_itself_runs_seven_queries_and_only_for_the_tables_read(known):
    with count_queries() as queries:
        report = consultation_report(YEAR)
        assert queries[0] == 0
        totals = (report.department_total, report.kind_total)  # all the leader's page reads
        assert queries[0] == 3 and totals[0].requests == totals[1].requests
        assert len(report.advisers) >= 1 and len(report.kinds) == len(MatterKind)
    assert queries[0] == 7
