"""Secrets the database keeps sealed: second-factor secrets and calendar keys are never stored
in the clear, so no dump or backup shows them; a rotated key is followed by a reseal."""

from __future__ import annotations

import hashlib

import pytest
from flask import Flask
from sqlalchemy import select, text

from core import sealing, twofactor
from core import services as core_services
from core.backups import archive, service
from core.config import load_config
from core.extensions import db
from core.models import AuditEvent, Role, User
from tests.conftest import log_in
from tests.core.test_twofactor import SECRET, code_at


def stored(user: User) -> tuple[str, str | None, str]:
    """The user's row as the database holds it."""
    row = db.session.execute(
        text('SELECT calendar_token, totp_secret, calendar_digest FROM "user" WHERE id = :id'),
        {"id": user.id},
    ).one()
    return tuple(row)


def opened(user: User) -> User:
    db.session.expire(user)
    return db.session.get(User, user.id)


@pytest.fixture
def enrolled(make_user):
    user = make_user(Role.OFFICE, username="lin")
    twofactor.enable_second_factor(user, SECRET, code_at(-1))
    db.session.commit()
    return user


@pytest.fixture
def rotated(app, monkeypatch):
    """The site's key replaced by a new one, the old one kept as a fallback or not."""

    def rotate(keep_old: bool):
        old = app.config["SECRET_KEY"]
        monkeypatch.setitem(app.config, "SECRET_KEY", "the new key")
        monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old] if keep_old else [])

    return rotate


# --- sealed at rest -------------------------------------------------------------------------


def test_the_database_holds_the_secrets_sealed_and_the_app_reads_them(enrolled):
    token = enrolled.calendar_token
    sealed_token, sealed_secret, digest = stored(enrolled)
    assert token not in sealed_token and SECRET not in sealed_secret
    assert sealed_token.startswith("gAAAAA") and sealed_secret.startswith("gAAAAA")
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    user = opened(enrolled)
    assert (user.calendar_token, user.totp_secret) == (token, SECRET)


def test_the_same_secret_seals_differently_each_time(app):
    assert sealing.seal("same") != sealing.seal("same")
    assert sealing.unseal(sealing.seal("same")) == "same"


def test_the_sealing_key_is_not_the_secret_key_itself(app):
    """A key derived for this one purpose: a leaked cookie-signing key is not a column key."""
    key = app.config["SECRET_KEY"]
    assert sealing.derive(key) == sealing.derive(key) != sealing.derive(key + " ")
    assert len(sealing.derive(key)) == 44 and key.encode() not in sealing.derive(key)


def test_the_calendar_feed_finds_its_user_by_the_digest(client, make_user):
    user = make_user(Role.VIEWER)
    assert client.get(f"/calendar/{user.calendar_token}.ics").status_code == 200
    assert client.get(f"/calendar/{stored(user)[0]}.ics").status_code == 404
    assert client.get(f"/calendar/{stored(user)[2]}.ics").status_code == 404


def test_a_backup_shows_neither_secret(app, enrolled, tmp_path, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("pg_dump's custom format is compressed: the SQLite file is read as bytes")
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path / "backups"))
    backup = service.create_backup(app)
    manifest = archive.verify(backup.path)
    copy = tmp_path / "copy.sqlite3"
    archive.extract(backup.path, manifest["database"], copy)
    held = copy.read_bytes()
    assert SECRET.encode() not in held and enrolled.calendar_token.encode() not in held
    assert stored(enrolled)[1].encode() in held  # the sealed secret is there, to be restored


# --- a rotated key ----------------------------------------------------------------------------


def test_the_old_key_as_a_fallback_still_opens_and_a_reseal_moves_to_the_new(
    enrolled, rotated, app
):
    token, before = enrolled.calendar_token, stored(enrolled)
    rotated(keep_old=True)
    assert opened(enrolled).totp_secret == SECRET
    assert core_services.reseal_secrets() == []
    db.session.commit()
    after = stored(enrolled)
    assert after[0] != before[0] and after[1] != before[1] and after[2] == before[2]
    app.config["SECRET_KEY_FALLBACKS"] = []
    user = opened(enrolled)
    assert (user.calendar_token, user.totp_secret) == (token, SECRET)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "secrets_resealed"))
    assert [(e.record_id, e.actor_id) for e in events] == [(str(enrolled.id), None)]


def test_without_the_old_key_the_secrets_read_as_lost_and_stay_as_stored(
    enrolled, make_user, rotated
):
    untouched = make_user(Role.VIEWER, username="wang")
    before = stored(enrolled)
    rotated(keep_old=False)
    user = opened(enrolled)
    assert (user.calendar_token, user.totp_secret) == (None, None)
    assert core_services.unreadable_secrets() == ["lin", "wang"]
    assert core_services.reseal_secrets() == ["lin", "wang"]
    db.session.commit()
    assert stored(enrolled) == before  # the old key, put back, still opens them
    assert opened(untouched).calendar_token is None


def test_a_user_whose_calendar_key_is_lost_is_told_and_makes_a_new_one(client, make_user, rotated):
    user = make_user(Role.OFFICE, username="zhao")
    rotated(keep_old=False)
    log_in(client, "zhao")
    page = client.get("/account/calendar").get_data(as_text=True)
    assert client.get("/account/calendar").status_code == 200
    assert 'data-testid="feed-url"' not in page and "alert-warning" in page
    client.post("/account/calendar/reset")
    token = opened(user).calendar_token
    assert token and client.get(f"/calendar/{token}.ics").status_code == 200
    assert core_services.unreadable_secrets() == []


def test_a_lost_second_factor_is_reset_to_nothing_stored(enrolled, rotated):
    rotated(keep_old=False)
    user = opened(enrolled)
    twofactor.remove_second_factor(user)
    db.session.commit()
    assert stored(user)[1] is None


def test_the_reseal_command_names_the_users_it_could_not_open(runner, enrolled, rotated):
    rotated(keep_old=True)
    result = runner.invoke(args=["secrets", "reseal"])
    assert result.exit_code == 0 and "every stored secret is sealed" in result.output
    rotated(keep_old=False)
    db.session.execute(text('UPDATE "user" SET totp_secret = :junk'), {"junk": "gAAAAAjunk"})
    db.session.commit()
    result = runner.invoke(args=["secrets", "reseal"])
    assert result.exit_code == 1 and "no key opens the secrets of lin" in result.output


@pytest.mark.parametrize(
    ("value", "keys"),
    [("old-one", ["old-one"]), ("old-one, older-two", ["old-one", "older-two"]), ("", None)],
)
def test_old_keys_come_from_the_environment(monkeypatch, tmp_path, value, keys):
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", value)
    probe = Flask("probe", instance_path=str(tmp_path))
    load_config(probe, {"TESTING": True})
    assert probe.config.get("SECRET_KEY_FALLBACKS") == keys
