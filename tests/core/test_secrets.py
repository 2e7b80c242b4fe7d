"""Secrets stay secret: no start with the development key, form tokens die with their session,
and the calendar feed's key never reaches a log."""

import logging
import re
import threading
import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.request import urlopen

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from itsdangerous.timed import TimestampSigner
from werkzeug.serving import make_server

from core import create_app
from core.models import Role
from tests.conftest import PASSWORD

# --- the secret key ------------------------------------------------------------------------------


@pytest.fixture
def build(app, monkeypatch):
    """create_app on the test database, outside testing unless told, with no key in the env."""
    for name in ("SECRET_KEY", "FLASK_DEBUG", "COUNSEL_DEVELOPMENT"):
        monkeypatch.delenv(name, raising=False)

    def make(**config):
        return create_app(
            {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **config}
        )

    return make


def test_a_server_will_not_start_with_the_development_key(build):
    with pytest.raises(RuntimeError, match="Set the SECRET_KEY environment variable"):
        build()


def test_nor_with_an_empty_key(build):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        build(SECRET_KEY="")


def test_a_real_key_starts(build):
    assert build(SECRET_KEY="9f2c1e0b7a4d" * 4).secret_key == "9f2c1e0b7a4d" * 4


def test_development_and_tests_may_use_the_development_key(build, monkeypatch):
    assert build(TESTING=True).testing
    assert build(DEVELOPMENT=True)
    monkeypatch.setenv("COUNSEL_DEVELOPMENT", "true")  # what `make run` sets
    assert build().config["DEVELOPMENT"] is True


# --- form tokens ---------------------------------------------------------------------------------


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def token_on(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def log_in_with_token(client, username: str):
    token = token_on(client, "/login")
    data = {"username": username, "password": PASSWORD, "csrf_token": token}
    return client.post("/login", data=data)


def test_a_form_token_dies_with_the_session_it_was_made_in(app, make_user, csrf_on):
    make_user(Role.OFFICE, username="lin")
    client = app.test_client()
    assert log_in_with_token(client, "lin").status_code == 302
    old = token_on(client, "/account/password")
    assert client.post("/logout", data={"csrf_token": old}).status_code == 302
    assert log_in_with_token(client, "lin").status_code == 302
    assert client.post("/logout", data={"csrf_token": old}).status_code == 400
    fresh = token_on(client, "/account/password")
    assert client.post("/logout", data={"csrf_token": fresh}).status_code == 302


def test_a_form_token_expires(app, make_user, csrf_on, monkeypatch):
    make_user(Role.OFFICE, username="lin")
    client = app.test_client()
    assert log_in_with_token(client, "lin").status_code == 302
    token = token_on(client, "/account/password")
    limit = app.config["WTF_CSRF_TIME_LIMIT"]
    later = int(time.time()) + limit + 1
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: later)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 400


# --- the calendar key in logs --------------------------------------------------------------------


def test_the_development_servers_log_masks_the_calendar_key(app, make_user, caplog):
    user = make_user(Role.VIEWER)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            url = f"http://127.0.0.1:{server.port}/calendar/{user.calendar_token}.ics"
            with urlopen(url) as response:
                assert response.status == 200
    finally:
        server.shutdown()
        thread.join()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("GET /calendar/***.ics" in line for line in lines), lines
    assert user.calendar_token not in caplog.text


def test_gunicorns_access_log_masks_the_calendar_key(app, make_user, tmp_path):
    token = make_user(Role.VIEWER).calendar_token
    log_file = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log_file))
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/calendar/{token}.ics?x=1",
        "PATH_INFO": f"/calendar/{token}.ics",
        "QUERY_STRING": "x=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://counsel.example/calendar/{token}.ics",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    try:
        logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=4))
    finally:
        for handler in logger.access_log.handlers:
            handler.close()
    line = log_file.read_text()
    assert "GET /calendar/***.ics?x=1 HTTP/1.1" in line
    assert token not in line
