"""/healthz, the system page, JSON log lines and the schema check at start."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import flask_migrate
import pytest
from sqlalchemy.exc import OperationalError

import core.health
import core.schema
from core import create_app
from core import scheduler as scheduling
from core.extensions import db
from core.logs import JsonFormatter
from core.models import BackupRun, JobStatus, Role, utcnow
from core.schema import SchemaOutOfDate, SchemaState, require_current_schema, schema_state
from tests.conftest import PASSWORD, log_in


def test_healthz_answers_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "database": "ok",
        "schema": "current",
        "scheduler": {"status": "never", "last_run": None},
        "backup": {"status": "none", "last_success": None},
    }
    assert response.headers["Cache-Control"] == "no-store"


def _job_status(minutes_ago: int, outcome: str = "ok") -> None:
    at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.add(
        JobStatus(job="send_outbox", started_at=at, finished_at=at, outcome=outcome, duration_ms=3)
    )
    db.session.commit()


def test_healthz_tells_when_the_scheduler_last_ran(client):
    _job_status(minutes_ago=9)
    scheduler = client.get("/healthz").json["scheduler"]
    assert scheduler["status"] == "ok" and scheduler["last_run"].startswith("20")


def test_a_scheduler_silent_past_the_limit_is_stale_but_pages_are_still_served(client):
    _job_status(minutes_ago=11)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["scheduler"]["status"] == "stale"


def test_a_failed_last_backup_is_reported(client):
    earlier, later = utcnow() - timedelta(days=1), utcnow()
    db.session.add_all(
        [
            BackupRun(trigger="nightly", started_at=earlier, finished_at=earlier, ok=True),
            BackupRun(trigger="nightly", started_at=later, finished_at=later, ok=False, error="x"),
        ]
    )
    db.session.commit()
    backup = client.get("/healthz").json["backup"]
    assert backup["status"] == "failed" and backup["last_success"] is not None


def test_healthz_says_503_when_the_database_does_not_answer(client, monkeypatch):
    def down(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(core.health.db.session, "execute", down)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "failing" and response.json["database"] == "unreachable"


def test_healthz_says_503_on_an_old_schema(client, monkeypatch):
    state = SchemaState(frozenset({"fc20a0000012"}), frozenset({"fd30a0000013"}), frozenset())
    monkeypatch.setattr(core.schema, "schema_state", lambda _app: state)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["schema"] == "older"


# --- the system page ----------------------------------------------------------------------


def test_the_system_page_shows_the_last_backup_and_each_job(client, make_user):
    make_user(Role.ADMIN, username="it")
    at = utcnow()
    db.session.add(
        BackupRun(
            trigger="nightly",
            started_at=at,
            finished_at=at,
            ok=False,
            error="the disk holding /srv/backups is full",
        )
    )
    db.session.commit()
    _job_status(minutes_ago=2)
    log_in(client, "it")
    page = client.get("/admin/system").get_data(as_text=True)
    assert "the disk holding /srv/backups is full" in page
    assert "send_outbox" in page and "backup" in page and "ff50a0000015" in page


def test_only_administrators_see_the_system_page(client, make_user):
    make_user(Role.OFFICE, username="clerk")
    log_in(client, "clerk")
    assert client.get("/admin/system").status_code == 403


# --- log lines ----------------------------------------------------------------------------


def json_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def test_each_request_is_one_json_line_with_its_id_and_the_users(client, make_user, caplog):
    user = make_user(Role.OFFICE, username="clerk")
    with caplog.at_level(logging.INFO, logger="counsel.request"):
        log_in(client, "clerk")
        response = client.get("/roster?q=张&calendar_token=abc123")
    lines = [line for line in json_lines(caplog) if line["logger"] == "counsel.request"]
    login, roster = lines[0], lines[-1]
    assert login["method"] == "POST" and login["path"] == "/login" and login["status"] == 302
    assert roster["user_id"] == user.id and roster["status"] == 200
    assert roster["request_id"] == response.headers["X-Request-ID"]
    assert roster["path"] == "/roster?q=张&calendar_token=***"
    assert isinstance(roster["duration_ms"], float)
    assert PASSWORD not in caplog.text and "abc123" not in caplog.text


def test_the_calendar_key_never_reaches_a_json_line(client, make_user, caplog):
    token = make_user(Role.VIEWER).calendar_token
    with caplog.at_level(logging.INFO, logger="counsel.request"):
        client.get(f"/calendar/{token}.ics")
    text = "".join(JsonFormatter().format(record) for record in caplog.records)
    assert "/calendar/***.ics" in text and token not in text


def test_a_request_id_is_taken_from_a_trusted_proxy_only(app, client):
    assert (
        client.get("/login", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] != "abc-1"
    )
    proxied = create_app({**app.config, "TRUSTED_PROXIES": 1})
    response = proxied.test_client().get("/login", headers={"X-Request-ID": "abc-1"})
    assert response.headers["X-Request-ID"] == "abc-1"


def test_each_job_run_is_logged_with_its_outcome_and_duration(app, caplog):
    scheduling.register_job("test_quick", lambda day: "did 3 things", hour=1)
    try:
        with caplog.at_level(logging.INFO, logger="core.scheduler"):
            scheduling.run_job(app, "test_quick")
    finally:
        scheduling.JOBS.pop("test_quick")
    (line,) = [line for line in json_lines(caplog) if line.get("job") == "test_quick"]
    assert (
        line["outcome"] == "ok" and line["duration_ms"] >= 0 and "did 3 things" in line["message"]
    )
    assert db.session.get(JobStatus, "test_quick").summary == "did 3 things"


def test_a_failed_job_is_logged_as_failed(app, caplog):
    def broken(_day):
        raise ValueError("no holidays for 2027")

    scheduling.register_job("test_broken", broken, hour=1)
    try:
        with caplog.at_level(logging.INFO, logger="core.scheduler"), pytest.raises(ValueError):
            scheduling.run_job(app, "test_broken")
    finally:
        scheduling.JOBS.pop("test_broken")
    (line,) = [line for line in json_lines(caplog) if line.get("job") == "test_broken"]
    assert line["outcome"] == "failed" and line["level"] == "error" and "exception" in line
    assert db.session.get(JobStatus, "test_broken").outcome == "failed"


# --- the schema check at start --------------------------------------------------------------


@pytest.mark.no_app_context
def test_a_server_refuses_an_older_schema_and_says_what_to_run(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'o.sqlite3'}", "TESTING": True}
    )
    with app.app_context():
        flask_migrate.upgrade(revision="fc20a0000012")
        with pytest.raises(SchemaOutOfDate, match=r"older than this version.*flask db upgrade"):
            require_current_schema(app)
        assert schema_state(app).label == "older"
        flask_migrate.upgrade()
        require_current_schema(app)
        db.engine.dispose()


@pytest.mark.no_app_context
def test_nor_will_it_start_on_a_database_without_a_schema(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.sqlite3'}", "TESTING": True}
    )
    with pytest.raises(SchemaOutOfDate, match="no Counsel schema yet"):
        require_current_schema(app)


def test_the_scheduler_command_refuses_an_older_schema(app, monkeypatch):
    import core.cli

    def older(_app):
        raise SchemaOutOfDate("The database's schema (x) is older ... run `flask db upgrade`")

    monkeypatch.setattr(core.cli, "require_current_schema", older)
    result = app.test_cli_runner().invoke(args=["scheduler", "run"])
    assert result.exit_code == 1 and "flask db upgrade" in result.output
