"""The roster import through the test client: check, preview, confirm; all or nothing."""

import io
import os
import re
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from advisers import services
from advisers.imports import pending
from advisers.models import Adviser, Post, Specialty, Term
from core.extensions import db
from core.i18n import today
from core.models import AuditEvent, Role
from tests.conftest import log_in

HEADER = (
    "姓名",
    "性别",
    "类别",
    "工作单位",
    "执业证号",
    "专业领域",
    "职务",
    "任期开始",
    "聘任书编号",
)


def text(response) -> str:
    return response.get_data(as_text=True)


def workbook(*rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited(data: bytes, **cells) -> bytes:
    """The workbook with some cells changed: edited(data, F3="0512-1")."""
    book = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        book.active[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="roster.xlsx"):
    return client.post(
        "/advisers/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def token_of(response) -> str:
    found = re.search(r'name="token" type="hidden" value="([^"]+)"', text(response))
    assert found, text(response)[:2000]
    return found.group(1)


def confirm(client, token: str):
    return client.post("/advisers/import/confirm", data={"token": token})


def row_of(response, number: int) -> str:
    """The preview's line for a row of the file."""
    found = re.search(rf'<tr data-row="{number}".*?</tr>', text(response), re.S)
    assert found, f"row {number} not in the preview"
    return re.sub(r"\s+", " ", found.group(0))


def advisers_count() -> int:
    return db.session.scalar(select(func.count(Adviser.id)))


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


@pytest.fixture
def specialty():
    item = Specialty(name="行政法", name_en="Administrative law")
    db.session.add(item)
    db.session.commit()
    return item


@pytest.fixture
def serving(appoint, create_adviser, specialty):
    """Three advisers serving today, each with a licence number; the first has a specialty."""
    start = today() - timedelta(days=30)
    terms = []
    for n, post in enumerate((Post.DIRECTOR, Post.DEPUTY_DIRECTOR, Post.MEMBER), start=1):
        adviser = create_adviser(
            licence_no=f"1320120231000000{n}",
            phone=f"0512-6688000{n}",
            specialty_ids=[specialty.id] if n == 1 else [],
        )
        terms.append(appoint(adviser, post=post, start=start))
    return terms


# --- previews and all-or-nothing ----------------------------------------------------------


def test_a_good_workbook_is_previewed_and_imported_on_confirmation(office_client, specialty):
    data = workbook(
        (
            "王建国",
            "男",
            "社会律师",
            "正衡律所",
            "132012003",
            "行政法",
            "主任",
            date(2026, 3, 1),
            "江府法顾聘〔2026〕1号",
        ),
        (
            "李雪梅",
            "female",
            "Public-sector lawyer",
            "区司法局",
            "",
            "Administrative law",
            "",
            "",
            "",
        ),
    )
    events = audit_count()
    preview = upload(office_client, data)
    assert preview.status_code == 200
    assert "新增" in row_of(preview, 2) and "江府法顾聘〔2026〕1号" in row_of(preview, 2)
    assert advisers_count() == 0 and audit_count() == events  # a preview writes nothing
    response = confirm(office_client, token_of(preview))
    assert response.status_code == 303 and response.location.endswith("/advisers")
    assert advisers_count() == 2
    term = db.session.scalar(select(Term))
    assert (term.letter_no, term.post, term.end_on) == (
        "江府法顾聘〔2026〕1号",
        Post.DIRECTOR,
        date(2029, 2, 28),
    )


def test_the_preview_uses_no_letter_number_it_shows(office_client):
    data = workbook(("王建国", "男", "社会律师", "", "", "", "成员", today(), ""))
    preview = upload(office_client, data)
    assert "自动生成聘任书编号" in row_of(preview, 2)
    upload(office_client, data)  # a second preview, tried and rolled back as well
    confirm(office_client, token_of(preview))
    number = db.session.scalar(select(Term.letter_no))
    assert number.endswith("〕1号"), number


def test_one_bad_row_imports_nothing_and_shows_its_problems_beside_it(office_client):
    data = workbook(
        ("王建国", "男", "社会律师", "", "", "", "", "", ""),
        ("", "不详", "律师", "", "", "火星法", "主任", "2026-13-01", ""),
        ("张三", "男", "社会律师", "", "", "", "成员", "2026-03-01", ""),
    )
    response = upload(office_client, data)
    assert response.status_code == 422
    bad = row_of(response, 3)
    assert bad.count("<li>") >= 5  # name, gender, category, specialty, date
    assert "姓名" in bad and "“不详”不是可识别的值，可填：男、女" in bad and "火星法" in bad
    assert 'data-testid="row-errors"' not in row_of(response, 2)
    assert 'name="token"' not in text(response)
    assert advisers_count() == 0


def test_a_row_breaking_a_panel_rule_imports_nothing(office_client):
    rows = [(f"主任{i}", "男", "社会律师", "", "", "", "主任", "2026-03-01", "") for i in range(2)]
    response = upload(office_client, workbook(*rows))
    assert response.status_code == 422
    assert "主任" in row_of(response, 3) and 'data-testid="row-errors"' in row_of(response, 3)
    assert advisers_count() == 0 and db.session.scalar(select(func.count(Term.id))) == 0


def test_duplicate_licences_in_one_file_are_refused(office_client):
    rows = [(f"甲{i}", "男", "社会律师", "", "123", "", "", "", "") for i in range(2)]
    response = upload(office_client, workbook(*rows))
    assert response.status_code == 422 and "与第 2 行" in row_of(response, 3)
    assert advisers_count() == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"not a workbook", "roster.xlsx"), (b"", "roster.xlsx"), (b"a,b", "roster.csv")],
)
def test_garbage_files_are_refused_with_a_message(office_client, data, name):
    response = upload(office_client, data, name)
    assert response.status_code == 400
    assert "invalid-feedback" in text(response)


