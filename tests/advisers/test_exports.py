"""The roster export and the import template, read back as a spreadsheet program would."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from advisers.models import Post, Specialty
from core.extensions import db
from core.i18n import today
from core.models import Role
from tests.spreadsheets import libreoffice_csv


def workbook(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.data))


@pytest.fixture
def roster(appoint, create_adviser):
    """Two serving advisers: a director with a licence, phone and specialty, and a member."""
    db.session.add(Specialty(name="行政法", name_en="Administrative law"))
    db.session.commit()
    specialty = db.session.scalar(db.select(Specialty))
    director = create_adviser(
        name="欧阳明",
        licence_no="13201202310000001",
        phone="0512-66880001",
        organisation="江苏正衡律师事务所苏州分所",
        specialty_ids=[specialty.id],
    )
    start = today() - timedelta(days=30)
    return [appoint(director, post=Post.DIRECTOR, start=start), appoint(start=start)]


def test_the_roster_workbook_holds_numbers_dates_and_the_screens_words(office_client, roster):
    sheet = workbook(office_client.get("/roster.xlsx")).active
    assert sheet.title == "顾问名册"
    assert sheet["A1"].value == f"法律顾问名册（截至 {today().isoformat()}）"
    header = [cell.value for cell in sheet[2]]
    assert header == [
        "姓名",
        "性别",
        "类别",
        "工作单位",
        "执业证号",
        "电话",
        "电子邮箱",
        "专业领域",
        "职务",
        "聘期起始",
        "聘期截止",
        "聘任书编号",
        "系统编号",
    ]
    first = dict(zip(header, sheet[3], strict=True))
    term = roster[0]
    assert first["姓名"].value == "欧阳明" and first["职务"].value == "主任"
    assert first["聘期起始"].is_date and first["聘期起始"].number_format == "yyyy-mm-dd"
    assert first["聘期起始"].value == datetime.combine(term.start_on, datetime.min.time())
    assert first["聘期截止"].value.date() == term.end_on
    assert (first["系统编号"].data_type, first["系统编号"].value) == ("n", term.adviser_id)
    assert (first["执业证号"].data_type, first["执业证号"].value) == ("s", "13201202310000001")
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:M4"
    assert all(cell.font.b for cell in sheet[2])


def test_every_column_of_the_roster_is_widened_to_its_content(office_client, roster):
    sheet = workbook(office_client.get("/roster.xlsx")).active
    widths = {}
    for dimension in sheet.column_dimensions.values():
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = dimension.width
    assert sorted(widths) == list(range(1, 14))
    # the organisation: 13 Chinese characters, each two wide
    assert widths[4] >= 26 and widths[2] < 10


def test_the_export_speaks_the_users_language(client, make_user, login, roster):
    login(make_user(Role.OFFICE, locale="en"))
    sheet = workbook(client.get("/roster.xlsx")).active
    assert sheet.title == "Roster"
    assert sheet["A1"].value.startswith("Legal adviser roster (as of ")
    assert sheet["J2"].value == "Term start" and sheet["M2"].value == "Record ID"


def test_the_roster_workbook_opens_in_libreoffice(office_client, roster, tmp_path):
    lines = libreoffice_csv(office_client.get("/roster.xlsx").data, tmp_path).splitlines()
    assert lines[0].startswith("法律顾问名册（截至")
    term = roster[0]
    assert lines[2].startswith("欧阳明,") and f",{term.start_on.isoformat()}," in lines[2]
    assert lines[2].endswith(f",{term.letter_no},{term.adviser_id}")


def test_the_import_template_has_an_example_and_explains_each_column(office_client, roster):
    book = workbook(office_client.get("/advisers/import/template.xlsx"))
    assert book.sheetnames == ["顾问名册", "说明"]
    data, instructions = book["顾问名册"], book["说明"]
    assert "示例" in data["A1"].value
    assert [c.value for c in data[2]][9] == "聘期起始"
    assert data["A3"].value == "张三" and data["H3"].value == "行政法"
    explained = {row[0]: row[1] for row in instructions.iter_rows(min_row=3, values_only=True)}
    assert set(explained) == {c.value for c in data[2]}
    assert "男、女" in explained["性别"] and "公职律师" in explained["类别"]
    assert "主任、副主任、成员" in explained["职务"]
    assert "行政法" in explained["专业领域"]


def test_only_the_office_downloads_the_template(client, make_user, login):
    login(make_user(Role.VIEWER))
    assert client.get("/advisers/import/template.xlsx").status_code == 403
