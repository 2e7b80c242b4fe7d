"""`flask db upgrade` builds exactly the schema the models describe, on SQLite and PostgreSQL."""

import os

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from core import create_app, sealing, search
from core.extensions import db
from core.flow import commit
from core.i18n import today
from demo import panel as demo


@pytest.mark.no_app_context
def test_upgrade_matches_the_models_and_downgrade_undoes_it(tmp_path):
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            # each dialect's search index (SQLite's FTS5 tables, PostgreSQL's GIN index) is
            # made by DDL beside the search_entry model, not described by it
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": search.include_object},
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


@pytest.mark.no_app_context
def test_an_old_database_with_data_upgrades(tmp_path):
    """A database of the meetings release, with a user, a held meeting and marks, upgrades."""
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade(revision="d9cbfd72ff12")
        with db.engine.begin() as connection:
            for statement in OLD_ROWS:
                connection.execute(text(statement))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            roles = connection.execute(text("SELECT user_id, role FROM user_role")).all()
            counts = connection.execute(
                text("SELECT invitee_count, present_count, absent_count FROM meeting")
            ).one()
            tally = connection.execute(
                text("SELECT adviser_id, year, quarter, present, absent FROM attendance_tally")
            ).all()
            versions = connection.execute(text("SELECT COUNT(*) FROM dismissal_rule_version"))
            assert roles == [(1, "office")]
            assert tuple(counts) == (2, 1, 1)
            assert sorted(tally) == [
                (1, 2026, 0, 1, 0),
                (1, 2026, 2, 1, 0),
                (2, 2026, 0, 0, 1),
                (2, 2026, 2, 0, 1),
            ]
            assert versions.scalar() == 1
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


OLD_ROWS = [
    'INSERT INTO "user" (id, username, display_name, password_hash, role, is_active,'
    " session_token, calendar_token, created_at)"
    " VALUES (1, 'lin', '林晓', 'x', 'office', true, 't', 'c', '2026-01-01 00:00:00')",
    *(
        "INSERT INTO adviser (id, name, gender, category, conflicts, notes, created_at, version)"
        f" VALUES ({n}, '顾问{n}', 'male', 'cppcc', '', '', '2026-01-01 00:00:00', 1)"
        for n in (1, 2)
    ),
    "INSERT INTO meeting (id, kind, title, starts_at, ends_at, place, agenda, convened_by,"
    " status, minutes, created_at, version) VALUES (1, 'regular', '会', '2026-05-10 06:30:00',"
    " '2026-05-10 08:30:00', '室', '', '', 'held', '', '2026-01-01 00:00:00', 1)",
    "INSERT INTO invitation (id, meeting_id, adviser_id, mark) VALUES (1, 1, 1, 'present')",
    "INSERT INTO invitation (id, meeting_id, adviser_id, mark) VALUES (2, 1, 2, 'absent')",
]


@pytest.mark.no_app_context
def test_an_old_audit_trail_upgrades_each_event_to_an_action_of_its_own(tmp_path):
    """Issue 7, point 8: events written before change sets read as one action each."""
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade(revision="a3c91f0d7e21")
        with db.engine.begin() as connection:
            for event_id in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO audit_event (id, at, action, record_type, record_id)"
                        f" VALUES ({event_id}, '2026-01-01 00:00:00', 'update', 'Adviser', '1')"
                    )
                )
        flask_migrate.upgrade(revision="d08a0d170008")
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, change_set, record_label FROM audit_event ORDER BY id")
            ).all()
        assert [tuple(row) for row in rows] == [(1, "1", None), (2, "2", None)]
        flask_migrate.downgrade(revision="a3c91f0d7e21")
        with db.engine.connect() as connection:
            count = connection.execute(text("SELECT COUNT(*) FROM audit_event")).scalar()
        assert count == 2
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


def _counts() -> dict[str, int]:
    """Each table's number of rows."""
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
        return {
            name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one()
            for name in tables
            if not name.startswith("search_gram")
        }


@pytest.mark.no_app_context
def test_every_released_schema_upgrades_a_populated_database(tmp_path):
    """Issue 11: the demo district, taken back to each released schema in turn (a database
    of that release holding what the demo keeps of it; at the first release, the panel, the
    users and their terms), upgrades to the code's schema without losing a row; and the
    application serves the upgraded database."""
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'old.sqlite3'}"
    config = {"TESTING": True, "MAIL_SERVER": None, "WTF_CSRF_ENABLED": False}
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **config})
    with app.app_context():
        scripts = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        releases = [script.revision for script in reversed(list(scripts.walk_revisions()))]
        flask_migrate.upgrade()
        demo.load_demo(today())
        commit()
        db.session.remove()
        at_head = _counts()
        for release in reversed(releases[:-1]):
            flask_migrate.downgrade(revision=release)
            held = _counts()
            if release == releases[0]:
                assert held["adviser"] >= 15 and held["user"] >= 5 and held["term"] >= 15
            flask_migrate.upgrade()
            now = _counts()
            lost = {name: (n, now[name]) for name, n in held.items() if now.get(name, 0) < n}
            assert lost == {}, f"upgrading {release} to the code's schema lost rows"
        assert set(now) == set(at_head)

        client = app.test_client()
        login = {"username": "office", "password": demo.DEMO_PASSWORD}
        assert client.post("/login", data=login).status_code == 302
        assert "王建国" in client.get("/roster").get_data(as_text=True)
        db.session.remove()
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


@pytest.mark.no_app_context
def test_the_stored_secrets_are_sealed_by_the_upgrade_and_opened_by_the_downgrade(tmp_path):
    """A user's calendar key and second-factor secret, kept in the clear before fe40a0000014,
    are sealed by it; subscribed calendar addresses go on working."""
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'seal.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "site"})
    select_secrets = text('SELECT calendar_token, totp_secret FROM "user"')
    with app.app_context():
        flask_migrate.upgrade(revision="fd30a0000013")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    'INSERT INTO "user" (id, username, display_name, password_hash, is_active,'
                    " calendar_token, totp_secret, created_at, totp_failures, version) VALUES"
                    " (1, 'lin', '林晓', 'x', true, 'calendar-key-of-lin-0123456789',"
                    " 'JBSWY3DPEHPK3PXP', '2026-01-01 00:00:00', 0, 1)"
                )
            )
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            token, secret = connection.execute(select_secrets).one()
        assert "calendar-key" not in token and "JBSWY3DP" not in secret
        assert (sealing.unseal(token), sealing.unseal(secret)) == (
            "calendar-key-of-lin-0123456789",
            "JBSWY3DPEHPK3PXP",
        )
        client = app.test_client()
        assert client.get("/calendar/calendar-key-of-lin-0123456789.ics").status_code == 200
        db.session.remove()
        flask_migrate.downgrade(revision="fd30a0000013")
        with db.engine.connect() as connection:
            assert tuple(connection.execute(select_secrets).one()) == (
                "calendar-key-of-lin-0123456789",
                "JBSWY3DPEHPK3PXP",
            )
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()
