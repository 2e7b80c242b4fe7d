"""The panel's pages through the test client: what the office sees and does."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from advisers.models import (
    Adviser,
    EndReason,
    Nomination,
    NominationStatus,
    Post,
    Specialty,
    Term,
)
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
    """The workbook in detail, and the import: tests/advisers/test_exports.py, test_imports.py."""
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


APPROVAL = {"approved_on": "2026-11-20", "doc_no": "江府函〔2026〕31号"}


def test_renew_and_end_through_the_pages(office_client, appoint):
    term = appoint(start=today() - timedelta(days=10))
    no_approval = office_client.post(f"/terms/{term.id}/renew", data={"post": "deputy_director"})
    assert no_approval.status_code == 400
    assert db.session.scalar(select(func.count(Term.id))) == 1
    renew = {"post": "deputy_director", "approved_on": today().isoformat(), "doc_no": "江府函8号"}
    assert office_client.post(f"/terms/{term.id}/renew", data=renew).status_code == 302
    renewed = db.session.scalar(select(Term).where(Term.renewal_of_id == term.id))
    assert renewed.start_on == term.end_on + timedelta(days=1)
    assert renewed.approval_doc_no == "江府函8号"
    page = text(office_client.get(f"/advisers/{term.adviser_id}"))
    assert ("江府函8号" in page and "Withdraw renewal" in page) or "撤回续聘" in page

    form = text(office_client.get(f"/terms/{term.id}/end"))
    assert 'data-testid="renewal-warning"' in form and renewed.letter_no in form
    ending = {"reason": "resigned", "ended_on": today().isoformat(), "note": "本人申请"}
    unconfirmed = office_client.post(f"/terms/{term.id}/end", data=ending)
    assert unconfirmed.status_code == 400 and term.end_reason is None
    ended = office_client.post(f"/terms/{term.id}/end", data={**ending, "confirm": "y"})
    assert ended.status_code == 302
    assert term.end_reason == EndReason.RESIGNED
    assert renewed.end_reason == EndReason.WITHDRAWN


def test_the_end_term_form_starts_with_no_reason_and_names_its_action(office_client, appoint):
    term = appoint(start=today() - timedelta(days=10))
    page = office_client.get(f"/terms/{term.id}/end").get_data(as_text=True)
    assert 'name="reason" required><option value="">' in page and "selected" not in page
    assert "btn-danger" in page and 'type="submit" class="btn btn-danger"' in page


def test_a_dismissal_through_the_page_needs_approval_and_prints_a_notice(office_client, appoint):
    term = appoint(start=today() - timedelta(days=100))
    last = today() - timedelta(days=1)
    data = {"reason": "dismissed", "ended_on": last.isoformat(), "note": "长期不参加会议"}
    missing = office_client.post(f"/terms/{term.id}/end", data={**data, "confirm": "y"})
    assert missing.status_code == 400 and term.end_reason is None
    done = office_client.post(f"/terms/{term.id}/end", data={**data, **APPROVAL, "confirm": "y"})
    assert done.status_code == 302 and term.end_reason == EndReason.DISMISSED
    notice = text(office_client.get(f"/terms/{term.id}/dismissal-notice"))
    assert "解聘通知书" in notice and "江府函〔2026〕31号" in notice
    assert f"最后任职日为{last.year}年{last.month}月{last.day}日" in notice
    effective = today()
    assert f"解聘自{effective.year}年{effective.month}月{effective.day}日起生效" in notice
    history = text(office_client.get(f"/advisers/{term.adviser_id}"))
    assert last.isoformat() in history and effective.isoformat() in history


def test_only_a_dismissed_term_has_a_dismissal_notice(office_client, appoint):
    term = appoint(start=today() - timedelta(days=100))
    assert office_client.get(f"/terms/{term.id}/dismissal-notice").status_code == 404


def test_a_renewal_is_withdrawn_through_its_page(office_client, appoint):
    term = appoint(start=today() - timedelta(days=10))
    from advisers import services

    renewal = services.renew_term(None, term, approved_on=today(), doc_no="江府函9号")
    db.session.commit()
    unconfirmed = office_client.post(f"/terms/{renewal.id}/withdraw", data={"note": "政府未同意"})
    assert unconfirmed.status_code == 400 and renewal.end_reason is None
    done = office_client.post(
        f"/terms/{renewal.id}/withdraw", data={"note": "政府未同意", "confirm": "y"}
    )
    assert done.status_code == 302 and renewal.end_reason == EndReason.WITHDRAWN
    assert term.end_reason is None


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


def test_liaisons_and_leaders_see_who_an_adviser_is_not_the_offices_working_details(
    client, login, make_user, create_adviser, appoint
):
    """Issue 7, point 30: notes, conflicts, phone and licence are the office's (and the
    adviser's own); a liaison or a leader sees the record without them."""
    adviser = create_adviser(
        licence_no="14501201010000077", phone="0771-5550001", notes="内部备注", conflicts="某公司"
    )
    appoint(adviser, start=today() - timedelta(days=10))
    for role, shown in ((Role.OFFICE, True), (Role.LIAISON, False), (Role.VIEWER, False)):
        login(make_user(role))
        page = text(client.get(f"/advisers/{adviser.id}"))
        assert ("14501201010000077" in page) is shown, role
        assert ("内部备注" in page) is shown and ("0771-5550001" in page) is shown, role
        exported = client.get("/roster.csv").get_data(as_text=True)
        assert ("14501201010000077" in exported) is shown, role
        assert adviser.name in exported
        client.post("/logout")
