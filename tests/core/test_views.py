"""Administration and shared pages through the test client."""

from sqlalchemy import select

from core.extensions import db
from core.models import Department, DepartmentKind, Notification, Role, Setting, User


def test_an_admin_creates_a_user_who_can_then_log_in(client, make_user, login, app):
    login(make_user(Role.ADMIN))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "zhao",
            "display_name": "赵敏",
            "roles": "adviser",
            "department_id": "0",
            "locale": "",
            "is_active": "y",
            "password": "long-enough-pw",
            "confirm": "long-enough-pw",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "zhao"))
    assert user.roles == {Role.ADVISER} and user.department_id is None
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"username": "zhao", "password": "long-enough-pw"}).status_code
        == 302
    )


def test_user_form_errors_show_beside_the_fields(client, make_user, login):
    login(make_user(Role.ADMIN, username="boss"))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "boss",
            "display_name": "x",
            "roles": "office",
            "department_id": "0",
            "password": "short",
            "confirm": "different",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count("invalid-feedback") >= 2
    assert db.session.scalar(select(User).where(User.display_name == "x")) is None


def test_a_taken_username_is_refused(client, make_user, login):
    login(make_user(Role.ADMIN, username="boss"))
    response = client.post(
        "/admin/users/new",
        data={
            "username": "BOSS",
            "display_name": "x",
            "roles": "office",
            "department_id": "0",
            "password": "long-enough-pw",
            "confirm": "long-enough-pw",
        },
    )
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_an_admin_cannot_lock_themselves_out(client, make_user, login):
    admin = make_user(Role.ADMIN)
    login(admin)
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "display_name": "me",
            "roles": "viewer",
            "department_id": "0",
            "locale": "",
            "is_active": "y",
        },
    )
    assert response.status_code == 400
    assert db.session.get(User, admin.id).roles == {Role.ADMIN}


def test_an_admin_deactivates_and_changes_a_user(client, make_user, login):
    login(make_user(Role.ADMIN))
    user = make_user(Role.OFFICE)
    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "display_name": "改名",
            "roles": "viewer",
            "department_id": "0",
            "locale": "en",
            "version": str(user.version),
        },
    )
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert (user.display_name, user.roles, user.is_active, user.locale) == (
        "改名",
        {Role.VIEWER},
        False,
        "en",
    )


def test_an_admin_resets_a_password(client, make_user, login):
    login(make_user(Role.ADMIN))
    user = make_user(Role.OFFICE)
    old = user.password_hash
    bad = client.post(f"/admin/users/{user.id}/password", data={"password": "x", "confirm": "x"})
    assert bad.status_code == 400
    good = client.post(
        f"/admin/users/{user.id}/password",
        data={"password": "another-long-one", "confirm": "another-long-one"},
    )
    assert good.status_code == 302
    assert db.session.get(User, user.id).password_hash != old


def test_users_change_their_own_password(office_client, office_user):
    wrong = office_client.post(
        "/account/password",
        data={"current": "nope", "password": "new-password-1", "confirm": "new-password-1"},
    )
    assert wrong.status_code == 400
    right = office_client.post(
        "/account/password",
        data={
            "current": "correct-horse-battery",
            "password": "new-password-1",
            "confirm": "new-password-1",
        },
    )
    assert right.status_code == 302


