"""The panel's pages through the test client: what the office sees and does."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from advisers.models import Adviser, Nomination, NominationStatus, Post, Specialty, Term
from core import pdf as letters
from core.extensions import db
from core.i18n import today
from core.models import Role


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def panel(appoint, create_adviser):
    """A full panel serving today: a director, three deputies and eleven members."""
    start = today() - timedelta(days=100)
    terms = [appoint(post=Post.DIRECTOR, start=start)]
    terms += [appoint(post=Post.DEPUTY_DIRECTOR, start=start) for _ in range(3)]
    terms += [appoint(post=Post.MEMBER, start=start) for _ in range(11)]
    return terms


def test_the_dashboard_shows_the_panel_against_its_limits(office_client, panel):
    page = text(office_client.get("/dashboard"))
    assert 'data-testid="members">15<' in page
    assert "panel-warning" not in page


def test_a_small_panel_raises_the_warning(office_client, appoint):
    appoint(post=Post.MEMBER, start=today())
    page = text(office_client.get("/roster"))
    assert 'data-testid="panel-warning"' in page
    assert 'data-testid="panel-warning"' in text(office_client.get("/dashboard"))


def test_the_roster_filters_searches_and_sorts(office_client, panel, create_adviser):
    db.session.add(Specialty(name="劳动", name_en="Labour"))
    db.session.commit()
    director = panel[0].adviser
    page = text(office_client.get("/roster"))
    assert page.index(director.name) < page.index(panel[5].adviser.name)
    only_director = text(office_client.get("/roster?post=director"))
    assert director.name in only_director and panel[5].adviser.name not in only_director
    searched = text(office_client.get(f"/roster?q={panel[7].adviser.name}"))
    assert panel[7].adviser.name in searched and director.name not in searched
    assert office_client.get("/roster?sort=-end&category=cppcc").status_code == 200
    refused = office_client.get("/roster?sort=-end&category=nonsense")  # issue 7: say so
    assert refused.status_code == 400 and "category=nonsense" in text(refused)
    none = text(office_client.get("/roster?category=cppcc"))
    assert director.name not in none


def test_roster_export_csv_and_xlsx(office_client, panel):
    csv_response = office_client.get("/roster.csv")
    assert csv_response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "姓名" and len(rows) == 16
    xlsx = office_client.get("/roster.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    title, header, first = values[0][0], values[1][0], values[2][0]
    assert title.startswith("法律顾问") and header == "姓名"
    assert len(values) == 17 and first == panel[0].adviser.name


def test_csv_cells_cannot_become_formulas(office_client, appoint, create_adviser):
    appoint(adviser=create_adviser(name="=HYPERLINK(1)"), start=today())
    body = office_client.get("/roster.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def workbook(
    *rows,
    header=(
        "姓名",
        "性别",
        "类别",
        "工作单位",
        "执业证号",
        "专业领域",
        "职务",
        "任期开始",
        "聘任书编号",
    ),
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="roster.xlsx"):
    return client.post(
        "/advisers/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def advisers_count() -> int:
    return db.session.scalar(select(func.count(Adviser.id)))


def test_a_good_workbook_imports_advisers_and_terms(office_client):
    db.session.add(Specialty(name="行政法", name_en="Administrative law"))
    db.session.commit()
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
    response = upload(office_client, data)
    assert response.status_code == 302, text(response)
    assert advisers_count() == 2
    term = db.session.scalar(select(Term))
    assert (term.letter_no, term.post, term.end_on) == (
        "江府法顾聘〔2026〕1号",
        Post.DIRECTOR,
        date(2029, 2, 28),
    )


def test_one_bad_row_imports_nothing_and_lists_every_problem(office_client):
    data = workbook(
        ("王建国", "男", "社会律师", "", "", "", "", "", ""),
        ("", "不详", "律师", "", "", "火星法", "主任", "2026-13-01", ""),
        ("张三", "男", "社会律师", "", "", "", "成员", "2026-03-01", ""),
    )
    response = upload(office_client, data)
    assert response.status_code == 422
    page = text(response)
    assert 'data-testid="import-errors"' in page
    assert page.count("<tr><td>3</td>") >= 4  # name, gender, category, specialty, date
    assert advisers_count() == 0


def test_a_row_breaking_a_panel_rule_imports_nothing(office_client):
    rows = [(f"主任{i}", "男", "社会律师", "", "", "", "主任", "2026-03-01", "") for i in range(2)]
    response = upload(office_client, workbook(*rows))
    assert response.status_code == 422
    assert advisers_count() == 0 and db.session.scalar(select(func.count(Term.id))) == 0


def test_duplicate_licences_in_one_file_are_refused(office_client):
    rows = [(f"甲{i}", "男", "社会律师", "", "123", "", "", "", "") for i in range(2)]
    assert upload(office_client, workbook(*rows)).status_code == 422
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
    assert response.status_code == 400


def test_the_workflow_through_the_pages(office_client, create_adviser):
    adviser = create_adviser(name="郑凯")
    day = today()
    response = office_client.post(
        f"/advisers/{adviser.id}/recommend",
        data={"post": "member", "recommended_on": day.isoformat(), "reason": "熟悉征收"},
    )
    assert response.status_code == 302
    nomination = db.session.scalar(select(Nomination))
    page = text(office_client.get(f"/advisers/{adviser.id}"))
    assert f"/nominations/{nomination.id}/approve" in page
    assert (
        office_client.post(
            f"/nominations/{nomination.id}/approve",
            data={"approved_on": day.isoformat(), "doc_no": "江府办复〔2026〕9号"},
        ).status_code
        == 302
    )
    assert (
        office_client.post(
            f"/nominations/{nomination.id}/appoint",
            data={"post": "member", "start_on": day.isoformat()},
        ).status_code
        == 302
    )
    term = db.session.scalar(select(Term))
    assert term.letter_no.startswith("江府法顾聘")
    page = text(office_client.get(f"/advisers/{adviser.id}"))
    assert term.letter_no in page and f"/terms/{term.id}/renew" in page


def test_the_sixteenth_appointment_is_refused_on_the_page(office_client, panel, create_adviser):
    adviser = create_adviser()
    nomination = Nomination(
        adviser=adviser,
        post=Post.MEMBER,
        status=NominationStatus.APPROVED,
        recommended_on=today(),
        approved_on=today(),
        approval_doc_no="1",
    )
    db.session.add(nomination)
    db.session.commit()
    response = office_client.post(
        f"/nominations/{nomination.id}/appoint",
        data={"post": "member", "start_on": today().isoformat()},
    )
    assert response.status_code == 400
    assert "15" in text(response)
    assert db.session.scalar(select(func.count(Term.id))) == 15


def test_renew_and_end_through_the_pages(office_client, appoint):
    term = appoint(start=today() - timedelta(days=10))
    assert (
        office_client.post(f"/terms/{term.id}/renew", data={"post": "deputy_director"}).status_code
        == 302
    )
    renewed = db.session.scalar(select(Term).where(Term.renewal_of_id == term.id))
    assert renewed.start_on == term.end_on + timedelta(days=1)
    no_reason = office_client.post(
        f"/terms/{renewed.id}/end",
        data={"reason": "dismissed", "ended_on": renewed.start_on.isoformat(), "note": ""},
    )
    assert no_reason.status_code == 400 and renewed.end_reason is None
    ended = office_client.post(
        f"/terms/{term.id}/end", data={"reason": "resigned", "ended_on": today().isoformat()}
    )
    assert ended.status_code == 400  # renewed already: end the renewed term instead


def test_the_letter_prints_and_downloads(office_client, appoint):
    term = appoint(start=today())
    page = text(office_client.get(f"/terms/{term.id}/letter"))
    assert "聘任书" in page and term.letter_no in page and term.adviser.name in page
    pdf = office_client.get(f"/terms/{term.id}/letter.pdf")
    if letters.pdf_available():
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    else:
        assert pdf.status_code == 302


def test_without_a_cjk_font_the_pdf_link_says_so(office_client, appoint, monkeypatch):
    monkeypatch.setattr(letters, "pdf_available", lambda: False)
    term = appoint(start=today())
    page = text(office_client.get(f"/terms/{term.id}/letter"))
    assert 'data-testid="no-pdf"' in page and "letter.pdf" not in page
    assert office_client.get(f"/terms/{term.id}/letter.pdf").status_code == 302


def test_advisers_list_shows_former_and_pending(office_client, appoint, create_adviser):
    from advisers import services

    term = appoint(start=today() - timedelta(days=400))
    services.end_term(None, term, reason="resigned", ended_on=today() - timedelta(days=1))
    pending = create_adviser(name="候选人")
    services.recommend_adviser(None, pending, post=Post.MEMBER, recommended_on=today())
    db.session.commit()
    page = text(office_client.get("/advisers"))
    assert term.adviser.name in page and "候选人" in page


def test_an_adviser_edit_keeps_specialties_and_links_a_login(office_client, make_user):
    db.session.add(Specialty(name="合同", name_en="Contracts"))
    db.session.commit()
    specialty = db.session.scalar(select(Specialty))
    account = make_user(Role.ADVISER)
    response = office_client.post(
        "/advisers/new",
        data={
            "name": "孙婷",
            "gender": "female",
            "category": "legal_aid_lawyer",
            "specialties": [str(specialty.id)],
            "user_id": str(account.id),
            "phone": "0512-66880001",
        },
    )
    assert response.status_code == 302
    adviser = db.session.scalar(select(Adviser))
    assert [s.name for s in adviser.specialties] == ["合同"] and adviser.user_id == account.id


def test_specialties_are_managed_by_the_office(office_client):
    assert (
        office_client.post(
            "/specialties/new", data={"name": "知识产权", "name_en": "IP", "is_active": "y"}
        ).status_code
        == 302
    )
    assert (
        office_client.post(
            "/specialties/new", data={"name": "知识产权", "name_en": "IP"}
        ).status_code
        == 400
    )
    assert "知识产权" in text(office_client.get("/specialties"))


def test_an_unlinked_adviser_login_is_told_so(client, make_user, login):
    login(make_user(Role.ADVISER))
    response = client.get("/me")
    assert response.status_code == 200


def test_the_demo_loads_a_complete_panel(runner):
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    serving = db.session.scalar(
        select(func.count(Term.id)).where(Term.start_on <= today(), Term.last_day >= today())
    )
    assert serving == 15
    assert runner.invoke(args=["demo", "load", "--if-empty"]).output.startswith("demo: the")
    assert "office" in runner.invoke(args=["demo", "logins"]).output


def test_a_workbook_that_unpacks_to_far_more_than_a_roster_is_refused_unread(office_client):
    """Issue 7, point 25: a small file that unpacks to 30 MB would hold a worker."""
    import time
    import zipfile

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


def test_cells_far_beyond_the_rosters_columns_are_left_unread(office_client):
    row = ["王建国", "男", "社会律师", *[""] * 6, *["x"] * 200]
    response = upload(office_client, workbook(row))
    assert response.status_code == 302 and advisers_count() == 1