def test_a_workbook_without_headers_is_refused(office_client):
    response = upload(office_client, workbook(("x", "y"), header=("a", "b")))
    assert response.status_code == 400 and "未找到标题行" in text(response)


def test_a_new_adviser_needs_the_required_columns(office_client):
    response = upload(office_client, workbook(("王建国", "社会律师"), header=("姓名", "类别")))
    assert response.status_code == 422
    assert "性别: 新增法律顾问须填写此列" in row_of(response, 2)


def test_older_headers_are_still_read(office_client):
    data = workbook(("王建国", "男", "社会律师", "", "", "", "成员", "2026-03-01", ""))
    assert upload(office_client, data).status_code == 200  # 任期开始, as exports used to say


def test_a_workbook_that_unpacks_to_far_more_than_a_roster_is_refused_unread(office_client):
    """Issue 7, point 25: a small file that unpacks to 30 MB would hold a worker."""
    data = workbook(("王建国", "男", "社会律师"))
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b"<a>" + b" " * (30 * 1024 * 1024) + b"</a>")
    bomb = buffer.getvalue()
    assert len(bomb) < 200_000
    started = time.monotonic()
    response = upload(office_client, bomb)
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert "解压后超过 20 MB" in response.get_data(as_text=True)
    assert advisers_count() == 0


def test_a_workbook_over_5_mb_is_refused_before_it_is_read(office_client):
    """Uploads of up to 20 MB reach the server for attachments; a roster stops at 5 MB."""
    response = upload(office_client, b"PK" + b"\0" * (5 * 1024 * 1024))
    assert response.status_code == 400
    assert "5 MB" in response.get_data(as_text=True)
    assert advisers_count() == 0


def test_cells_far_beyond_the_rosters_columns_are_left_unread(office_client):
    row = ["王建国", "男", "社会律师", *[""] * 6, *["x"] * 200]
    response = upload(office_client, workbook(row))
    assert response.status_code == 200 and "新增" in row_of(response, 2)


# --- the exported roster, imported again -----------------------------------------------


def test_the_exported_roster_imported_unchanged_changes_nothing(office_client, serving):
    versions = [term.adviser.version for term in serving]
    events = audit_count()
    response = upload(office_client, office_client.get("/roster.xlsx").data)
    assert response.status_code == 200
    assert 'data-testid="import-no-changes"' in text(response)
    assert all("未变" in row_of(response, n) for n in (3, 4, 5))
    assert 'name="token"' not in text(response)  # nothing to confirm
    db.session.expire_all()
    assert [term.adviser.version for term in serving] == versions and audit_count() == events


