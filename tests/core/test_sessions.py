"""Server-side login sessions: logging out, changes to the account, idle and age end them; a user
sees their sessions and ends the others; old records are purged."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core import scheduler, services
from core.extensions import db
from core.models import LoginAttempt, LoginOutcome, Role, SessionEnd, UserSession, utcnow
from core.sessions import describe_user_agent
from tests.conftest import PASSWORD, count_queries, log_in

NEW_PASSWORD = "a-brand-new-password"
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def logged_in(app, user, **extra):
    client = app.test_client()
    assert log_in(client, user.username, **extra).status_code == 302
    return client


def is_logged_in(client) -> bool:
    response = client.get("/notifications")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def only_session(user) -> UserSession:
    return db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()


def set_times(login_session: UserSession, **times) -> None:
    for name, value in times.items():
        setattr(login_session, name, value)
    db.session.commit()


@pytest.fixture
def lin(make_user):
    return make_user(Role.OFFICE, username="lin")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, username="root")


# --- logging out ---------------------------------------------------------------------------------


def test_a_copy_of_the_cookie_is_worth_nothing_after_logging_out(app, lin):
    client = logged_in(app, lin)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert is_logged_in(copy)
    assert client.post("/logout").status_code == 302
    response = copy.get("/dashboard")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert only_session(lin).end_reason == SessionEnd.LOGOUT


def test_logging_in_stores_only_a_hash_of_the_cookies_key(app, lin):
    client = logged_in(app, lin)
    stored = only_session(lin)
    assert stored.key_hash not in client.get_cookie("session").value
    assert len(stored.key_hash) == 64 and stored.ip == "127.0.0.1"


# --- changes to the account ----------------------------------------------------------------------


def test_changing_ones_password_ends_the_other_sessions_but_not_this_one(app, lin):
    here, elsewhere = logged_in(app, lin), logged_in(app, lin)
    response = here.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda admin, user: services.reset_password(admin, user, NEW_PASSWORD), "password_reset"),
        (
            lambda admin, user: services.update_user(
                admin, user, version=user.version, roles=[Role.OFFICE, Role.VIEWER]
            ),
            "roles_changed",
        ),
        (
            lambda admin, user: services.update_user(
                admin, user, version=user.version, is_active=False
            ),
            "deactivated",
        ),
    ],
    ids=["password reset", "role change", "deactivation"],
)
def test_an_administrators_change_ends_every_session_of_the_user(app, admin, lin, change, reason):
    first, second = logged_in(app, lin), logged_in(app, lin)
    change(admin, lin)
    db.session.commit()
    assert not is_logged_in(first) and not is_logged_in(second)
    ended = db.session.scalars(select(UserSession.end_reason).where(UserSession.user_id == lin.id))
    assert set(ended) == {SessionEnd(reason)}


def test_saving_a_user_unchanged_ends_no_session(app, admin, lin):
    client = logged_in(app, lin)
    services.update_user(admin, lin, version=lin.version, display_name="林晓")
    db.session.commit()
    assert is_logged_in(client)


# --- idle and too old ----------------------------------------------------------------------------


def test_a_session_idle_for_the_limit_ends_with_a_message(app, lin):
    client = logged_in(app, lin)
    idle = app.config["SESSION_IDLE_MINUTES"]
    set_times(only_session(lin), last_seen_at=utcnow() - timedelta(minutes=idle, seconds=-30))
    assert is_logged_in(client)  # half a minute short of the limit
    set_times(only_session(lin), last_seen_at=utcnow() - timedelta(minutes=idle))
    response = client.get("/dashboard")
    assert response.status_code == 302 and response.location.startswith("/login")
    page = client.get(response.location).get_data(as_text=True)
    assert f"{idle} 分钟" in page or f"{idle} minutes" in page


def test_a_session_ends_at_its_lifetime_however_active(app, lin):
    client = logged_in(app, lin)
    lifetime = app.permanent_session_lifetime
    set_times(only_session(lin), created_at=utcnow() - lifetime + timedelta(minutes=1))
    assert is_logged_in(client)
    set_times(only_session(lin), created_at=utcnow() - lifetime)
    assert not is_logged_in(client)
    assert only_session(lin).ended_at is None  # refused as it stands: nothing written


def test_the_cookie_is_not_renewed_by_every_answer(app, lin):
    client = logged_in(app, lin)
    client.get("/notifications")  # the first page after logging in sets the new CSRF secret
    response = client.get("/notifications")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


# --- last seen -----------------------------------------------------------------------------------


def test_last_seen_is_written_at_most_once_a_minute(app, lin):
    client = logged_in(app, lin)
    started = only_session(lin).last_seen_at
    assert is_logged_in(client)
    db.session.expire_all()
    assert only_session(lin).last_seen_at == started
    set_times(only_session(lin), last_seen_at=started - timedelta(seconds=61))
    assert is_logged_in(client)  # a GET: written apart from the request's transaction
    db.session.expire_all()
    assert only_session(lin).last_seen_at > started


def test_finding_the_user_of_a_session_is_one_query(app, lin):
    client = logged_in(app, lin)
    client.get("/")
    with count_queries() as queries:
        assert client.get("/").status_code == 302  # the home page only redirects
    assert queries[0] == 1


# --- the user's own sessions page ----------------------------------------------------------------


def test_the_sessions_page_lists_the_open_sessions_with_address_and_browser(app, lin):
    here = logged_in(app, lin)
    logged_in(
        app, lin, headers={"User-Agent": FIREFOX_LINUX}, environ_base={"REMOTE_ADDR": "10.0.0.8"}
    )
    ended = logged_in(app, lin)
    ended.post("/logout")
    page = here.get("/account/sessions").get_data(as_text=True)
    assert "10.0.0.8" in page and "Firefox · Linux" in page
    assert page.count('/end"') == 1  # one other session to end; this one and the ended are not


def test_ending_another_session_logs_that_browser_out(app, lin):
    here, there = logged_in(app, lin), logged_in(app, lin)
    other = db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    response = here.post(f"/account/sessions/{other.id}/end")
    assert response.status_code == 302
    assert not is_logged_in(there) and is_logged_in(here)
    db.session.refresh(other)
    assert other.end_reason == SessionEnd.ENDED_BY_USER


def test_the_session_in_use_is_ended_by_logging_out_not_here(app, lin):
    here = logged_in(app, lin)
    current = only_session(lin)
    assert here.post(f"/account/sessions/{current.id}/end").status_code == 400
    assert is_logged_in(here)


def test_another_users_session_cannot_be_ended(app, lin, make_user):
    other_user = make_user(Role.OFFICE, username="wang")
    theirs = logged_in(app, other_user)
    mine = logged_in(app, lin)
    assert mine.post(f"/account/sessions/{only_session(other_user).id}/end").status_code == 404
    assert is_logged_in(theirs)


def test_ending_all_other_sessions_keeps_this_one(app, lin):
    here = logged_in(app, lin)
    others = [logged_in(app, lin) for _ in range(3)]
    assert here.post("/account/sessions/end-others").status_code == 302
    assert is_logged_in(here)
    assert not any(is_logged_in(client) for client in others)


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/126.0 Safari/537.36 Edg/126.0", "Edge · Windows"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/126.0 Safari/537.36", "Chrome · Windows"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari · iOS"),
        (FIREFOX_LINUX, "Firefox · Linux"),
        ("curl/8.5.0", ""),
    ],
)  # fmt: skip
def test_a_browser_is_named_as_people_know_it(agent, label):
    assert describe_user_agent(agent) == label


# --- purging old records -------------------------------------------------------------------------


def test_the_nightly_job_purges_tries_and_sessions_past_the_retention(app, lin):
    days = app.config["LOGIN_RECORDS_RETENTION_DAYS"]
    now = utcnow()
    old, recent = now - timedelta(days=days, minutes=1), now - timedelta(days=days, minutes=-1)
    db.session.add_all(
        [
            LoginAttempt(username="lin", ip="10.0.0.1", attempted_at=old),
            LoginAttempt(username="lin", ip="10.0.0.1", attempted_at=recent),
            LoginAttempt(
                username="lin", ip="10.0.0.1", attempted_at=old, outcome=LoginOutcome.SUCCEEDED
            ),
            UserSession(user_id=lin.id, key_hash="a" * 64, ip="-", created_at=old,
                        last_seen_at=old),
            UserSession(user_id=lin.id, key_hash="b" * 64, ip="-", created_at=old,
                        last_seen_at=old, ended_at=recent, end_reason=SessionEnd.LOGOUT),
            UserSession(user_id=lin.id, key_hash="c" * 64, ip="-", created_at=old,
                        last_seen_at=recent),
        ]
    )  # fmt: skip
    db.session.commit()
    assert scheduler.run_job(app, "purge_login_records", date(2026, 11, 28)) is True
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 1
    kept = db.session.scalars(select(UserSession.key_hash).order_by(UserSession.key_hash))
    assert list(kept) == ["b" * 64, "c" * 64]
