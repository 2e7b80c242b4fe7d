"""Logging in and out: hashing, sessions ending, safe redirects, CSRF.

Throttling is in test_throttle.py, server-side sessions in test_sessions.py.
"""

import pytest

from core import services
from core.auth import is_safe_next
from core.extensions import db
from core.models import Role, User
from tests.conftest import PASSWORD, log_in


def test_passwords_are_stored_as_argon2_hashes(make_user):
    user = make_user(Role.OFFICE)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_logging_in_lands_on_the_dashboard(client, make_user):
    make_user(Role.OFFICE, username="lin")
    response = log_in(client, "lin")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").location == "/dashboard"


def test_an_adviser_lands_on_their_matters(client, make_user):
    make_user(Role.ADVISER, username="wang")
    log_in(client, "wang")
    assert client.get("/").location == "/consultations/mine"


def test_a_liaison_lands_on_their_departments_requests(client, make_user):
    make_user(Role.LIAISON, username="qian")
    log_in(client, "qian")
    assert client.get("/").location == "/consultations/department"


def test_a_wrong_password_is_refused_with_a_message(client, make_user):
    make_user(Role.OFFICE, username="lin")
    response = log_in(client, "lin", "wrong-password")
    assert response.status_code == 401
    assert "错误" in response.get_data(as_text=True) or "Wrong" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_an_unknown_user_gets_the_same_answer(client):
    assert log_in(client, "nobody", "whatever-password").status_code == 401


def test_an_empty_login_form_is_a_400(client):
    assert client.post("/login", data={}).status_code == 400


def test_a_deactivated_users_session_ends_at_the_next_request(client, make_user, login):
    admin = make_user(Role.ADMIN)
    user = make_user(Role.OFFICE)
    login(user)
    assert client.get("/dashboard").status_code == 200
    services.update_user(admin, user, version=user.version, is_active=False)
    db.session.commit()
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert log_in(client, user.username).status_code == 401


def test_a_password_reset_ends_open_sessions(client, make_user, login):
    admin = make_user(Role.ADMIN)
    user = make_user(Role.OFFICE)
    login(user)
    services.reset_password(admin, user, "a-brand-new-password")
    db.session.commit()
    assert client.get("/dashboard").status_code == 302
    assert log_in(client, user.username, "a-brand-new-password").status_code == 302


def test_logout_needs_a_post_and_ends_the_session(client, make_user, login):
    login(make_user(Role.OFFICE))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/roster", True),
        ("/advisers/1?x=1", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
        ("", False),
        (None, False),
    ],
)
def test_next_must_stay_on_this_site(target, safe):
    assert is_safe_next(target) is safe


def test_login_follows_a_safe_next_only(client, make_user):
    make_user(Role.OFFICE, username="lin")
    response = client.post("/login?next=/roster", data={"username": "lin", "password": PASSWORD})
    assert response.location == "/roster"
    client.post("/logout")
    response = client.post(
        "/login?next=https://evil.example/", data={"username": "lin", "password": PASSWORD}
    )
    assert response.location == "/"


def test_a_protected_page_sends_you_to_log_in_and_back(client):
    response = client.get("/roster?q=王")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_forms_need_a_csrf_token(app, make_user):
    make_user(Role.OFFICE, username="lin")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = log_in(client, "lin")
        assert response.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        assert 'name="csrf_token"' in page
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_an_outdated_hash_is_upgraded_on_login(client, make_user):
    from argon2 import PasswordHasher

    user = make_user(Role.OFFICE, username="lin")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    db.session.commit()
    old = user.password_hash
    assert log_in(client, "lin").status_code == 302
    assert db.session.get(User, user.id).password_hash != old


def test_session_cookie_flags(client, make_user):
    make_user(Role.OFFICE, username="lin")
    cookie = log_in(client, "lin").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
