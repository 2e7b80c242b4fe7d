"""Every form given empty, oversized or malformed values: a 4xx with errors, never a 500,
and nothing in the database changes."""

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from advisers import services as adviser_services
from advisers.models import Post, Specialty
from core.extensions import db
from core.models import Department, DepartmentKind, Role
from tests.conftest import log_in

#: buttons that post no fields; their behaviour is tested with their pages
BUTTONS = {"auth.logout", "core.read_notification", "core.read_all_notifications"}

FIELDS = [
    "name",
    "gender",
    "category",
    "organisation",
    "licence_no",
    "phone",
    "email",
    "conflicts",
    "notes",
    "post",
    "reason",
    "doc_no",
    "note",
    "name_en",
    "username",
    "display_name",
    "role",
    "locale",
    "password",
    "confirm",
    "current",
    "kind",
    "principal_head",
    "deputy_head",
    "value",
    "user_id",
    "department_id",
    "specialties",
    "version",
]
DATES = ["recommended_on", "approved_on", "declined_on", "start_on", "ended_on"]


def oversized() -> dict:
    data = dict.fromkeys(FIELDS, "长" * 10_000)
    data.update(dict.fromkeys(DATES, "2026-03-01" * 1000))
    data["file"] = (io.BytesIO(b"x" * 1000), "x" * 5000 + ".xlsx")
    return data


def malformed() -> dict:
    data = dict.fromkeys(FIELDS, "\x00<script>alert(1)</script>")
    data.update(
        {
            "gender": "zzz",
            "category": "zzz",
            "post": "zzz",
            "role": "root",
            "kind": "zzz",
            "locale": "xx",
            "email": "not-an-email",
            "phone": "call me",
            "user_id": "abc",
            "department_id": "-1x",
            "specialties": ["abc", "999999"],
            "value": "abc",
            "version": "abc",
            "password": "short",
            "confirm": "other",
        }
    )
    data.update(dict.fromkeys(DATES, "2026-02-30"))
    data["file"] = (io.BytesIO(b"PK\x03\x04 not really a zip"), "evil.xlsx")
    return data


PAYLOADS = {"empty": dict, "oversized": oversized, "malformed": malformed}


def snapshot() -> dict:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def world(make_user, create_adviser):
    admin = make_user(Role.ADMIN, username="boss")
    make_user(Role.ADVISER, username="adv")
    adviser = create_adviser()
    serving = create_adviser()
    nomination = adviser_services.recommend_adviser(
        None, adviser, post=Post.MEMBER, recommended_on=date(2026, 1, 1)
    )
    nomination2 = adviser_services.recommend_adviser(
        None, serving, post=Post.MEMBER, recommended_on=date(2026, 1, 1)
    )
    adviser_services.approve_nomination(None, nomination2, approved_on=date(2026, 1, 2), doc_no="1")
    term = adviser_services.appoint_adviser(
        None, nomination2, post=Post.MEMBER, start_on=date(2026, 1, 3)
    )
    department = Department(name="区司法局", kind=DepartmentKind.BUREAU)
    specialty = Specialty(name="行政法", name_en="Administrative law")
    db.session.add_all([department, specialty])
    db.session.commit()
    return admin, {
        "adviser_id": adviser.id,
        "nomination_id": nomination.id,
        "term_id": term.id,
        "department_id": department.id,
        "specialty_id": specialty.id,
        "user_id": admin.id,
        "key": "panel.max_members",
    }


def form_urls(app, args):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in BUTTONS:
            continue
        values = {name: args[name] for name in rule.arguments}
        yield rule.endpoint, rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("kind", PAYLOADS)
def test_no_form_accepts_garbage(app, world, kind):
    admin, args = world
    client = app.test_client()
    assert log_in(client, admin.username).status_code == 302
    before = snapshot()
    checked = []
    for endpoint, url in form_urls(app, args):
        if endpoint == "auth.login":
            response = app.test_client().post(url, data=PAYLOADS[kind]())
            assert 400 <= response.status_code < 500, (kind, url, response.status_code)
            continue
        response = client.post(url, data=PAYLOADS[kind](), content_type="multipart/form-data")
        assert 400 <= response.status_code < 500, (kind, url, response.status_code)
        checked.append(endpoint)
    after = snapshot()
    after["login_attempt"] = before["login_attempt"]  # a wrong login is worth recording
    assert after == before
    assert len(checked) >= 15


def test_every_rejected_form_names_its_errors(app, world):
    admin, args = world
    client = app.test_client()
    log_in(client, admin.username)
    for endpoint, url in form_urls(app, args):
        if endpoint in ("auth.login", "core.set_language"):
            continue
        page = client.post(url, data={}).get_data(as_text=True)
        assert "invalid-feedback" in page or "alert-danger" in page, endpoint