def test_one_cell_edited_in_the_export_is_previewed_then_applied(office_client, serving):
    adviser = serving[0].adviser  # the director, on row 3
    version, events = adviser.version, audit_count()
    data = edited(office_client.get("/roster.xlsx").data, F3="0512-12345678")
    preview = upload(office_client, data)
    assert preview.status_code == 200
    assert "更新" in row_of(preview, 3)
    assert "电话: 0512-66880001 → 0512-12345678" in row_of(preview, 3)
    assert "<li" not in row_of(preview, 4) and "未变" in row_of(preview, 4)
    assert "未变" in row_of(preview, 5)
    db.session.expire_all()
    assert adviser.phone == "0512-66880001" and audit_count() == events
    assert confirm(office_client, token_of(preview)).status_code == 303
    db.session.expire_all()
    assert adviser.phone == "0512-12345678" and adviser.version == version + 1
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.record_type == "Adviser" and event.actor.username == "office"
    assert ("phone", "0512-66880001", "0512-12345678") in event.changes()


def test_a_row_with_a_known_licence_number_updates_that_adviser(office_client, serving):
    adviser = serving[1].adviser
    data = workbook(
        (adviser.name, "女", "社会律师", "新的律师事务所", adviser.licence_no),
        header=("姓名", "性别", "类别", "工作单位", "执业证号"),
    )
    preview = upload(office_client, data)
    assert "工作单位: 测试律师事务所 → 新的律师事务所" in row_of(preview, 2)
    confirm(office_client, token_of(preview))
    db.session.expire_all()
    assert adviser.organisation == "新的律师事务所" and advisers_count() == 3
    assert adviser.phone == "0512-66880002"  # a column the file lacks is left as it was


def test_a_record_id_updates_the_adviser_even_its_licence_number(office_client, serving):
    adviser = serving[2].adviser
    data = workbook(
        (adviser.name, "女", "社会律师", "NEW-1", adviser.id),
        header=("姓名", "性别", "类别", "执业证号", "系统编号"),
    )
    confirm(office_client, token_of(upload(office_client, data)))
    db.session.expire_all()
    assert adviser.licence_no == "NEW-1"


def test_a_record_id_taking_anothers_licence_or_unknown_is_refused(office_client, serving):
    first, second = (term.adviser for term in serving[:2])
    header = ("姓名", "性别", "类别", "执业证号", "系统编号")
    taken = workbook((second.name, "女", "社会律师", first.licence_no, second.id), header=header)
    response = upload(office_client, taken)
    assert response.status_code == 422
    assert 'data-testid="row-errors"><li>执业证号: ' in row_of(response, 2)
    unknown = upload(office_client, workbook(("某人", "女", "社会律师", "", 99999), header=header))
    assert unknown.status_code == 422
    assert "没有系统编号为 99999 的法律顾问" in row_of(unknown, 2)
    assert advisers_count() == 3


def test_an_english_export_imports_into_a_chinese_session_unchanged(
    app, office_client, make_user, serving
):
    english = app.test_client()
    make_user(Role.OFFICE, username="clerk-en", locale="en")
    assert log_in(english, "clerk-en").status_code == 302
    exported = english.get("/roster.xlsx").data
    assert load_workbook(io.BytesIO(exported)).active["A2"].value == "Full name"
    response = upload(office_client, exported)
    assert 'data-testid="import-no-changes"' in text(response)


def test_a_licence_number_typed_as_a_number_is_refused_not_cut(office_client):
    header = ("姓名", "性别", "类别", "执业证号")
    data = workbook(("王建国", "男", "社会律师", 13201202310000001), header=header)
    response = upload(office_client, data)
    assert response.status_code == 422 and "只保留 15 位" in row_of(response, 2)
    short = upload(office_client, workbook(("王建国", "男", "社会律师", 1320120), header=header))
    assert short.status_code == 200 and "执业证号: 1320120" in row_of(short, 2)


