"""Throttling password tries: per account and address, slower and slower, never a lockout.

Each scope is tried at its boundary; the address is read through the trusted proxies; tries
made at the same moment are counted together; the change-password form is throttled too.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from core import create_app, throttle
from core.extensions import db
from core.models import LoginAttempt, LoginOutcome, Role
from tests.conftest import PASSWORD, log_in

WRONG = "wrong-password"


def from_address(ip: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": ip}}


def fail(client, username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        assert log_in(client, username, WRONG, **from_address(ip)).status_code == 401


def outcomes() -> list[LoginOutcome]:
    return list(db.session.scalars(select(LoginAttempt.outcome).order_by(LoginAttempt.id)))


def age_tries(seconds: int) -> None:
    """Move every recorded try into the past, as if that much time had gone by."""
    for attempt in db.session.scalars(select(LoginAttempt)):
        attempt.attempted_at -= timedelta(seconds=seconds)
    db.session.commit()


@pytest.fixture
def lin(make_user):
    return make_user(Role.OFFICE, username="lin")


# --- the waiting rule ----------------------------------------------------------------------------

LATEST = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "wait"),
    [(0, None), (4, None), (5, 30), (6, 60), (7, 120), (9, 480), (10, 900), (11, 900), (500, 900)],
)
def test_each_failure_past_the_free_ones_doubles_the_wait_up_to_the_window(failures, wait):
    retry = throttle.next_try_at(failures, LATEST, free=5, first_wait=30, longest=900)
    assert retry == (None if wait is None else LATEST + timedelta(seconds=wait))


# --- one username from one address ---------------------------------------------------------------


def test_the_sixth_try_from_an_address_waits_but_other_addresses_do_not(client, lin):
    fail(client, "lin", 5)
    refused = log_in(client, "lin", **from_address("10.0.0.1"))  # right password, too soon
    assert refused.status_code == 429
    assert 25 <= int(refused.headers["Retry-After"]) <= 30
    assert "10.0.0.1" not in refused.get_data(as_text=True)
    assert log_in(client, "lin", **from_address("10.0.0.2")).status_code == 302


def test_after_the_wait_the_next_try_is_checked(client, lin):
    fail(client, "lin", 5)
    age_tries(20)
    assert log_in(client, "lin", **from_address("10.0.0.1")).status_code == 429
    age_tries(11)  # 31 seconds after the fifth failure
    assert log_in(client, "lin", **from_address("10.0.0.1")).status_code == 302


def test_failures_older_than_the_window_no_longer_count(app, client, lin):
    fail(client, "lin", 4)
    age_tries(app.config["LOGIN_THROTTLE_WINDOW_SECONDS"] + 1)
    fail(client, "lin", 4)  # four old and four new: never five within the window
    assert log_in(client, "lin", **from_address("10.0.0.1")).status_code == 302


def test_a_refused_try_checks_no_password_and_is_not_kept(client, lin):
    fail(client, "lin", 5)
    for _ in range(3):
        assert log_in(client, "lin", WRONG, **from_address("10.0.0.1")).status_code == 429
    assert outcomes() == [LoginOutcome.FAILED] * 5


def test_failed_tries_are_kept_after_a_success(client, lin):
    fail(client, "lin", 4)
    assert log_in(client, "lin", **from_address("10.0.0.1")).status_code == 302
    assert outcomes() == [LoginOutcome.FAILED] * 4 + [LoginOutcome.SUCCEEDED]


# --- one username from everywhere ----------------------------------------------------------------


def test_guessing_from_many_addresses_slows_the_account_for_new_addresses(client, lin):
    for n in range(10):
        fail(client, "lin", 1, ip=f"10.1.0.{n}")
    assert log_in(client, "lin", **from_address("10.2.0.1")).status_code == 429


def test_nine_guesses_from_many_addresses_do_not(client, lin):
    for n in range(9):
        fail(client, "lin", 1, ip=f"10.1.0.{n}")
    assert log_in(client, "lin", **from_address("10.2.0.1")).status_code == 302


def test_the_user_at_an_address_they_logged_in_from_before_is_not_kept_out(client, lin):
    assert log_in(client, "lin", **from_address("10.9.9.9")).status_code == 302
    client.post("/logout")
    for n in range(8):  # 32 guesses, never 5 from one address; past 10 they are refused
        for _ in range(4):
            guess = log_in(client, "lin", WRONG, **from_address(f"10.1.0.{n}"))
            assert guess.status_code in (401, 429)
    assert log_in(client, "lin", **from_address("10.2.0.1")).status_code == 429
    assert log_in(client, "lin", **from_address("10.9.9.9")).status_code == 302


# --- one address, any usernames ------------------------------------------------------------------


def test_one_address_guessing_many_usernames_is_slowed(client, lin):
    for n in range(20):
        fail(client, f"user{n}", 1)
    assert log_in(client, "lin", **from_address("10.0.0.1")).status_code == 429
    assert log_in(client, "lin", **from_address("10.0.0.2")).status_code == 302


def test_nineteen_usernames_from_one_address_are_not(client, lin):
    for n in range(19):
        fail(client, f"user{n}", 1)
    assert log_in(client, "lin", **from_address("10.0.0.1")).status_code == 302


# --- tries at the same moment --------------------------------------------------------------------


def test_of_twenty_parallel_tries_five_get_through(app, lin):
    statuses = []
    start = threading.Barrier(20)

    def try_once():
        client = app.test_client()
        start.wait()
        statuses.append(log_in(client, "lin", WRONG).status_code)

    threads = [threading.Thread(target=try_once) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = statuses.count(401)
    assert len(statuses) == 20 and set(statuses) <= {401, 429}
    assert checked == 5, statuses
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == checked


# --- behind a reverse proxy ----------------------------------------------------------------------


@pytest.fixture
def proxied(app):
    """The application behind one reverse proxy, which sets X-Forwarded-For."""
    return create_app({**app.config, "SERVER_NAME": None, "TRUSTED_PROXIES": 1})


def recorded_addresses() -> list[str]:
    return list(db.session.scalars(select(LoginAttempt.ip).order_by(LoginAttempt.id)))


def test_with_one_trusted_proxy_the_forwarded_address_is_the_clients(proxied, lin):
    client = proxied.test_client()
    log_in(client, "lin", WRONG, headers={"X-Forwarded-For": "198.51.100.7"})
    assert recorded_addresses() == ["198.51.100.7"]


def test_without_trusted_proxies_a_forwarded_address_is_ignored(client, lin):
    log_in(client, "lin", WRONG, headers={"X-Forwarded-For": "198.51.100.7"})
    assert recorded_addresses() == ["127.0.0.1"]


def test_only_the_proxys_own_entry_is_believed(proxied, lin):
    client = proxied.test_client()
    log_in(client, "lin", WRONG, headers={"X-Forwarded-For": "10.6.6.6, 198.51.100.7"})
    assert recorded_addresses() == ["198.51.100.7"]


def test_behind_the_proxy_five_bad_passwords_do_not_keep_out_another_client(proxied, make_user):
    make_user(Role.ADMIN, username="admin")
    client = proxied.test_client()
    for _ in range(5):
        response = log_in(client, "admin", WRONG, headers={"X-Forwarded-For": "203.0.113.66"})
        assert response.status_code == 401
    real = log_in(proxied.test_client(), "admin", headers={"X-Forwarded-For": "10.20.0.8"})
    assert real.status_code == 302


def test_a_negative_number_of_proxies_is_refused(app):
    with pytest.raises(RuntimeError, match="TRUSTED_PROXIES"):
        create_app({**app.config, "SERVER_NAME": None, "TRUSTED_PROXIES": -1})


# --- the current password on the change form -----------------------------------------------------


def change(client, current: str):
    return client.post(
        "/account/password",
        data={
            "current": current,
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
        },
    )


def test_guessing_the_current_password_is_throttled_like_a_login(client, login, lin):
    login(lin)
    for _ in range(5):
        assert change(client, WRONG).status_code == 400
    refused = change(client, PASSWORD)
    assert refused.status_code == 429
    assert "invalid-feedback" in refused.get_data(as_text=True)
    other_browser = client.application.test_client()
    assert log_in(other_browser, "lin", **from_address("10.3.0.1")).status_code == 302  # unchanged


def test_four_wrong_current_passwords_still_let_the_right_one_through(client, login, lin):
    login(lin)
    for _ in range(4):
        assert change(client, WRONG).status_code == 400
    assert change(client, PASSWORD).status_code == 302
    assert outcomes()[-1] == LoginOutcome.SUCCEEDED
