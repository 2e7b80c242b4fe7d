"""`flask db upgrade` builds exactly the schema the models describe, on SQLite and PostgreSQL."""

import os

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core import create_app
from core.extensions import db


@pytest.mark.no_app_context
def test_upgrade_matches_the_models_and_downgrade_undoes_it(tmp_path):
    url = os.environ.get("COUNSEL_TEST_MIGRATE_URL") or f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        flask_migrate.downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()