def test_office_staff_keep_the_department_register(office_client):
    response = office_client.post(
        "/departments/new",
        data={
            "name": "区文化和旅游局",
            "kind": "bureau",
            "principal_head": "白露",
            "deputy_head": "程昊",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    department = db.session.scalar(select(Department))
    assert (department.name, department.principal_head) == ("区文化和旅游局", "白露")
    listing = office_client.get("/departments?kind=bureau&q=文化").get_data(as_text=True)
    assert "区文化和旅游局" in listing
    assert "区文化和旅游局" not in office_client.get("/departments?kind=town").get_data(
        as_text=True
    )
    duplicate = office_client.post(
        "/departments/new", data={"name": "区文化和旅游局", "kind": "bureau"}
    )
    assert duplicate.status_code == 400


def test_a_stale_department_edit_is_refused(office_client):
    department = Department(name="区教育局", kind=DepartmentKind.BUREAU)
    db.session.add(department)
    db.session.commit()
    first = office_client.post(
        f"/departments/{department.id}",
        data={"name": "区教育局", "kind": "bureau", "principal_head": "甲", "version": "1"},
    )
    assert first.status_code == 302
    stale = office_client.post(
        f"/departments/{department.id}",
        data={"name": "区教育局", "kind": "bureau", "principal_head": "乙", "version": "1"},
    )
    assert stale.status_code == 400
    assert db.session.get(Department, department.id).principal_head == "甲"


def test_an_admin_changes_a_setting_and_bad_values_are_refused(client, make_user, login):
    login(make_user(Role.ADMIN))
    assert (
        client.post("/admin/settings/panel.max_members", data={"value": "abc"}).status_code == 400
    )
    assert client.post("/admin/settings/panel.max_members", data={"value": "0"}).status_code == 400
    assert client.post("/admin/settings/panel.nope", data={"value": "3"}).status_code == 404
    assert db.session.get(Setting, "panel.max_members") is None
    assert client.post("/admin/settings/panel.max_members", data={"value": "12"}).status_code == 302
    assert db.session.get(Setting, "panel.max_members").value == "12"
    assert "12" in client.get("/admin/settings").get_data(as_text=True)


def test_office_staff_see_settings_but_cannot_change_them(office_client):
    page = office_client.get("/admin/settings").get_data(as_text=True)
    assert "15" in page and "/admin/settings/panel.max_members" not in page
    assert (
        office_client.post("/admin/settings/panel.max_members", data={"value": "3"}).status_code
        == 403
    )


def test_notifications_are_listed_counted_and_marked_read(office_client, office_user):
    db.session.add_all(
        [
            Notification(user_id=office_user.id, subject="第一条", link="/roster"),
            Notification(user_id=office_user.id, subject="第二条"),
        ]
    )
    db.session.commit()
    page = office_client.get("/notifications").get_data(as_text=True)
    assert "第一条" in page and 'text-bg-warning">2<' in page
    first = db.session.scalar(select(Notification).where(Notification.subject == "第一条"))
    response = office_client.post(f"/notifications/{first.id}/read")
    assert response.location == "/roster"
    assert office_client.post("/notifications/read-all").status_code == 302
    assert all(n.read_at for n in db.session.scalars(select(Notification)))


def test_someone_elses_notification_is_not_found(office_client, make_user):
    other = make_user(Role.OFFICE)
    note = Notification(user_id=other.id, subject="私信")
    db.session.add(note)
    db.session.commit()
    assert office_client.post(f"/notifications/{note.id}/read").status_code == 404


def test_the_language_follows_the_browser_then_the_users_choice(client, office_user, login):
    login(office_user)
    assert 'lang="zh-CN"' in client.get("/dashboard").get_data(as_text=True)
    english = client.get("/dashboard", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert 'lang="en"' in english.get_data(as_text=True)
    assert client.post("/language", data={"locale": "en", "next": "/roster"}).location == (
        "/roster"
    )
    assert 'lang="en"' in client.get("/dashboard").get_data(as_text=True)
    assert db.session.get(User, office_user.id).locale == "en"
    assert client.post("/language", data={"locale": "fr"}).status_code == 400


def test_the_login_page_switches_language_without_logging_in(client):
    assert 'lang="en"' in client.get("/login?lang=en").get_data(as_text=True)
    assert 'lang="zh-CN"' in client.get("/login?lang=zh_Hans_CN").get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_speak_the_users_language(office_client):
    chinese = office_client.get("/advisers/999999")
    assert chinese.status_code == 404 and 'lang="zh-CN"' in chinese.get_data(as_text=True)
    english = office_client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "Not found" in english.get_data(as_text=True)


def test_an_unexpected_error_shows_the_500_page(app, office_client, monkeypatch):
    from advisers import queries

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "panel_summary", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.testing = False
    try:
        response = office_client.get("/dashboard")
    finally:
        app.testing = True
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "boom" not in response.get_data(as_text=True)


def test_settings_must_make_sense_together_and_with_the_panel(client, make_user, login, appoint):
    """Issue 7, point 10: a maximum of 2 under a minimum of 5 was saved; now it is refused."""
    from advisers.models import Post
    from core.i18n import today

    login(make_user(Role.ADMIN))
    refused = client.post("/admin/settings/panel.max_members", data={"value": "2"})
    assert refused.status_code == 400
    assert "最少在聘人数（5）不能多于最多在聘人数（2）" in refused.get_data(as_text=True)
    assert db.session.get(Setting, "panel.max_members") is None
    for _ in range(6):
        appoint(post=Post.MEMBER, start=today())
    refused = client.post("/admin/settings/panel.max_members", data={"value": "5"})
    assert refused.status_code == 400 and "今日有 6 名成员在聘" in refused.get_data(as_text=True)
    assert client.post("/admin/settings/panel.max_members", data={"value": "6"}).status_code == 302
    assert client.post("/admin/settings/panel.max_deputies", data={"value": "6"}).status_code == 400


def test_hsts_is_sent_only_when_cookies_are_https_only(app, client):
    """Issue 7, point 30."""
    assert "Strict-Transport-Security" not in client.get("/login").headers
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        assert "max-age=31536000" in client.get("/login").headers["Strict-Transport-Security"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