def test_an_import_cannot_change_the_post_of_a_term(office_client, serving):
    data = edited(office_client.get("/roster.xlsx").data, I3="成员")
    response = upload(office_client, data)
    assert response.status_code == 422 and "导入不能变更聘期的职务" in row_of(response, 3)


# --- the confirmation ---------------------------------------------------------------------


def test_confirming_twice_imports_once(office_client):
    preview = upload(office_client, workbook(("王建国", "男", "社会律师")))
    token = token_of(preview)
    assert confirm(office_client, token).status_code == 303
    again = confirm(office_client, token)
    assert again.status_code == 303 and advisers_count() == 1
    page = text(office_client.get(again.location))
    assert "该导入已确认过，不会重复导入" in page


def test_an_unknown_expired_or_foreign_token_is_refused(app, office_client, make_user):
    token = token_of(upload(office_client, workbook(("王建国", "男", "社会律师"))))
    for bad in ("nonsense", "../" * 10 + "etc", "A" * 32, ""):
        response = confirm(office_client, bad)
        assert response.status_code in (400, 404) and "已过期或不存在" in text(response)
    make_user(Role.OFFICE, username="office2")
    stranger = app.test_client()
    assert log_in(stranger, "office2").status_code == 302
    assert confirm(stranger, token).status_code == 404
    long_ago = time.time() - (pending.EXPIRY_MINUTES + 1) * 60
    for path in Path(app.instance_path, "uploads", "imports").glob("*/*"):
        os.utime(path, (long_ago, long_ago))
    expired = confirm(office_client, token)
    assert expired.status_code == 404 and "已过期或不存在" in text(expired)
    assert advisers_count() == 0


def test_a_user_keeps_a_few_previews_the_oldest_dropped(office_client):
    data = workbook(("王建国", "男", "社会律师"))
    tokens = [token_of(upload(office_client, data)) for _ in range(pending.MAX_OPEN_PER_USER + 1)]
    assert confirm(office_client, tokens[0]).status_code == 404
    assert confirm(office_client, tokens[-1]).status_code == 303


def test_a_change_to_the_records_after_the_preview_asks_again(office_client, serving):
    adviser = serving[0].adviser
    data = edited(office_client.get("/roster.xlsx").data, F3="0512-12345678")
    token = token_of(upload(office_client, data))
    services.save_adviser(None, adviser, version=adviser.version, notes="另一位同事的修改")
    db.session.commit()
    changed = confirm(office_client, token)
    assert changed.status_code == 409 and "预览之后记录已有变动" in text(changed)
    db.session.expire_all()
    assert adviser.phone == "0512-66880001"
    assert token_of(changed) == token  # the same file, shown again with what it now changes
    assert confirm(office_client, token).status_code == 303
    db.session.expire_all()
    assert adviser.phone == "0512-12345678" and adviser.notes == "另一位同事的修改"


def test_a_confirmation_refused_by_the_rules_writes_nothing(office_client, appoint):
    data = workbook(("王建国", "男", "社会律师", "", "", "", "主任", today(), ""))
    token = token_of(upload(office_client, data))
    appoint(post=Post.DIRECTOR, start=today())  # the director's seat is taken meanwhile
    response = confirm(office_client, token)
    assert response.status_code == 422 and 'data-testid="row-errors"' in row_of(response, 2)
    assert advisers_count() == 1


def test_the_template_example_row_imports(office_client, specialty):
    template = office_client.get("/advisers/import/template.xlsx").data
    preview = upload(office_client, template)
    assert preview.status_code == 200 and "新增" in row_of(preview, 3)
    assert confirm(office_client, token_of(preview)).status_code == 303
    adviser = db.session.scalar(select(Adviser))
    assert (adviser.name, adviser.licence_no) == ("张三", "13201202310000001")
    assert [s.name for s in adviser.specialties] == ["行政法"]
    again = upload(office_client, template)  # matched by its licence number now
    assert 'data-testid="import-no-changes"' in text(again)


def test_only_the_office_imports(app, make_user, login, client):
    assert client.post("/advisers/import/confirm").location.startswith("/login")
    login(make_user(Role.VIEWER))
    assert client.get("/advisers/import").status_code == 403
    assert client.post("/advisers/import/confirm", data={"token": "A" * 32}).status_code == 403
