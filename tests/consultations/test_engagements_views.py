"""The engagements register's pages through the test client."""

import io
from datetime import timedelta
from urllib.parse import quote

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func, select

from consultations.engagements import exports
from consultations.engagements.models import EngagedAs, Engagement
from core.extensions import db
from core.files import StoredFile
from core.i18n import today
from core.models import Department, DepartmentKind, Role
from tests.conftest import assert_constant_queries, count_queries
from tests.consultations.engagement_fixtures import PDF, days_from_today, upload


def text(response):
    return response.get_data(as_text=True)


def form_data(department, **changes) -> dict:
    start = today() - timedelta(days=30)
    data = {
        "department_id": str(department.id),
        "person_name": "蒋雅琴",
        "engaged_as": "practising_lawyer",
        "organisation": "东湖律师事务所",
        "start_on": start.isoformat(),
        "end_on": (start + timedelta(days=364)).isoformat(),
        "scope": "街道办合同审查，社区矛盾纠纷调处",
        "fee": "12,345",
        "notes": "",
    }
    data.update(changes)
    return data


def count() -> int:
    return db.session.scalar(select(func.count(Engagement.id)))


def test_the_office_registers_an_engagement_with_its_contract(office_client, town):
    data = form_data(town, contract=(io.BytesIO(PDF), "东湖街道法律顾问合同.pdf"))
    response = office_client.post("/engagements/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, text(response)[:2000]
    engagement = db.session.scalar(select(Engagement))
    assert engagement.contract_file.name == "东湖街道法律顾问合同.pdf"
    page = text(office_client.get(response.location))
    assert "蒋雅琴" in page and "¥12,345.00" in page
    assert 'data-testid="contract-link"' in page and 'data-testid="record-history"' in page


def test_the_form_is_acted_on_once(office_client, town):
    data = form_data(town, submission="a-one-time-token-0123456789")
    first = office_client.post("/engagements/new", data=data)
    again = office_client.post("/engagements/new", data=data)
    assert first.status_code == again.status_code == 302
    assert again.location == first.location and count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_on": (today() - timedelta(days=31)).isoformat()}, "end_on"),
        ({"fee": "一万二"}, "fee"),
        ({"fee": "-5"}, "fee"),
        ({"fee": "100.555"}, "fee"),
    ],
)
def test_a_refused_form_shows_the_error_beside_its_field(office_client, town, changes, field):
    response = office_client.post("/engagements/new", data=form_data(town, **changes))
    assert response.status_code == 400
    page = text(response)
    # the error follows the field's input, before the next field's label
    after_field = page[page.index(f'name="{field}"') :]
    assert after_field.index("invalid-feedback") < after_field.index("<label")
    assert count() == 0


def test_a_garbage_fee_is_named_in_the_message(office_client, town):
    page = text(office_client.post("/engagements/new", data=form_data(town, fee="abc")))
    assert "“abc”" in page


def test_a_garbage_fee_is_shown_with_the_other_field_errors(office_client, town):
    response = office_client.post("/engagements/new", data=form_data(town, fee="abc", scope=""))
    assert response.status_code == 400
    assert text(response).count("invalid-feedback") == 2


def test_an_edit_from_a_stale_form_is_refused(office_client, engage):
    engagement = engage()
    url = f"/engagements/{engagement.id}/edit"
    data = form_data(engagement.department, version="1", notes="第一次修改")
    assert office_client.post(url, data=data).status_code == 302
    stale = office_client.post(url, data={**data, "notes": "第二次修改"})
    assert stale.status_code == 400
    db.session.refresh(engagement)
    assert engagement.notes == "第一次修改"


def test_the_edit_form_shows_the_fee_and_replaces_the_contract(office_client, engage):
    engagement = engage(fee="80000", contract=upload("旧合同.pdf"))
    url = f"/engagements/{engagement.id}/edit"
    page = text(office_client.get(url))
    assert 'value="80000.00"' in page and "旧合同.pdf" in page
    data = form_data(
        engagement.department, version="1", fee="80000.00",
        contract=(io.BytesIO(PDF), "新合同.pdf"),
    )  # fmt: skip
    assert office_client.post(url, data=data, content_type="multipart/form-data").status_code == 302
    db.session.refresh(engagement)
    assert engagement.contract_file.name == "新合同.pdf"
    assert db.session.scalar(select(func.count(StoredFile.id))) == 2


@pytest.fixture
def register(engage, town, bureau):
    """Four engagements: one of each state, in two departments."""
    return {
        "in_force": engage(person_name="在聘甲", department_id=town.id),
        "ending": engage(
            person_name="将到期乙", department_id=bureau.id, end_on=days_from_today(10),
            engaged_as=EngagedAs.PUBLIC_LAWYER, fee="",
        ),
        "ended": engage(
            person_name="已到期丙", department_id=town.id,
            start_on=days_from_today(-400), end_on=days_from_today(-1),
        ),
        "upcoming": engage(
            person_name="未生效丁", department_id=bureau.id, start_on=days_from_today(5),
            end_on=days_from_today(370), engaged_as=EngagedAs.OTHER_PROFESSIONAL,
        ),
    }  # fmt: skip


NAMES = {"在聘甲", "将到期乙", "已到期丙", "未生效丁"}


def names_on(page: str) -> set[str]:
    return {name for name in NAMES if name in page}


def test_the_list_filters_by_department_type_and_state(office_client, register, town, bureau):
    assert names_on(text(office_client.get("/engagements"))) == NAMES
    assert names_on(text(office_client.get(f"/engagements?department={town.id}"))) == {
        "在聘甲", "已到期丙"}  # fmt: skip
    assert names_on(text(office_client.get("/engagements?type=public_lawyer"))) == {"将到期乙"}
    by_state = {
        state: names_on(text(office_client.get(f"/engagements?state={state}")))
        for state in ("in_force", "ending", "ended", "upcoming")
    }
    assert by_state == {
        "in_force": {"在聘甲", "将到期乙"},
        "ending": {"将到期乙"},
        "ended": {"已到期丙"},
        "upcoming": {"未生效丁"},
    }


