"""The working-day calendar's pages: the office and the leadership read the loaded years, the
administrator enters a year from the State Council's notice, previewed, checked line by line."""

from datetime import date

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditEvent, Role
from core.workdays import (
    CalendarSource,
    HolidayYear,
    add_working_days,
    is_provisional,
)

LINES_2027 = (
    "元旦 2027-01-01 2027-01-03\n"
    "春节 2027-02-06 2027-02-13 调休 2027-02-14 2027-02-20\n"
    "国庆节 2027-10-01 2027-10-07 调休 2027-09-26 2027-10-09\n"
)
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def admin_client(client, login, make_user):
    """The administrator, reading the pages in English, the messages' own words."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return login(make_user(Role.ADMIN, username="keeper"))


def entry(**changes) -> dict:
    return {"year": "2027", "notice": NOTICE, "doc_no": "", "days": LINES_2027, **changes}


def counts() -> tuple[int, int]:
    years = db.session.scalar(select(func.count()).select_from(HolidayYear))
    changes = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.record_type.in_(["Holiday", "HolidayYear"])
        )
    )
    return years, changes


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OFFICE, Role.VIEWER])
def test_the_office_and_the_leadership_read_the_calendar(client, login, make_user, role):
    login(make_user(role))
    page = text(client.get("/admin/holidays"))
    assert "2026" in page and "2004" in page
    year = client.get("/admin/holidays/2025")
    assert year.status_code == 200
    assert "国庆节" in text(year) and "2025-09-28" in text(year) and "2025-10-11" in text(year)
    assert ("/admin/holidays/enter" in page) == (role == Role.ADMIN)


@pytest.mark.parametrize("role", [Role.LIAISON, Role.ADVISER])
def test_others_may_not_read_it(client, login, make_user, role):
    login(make_user(role))
    assert client.get("/admin/holidays").status_code == 403
    assert client.get("/admin/holidays/2025").status_code == 403


def test_a_year_not_loaded_has_no_page(admin_client):
    assert admin_client.get("/admin/holidays/2030").status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICE, Role.VIEWER])
def test_only_the_administrator_may_enter_a_year(client, login, make_user, role):
    login(make_user(role))
    assert client.get("/admin/holidays/enter").status_code == 403
    assert client.post("/admin/holidays/enter", data=entry(step="save")).status_code == 403
    assert counts()[0] == 23 and is_provisional(date(2027, 10, 1))


def test_the_administrator_previews_then_enters_2027(admin_client):
    form = admin_client.get("/admin/holidays/enter?year=2027")
    assert form.status_code == 200
    assert NOTICE in text(form)  # the notice's usual title, ready to complete

    before = counts()
    preview = admin_client.post("/admin/holidays/enter", data=entry(step="preview"))
    assert preview.status_code == 200
    assert 'data-testid="holiday-preview"' in text(preview)
    assert "2027-09-26 星期日" in text(preview)
    assert counts() == before  # a preview saves nothing

    assert add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 1)
    saved = admin_client.post(
        "/admin/holidays/enter", data=entry(step="save", doc_no="国办发明电〔2026〕9号")
    )
    assert saved.status_code == 302
    assert saved.location.endswith("/admin/holidays/2027")
    record = db.session.get(HolidayYear, 2027)
    assert record.source == CalendarSource.ADMIN and record.doc_no == "国办发明电〔2026〕9号"
    assert not is_provisional(date(2027, 10, 1))
    assert add_working_days(date(2027, 9, 30), 1) == date(2027, 10, 8)
    page = text(admin_client.get("/admin/holidays/2027"))
    assert "2027-10-09" in page and "Test admin" in page and NOTICE in page
    assert 'data-testid="record-history"' in page


def test_bad_lines_are_named_beside_the_field_and_nothing_is_saved(admin_client):
    before = counts()
    lines = (
        "元旦 2027-01-01\n"
        "国庆节 2027-10-07 2027-10-01\n"
        "劳动节 2027-05-01 2027-05-05 调休 2027-04-28\n"
        "春节 2026-02-06 2026-02-13\n"
        "端午节 2027-05-05\n"
    )
    for step in ("preview", "save"):
        response = admin_client.post("/admin/holidays/enter", data=entry(days=lines, step=step))
        assert response.status_code == 400
        page = text(response)
        assert "Line 2: The last day off 2027-10-01 comes before the first 2027-10-07." in page
        assert "Line 3: The make-up working day 2027-04-28 is not a Saturday or Sunday." in page
        assert "Line 4: 2026-02-06 is not in 2027" in page
        assert "Line 5: 2027-05-05 is on line 3 already." in page
        assert "invalid-feedback" in page
        assert 'data-testid="holiday-preview"' not in page
        assert LINES_2027 not in page and "端午节 2027-05-05" in page  # the text is kept
    assert counts() == before
    assert is_provisional(date(2027, 10, 1))


def test_an_empty_or_odd_form_is_refused(admin_client):
    before = counts()
    for data in ({}, entry(year="二〇二七"), entry(year="1999"), entry(notice="")):
        response = admin_client.post("/admin/holidays/enter", data={**data, "step": "save"})
        assert response.status_code == 400
        assert "invalid-feedback" in text(response)
    assert counts() == before


def test_replacing_a_seeded_year_needs_a_reason(admin_client):
    form = text(admin_client.get("/admin/holidays/enter?year=2026"))
    assert "春节 2026-02-15 2026-02-23 调休 2026-02-14 2026-02-28" in form
    assert 'data-testid="replacing"' in form
    version = str(db.session.get(HolidayYear, 2026).version)
    lines = "\n".join(
        line.replace("2026-10-07 调休", "2026-10-08 调休") for line in form_lines(form)
    )
    data = entry(
        year="2026",
        days=lines,
        version=version,
        notice="国务院办公厅关于2026年部分节假日安排的通知",
    )

    preview = text(admin_client.post("/admin/holidays/enter", data={**data, "step": "preview"}))
    assert 'data-testid="preview-changes"' in preview and "2026-10-08" in preview

    refused = admin_client.post("/admin/holidays/enter", data={**data, "step": "save"})
    assert refused.status_code == 400
    assert "Say why the holidays of 2026 are replaced." in text(refused)
    assert db.session.get(HolidayYear, 2026).source == CalendarSource.PACKAGE

    saved = admin_client.post(
        "/admin/holidays/enter", data={**data, "step": "save", "reason": "国庆节延长一天"}
    )
    assert saved.status_code == 302
    record = db.session.get(HolidayYear, 2026)
    assert record.source == CalendarSource.ADMIN and record.change_reason == "国庆节延长一天"
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 9)
    page = text(admin_client.get("/admin/holidays/2026"))
    assert "国庆节延长一天" in page


def form_lines(page: str) -> list[str]:
    """The lines the form's text area holds."""
    start = page.index("<textarea", page.index('name="days"') - 200)
    body = page[page.index(">", start) + 1 : page.index("</textarea>", start)]
    return [line for line in body.strip().splitlines() if line]


def test_the_office_is_warned_from_november_when_next_year_is_missing(admin_client, monkeypatch):
    monkeypatch.setattr("core.views.holidays.today", lambda: date(2026, 10, 31))
    assert 'data-testid="holidays-missing"' not in text(admin_client.get("/admin/holidays"))
    monkeypatch.setattr("core.views.holidays.today", lambda: date(2026, 11, 1))
    page = text(admin_client.get("/admin/holidays"))
    assert 'data-testid="holidays-missing"' in page
    assert "/admin/holidays/enter?year=2027" in page
    admin_client.post("/admin/holidays/enter", data=entry(step="save"))
    assert 'data-testid="holidays-missing"' not in text(admin_client.get("/admin/holidays"))


def test_the_trail_tells_the_entry(admin_client):
    admin_client.post("/admin/holidays/enter", data=entry(step="save"))
    trail = text(admin_client.get("/audit"))
    assert NOTICE in trail
