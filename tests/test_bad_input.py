"""Every form given empty, oversized or malformed values: a 4xx with errors, never a 500,
and nothing in the database changes."""

import io

import pytest
from sqlalchemy import func, select

from core import audit
from core.extensions import db
from core.models import AuditEvent, Role
from core.policy import rule_for
from tests.conftest import log_in

#: buttons that post no fields; their behaviour is tested with their pages
BUTTONS = {
    "cases.form_team",
    "cases.confirm_team",
    "auth.logout",
    "accounts.read_notification",
    "accounts.read_all_notifications",
    "admin.retry_mail",
    "admin.reset_second_factor",
    "meetings.reset_calendar",
    "accounts.end_session",
    "accounts.end_other_sessions",
    "voiding.restore",
    "consultations.accept",
    "consultations.forward",
}

#: the steps between the password and the session: only a login part-way through reaches their
#: forms, so tests/core/test_twofactor.py gives them bad input with one
LOGIN_STEPS = {"twofactor.verify", "twofactor.enrol"}

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
DATES = [
    "recommended_on",
    "approved_on",
    "declined_on",
    "start_on",
    "ended_on",
    "starts_at",
    "ends_at",
]


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
    counts = {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    # sign-ins (the clients' own, and the wrong ones) are on the trail; no change to a record is
    changes = AuditEvent.action.in_(audit.RECORD_ACTIONS)
    counts["audit_event"] = db.session.scalar(select(func.count()).where(changes))
    return counts


@pytest.fixture
def clients(app, one_of_everything):
    """A logged-in client for each endpoint: the administrator's, or a role the view allows."""
    users, args = one_of_everything
    by_role = {}

    def client_for(endpoint: str):
        roles = rule_for(app.view_functions[endpoint].access_action).roles
        role = Role.OFFICE if Role.OFFICE in roles else sorted(roles)[0]
        if role not in by_role:
            by_role[role] = app.test_client()
            assert log_in(by_role[role], users[role].username).status_code == 302
        return by_role[role]

    return client_for, args


def form_urls(app, args):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in BUTTONS | LOGIN_STEPS:
            continue
        values = {name: args[name] for name in rule.arguments}
        yield rule.endpoint, rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("kind", PAYLOADS)
def test_no_form_accepts_garbage(app, clients, kind):
    client_for, args = clients
    before = snapshot()
    checked = []
    for endpoint, url in form_urls(app, args):
        if endpoint == "auth.login":
            response = app.test_client().post(url, data=PAYLOADS[kind]())
        else:
            response = client_for(endpoint).post(
                url, data=PAYLOADS[kind](), content_type="multipart/form-data"
            )
            checked.append(endpoint)
        assert 400 <= response.status_code < 500, (kind, url, response.status_code)
        assert response.status_code != 403, (kind, url)
    after = snapshot()
    after["login_attempt"] = before["login_attempt"]  # a wrong login is worth recording
    after["user_session"] = before["user_session"]  # the clients' own logins
    assert after == before
    assert len(checked) >= 25


def test_every_rejected_form_names_its_errors(app, clients):
    client_for, args = clients
    for endpoint, url in form_urls(app, args):
        if endpoint in ("auth.login", "accounts.set_language"):
            continue
        page = client_for(endpoint).post(url, data={}).get_data(as_text=True)
        assert "invalid-feedback" in page or "alert-danger" in page, endpoint