def test_the_list_sorts_by_its_columns(office_client, register):
    page = text(office_client.get("/engagements?sort=end"))
    assert page.index("已到期丙") < page.index("将到期乙") < page.index("在聘甲")
    page = text(office_client.get("/engagements?sort=-end"))
    assert page.index("未生效丁") < page.index("在聘甲") < page.index("已到期丙")


@pytest.mark.parametrize(
    "query", ["sort=salary", "state=soon", "type=judge", "department=abc", "page=0"]
)
def test_unreadable_list_arguments_are_refused(office_client, query):
    assert office_client.get(f"/engagements?{query}").status_code == 400


def test_a_voided_engagement_leaves_the_list(office_client, register):
    voided = register["ended"]
    response = office_client.post(f"/void/engagement/{voided.id}", data={"reason": "误录"})
    assert response.status_code == 302
    assert "已到期丙" in text(office_client.get(response.location))  # on the voided records
    assert names_on(text(office_client.get("/engagements"))) == NAMES - {"已到期丙"}
    assert office_client.get(f"/engagements/{voided.id}").status_code == 404


def test_a_liaison_reads_only_their_own_departments_engagements(
    client, login, make_user, register, bureau
):
    login(make_user(Role.LIAISON, department_id=bureau.id))
    assert names_on(text(client.get("/engagements"))) == {"将到期乙", "未生效丁"}
    assert client.get(f"/engagements/{register['ending'].id}").status_code == 200
    assert client.get(f"/engagements/{register['in_force'].id}").status_code == 403
    assert client.get(f"/engagements/{register['in_force'].id}/edit").status_code == 403
    rows = load_workbook(io.BytesIO(client.get("/engagements/export.xlsx").data)).active
    assert {row[2] for row in rows.iter_rows(min_row=3, values_only=True)} == {
        "将到期乙", "未生效丁"}  # fmt: skip


def test_advisers_do_not_see_the_register(client, login, make_user, register):
    login(make_user(Role.ADVISER))
    assert client.get("/engagements").status_code == 403
    assert client.get(f"/engagements/{register['ending'].id}").status_code == 403
    assert client.get("/engagements/export.csv").status_code == 403
    assert "/engagements" not in text(client.get("/me/meetings"))


def test_the_menu_leads_readers_to_the_register(client, login, make_user):
    login(make_user(Role.VIEWER))
    page = text(client.get("/engagements"))
    assert 'href="/engagements"' in page
    assert "/engagements/new" not in page, "leaders read, the office registers"


def test_the_xlsx_export_has_the_chinese_headers_and_the_rows(office_client, register):
    response = office_client.get("/engagements/export.xlsx?sort=person")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    with force_locale("zh_Hans_CN"):
        headers = exports.headers()
    assert list(rows[1]) == headers
    assert {"姓名", "备注", "系统编号"} <= set(headers)
    by_name = {row[2]: row for row in rows[2:]}
    assert set(by_name) == NAMES
    in_force = by_name["在聘甲"]
    assert in_force[0] == "白鹭镇人民政府" and in_force[9] == 60000
    assert in_force[5].date() == register["in_force"].start_on
    assert by_name["将到期乙"][9] is None


def test_the_csv_export_follows_the_filters(office_client, register):
    response = office_client.get("/engagements/export.csv?state=ended")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.data.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "已到期丙" in lines[1]


def test_the_contract_downloads_under_its_chinese_name(client, login, make_user, engage, bureau):
    engagement = engage(department_id=bureau.id, contract=upload("城管局法律顾问合同.pdf"))
    login(make_user(Role.LIAISON, department_id=bureau.id))
    response = client.get(f"/engagements/{engagement.id}/contract")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('城管局法律顾问合同.pdf')}" in disposition


def test_another_departments_liaison_cannot_download_the_contract(
    client, login, make_user, engage, bureau, town
):
    engagement = engage(department_id=bureau.id, contract=upload())
    login(make_user(Role.LIAISON, department_id=town.id))
    assert client.get(f"/engagements/{engagement.id}/contract").status_code == 403
    assert client.get(f"/engagements/{engagement.id}").status_code == 403


def test_an_engagement_without_a_contract_has_none_to_download(office_client, engage):
    engagement = engage()
    assert office_client.get(f"/engagements/{engagement.id}/contract").status_code == 404


def test_the_list_runs_as_many_queries_for_a_big_register_as_for_a_small_one(
    client, login, make_user, engage
):
    login(make_user(Role.OFFICE, username="reader"))
    departments = [Department(name=f"测试镇{n}", kind=DepartmentKind.TOWN) for n in range(30)]
    db.session.add_all(departments)
    db.session.commit()
    for n in range(3):
        engage(person_name=f"顾问{n}", department_id=departments[n].id, contract=upload())
    urls = ["/engagements", "/engagements?state=in_force&sort=-fee", "/engagements?sort=department"]
    small = {}
    for url in urls:
        client.get(url)
        with count_queries() as counted:
            assert client.get(url).status_code == 200
        small[url] = counted[0]
    for n in range(3, 80):
        engage(person_name=f"顾问{n}", department_id=departments[n % 30].id, contract=upload())
    for url in urls:
        with count_queries() as large:
            assert client.get(url).status_code == 200
        assert_constant_queries(small[url], large[0], url)
        assert small[url] <= 12, f"{url}: {small[url]} queries"
