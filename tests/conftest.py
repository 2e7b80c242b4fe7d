"""Fixtures for every test: the app on a real database, clients, users and panel factories.

The suite runs on SQLite by default; set COUNSEL_TEST_DATABASE_URL to run it on PostgreSQL.
Tables are created once per run and emptied after each test.
"""

from __future__ import annotations

import contextvars
import os
from contextlib import contextmanager
from datetime import date, timedelta

import flask_migrate
import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from advisers import services as adviser_services
from advisers.models import Category, Gender, Post, Specialty
from advisers.pool.models import LegalTraining, PoolEntry, PoolKind, PoolSource
from consultations.engagements import services as engagement_services
from consultations.engagements.models import EngagedAs
from core import create_app
from core import services as core_services
from core.extensions import db
from core.models import Department, DepartmentKind, Role, utcnow
from core.workdays import forget_calendar, seed_calendar
from evaluation.annual import current_scheme, evidence_for
from evaluation.models import AnnualEvaluation, DismissalCandidate, EvaluationStatus, GradeLabel
from evaluation.rewards.models import RewardNomination
from evaluation.services import current_rule_version, default_rule_version
from meetings import services as meeting_services
from meetings.models import MeetingKind

PASSWORD = "correct-horse-battery"

pytest_plugins = [
    "tests.meetings.fixtures",
    "tests.consultations.engagement_fixtures",
    "tests.consultations.fixtures",
    "tests.consultations.view_fixtures",
    "tests.cases.fixtures",
]


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("COUNSEL_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def pytest_configure(config):
    """Under pytest-xdist (`-n auto`), each worker runs on PostgreSQL databases of its own,
    made beside the ones named in the environment (counsel_test_gw0, ...); on SQLite each
    worker's temporary folder is its own already."""
    _register_markers(config)
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not worker:
        return
    for name in ("COUNSEL_TEST_DATABASE_URL", "COUNSEL_TEST_MIGRATE_URL"):
        url = os.environ.get(name)
        if url and make_url(url).get_backend_name() == "postgresql":
            os.environ[name] = _worker_database(url, worker)


def _worker_database(url: str, worker: str) -> str:
    """The URL of this worker's copy of a PostgreSQL database, created when missing."""
    original = make_url(url)
    database = f"{original.database}_{worker}"
    server = create_engine(original.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    server.dispose()
    return original.set(database=database).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """A test client whose requests never share the test's app context, `g` or session.

    Flask reuses an active app context for a request; tests hold one open, so without this
    every request would see the previous request's logged-in user in `g`.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
            forget_calendar()  # the request may have entered a year of holidays
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    os.environ["COUNSEL_INSTANCE_PATH"] = str(instance)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path_factory),
            "WTF_CSRF_ENABLED": False,
            "MAIL_SERVER": None,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        flask_migrate.stamp()  # the schema is the code's: /healthz and the servers ask
        seed_calendar()
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", _note_calendar_write)
        _calendar_written[0] = False
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


#: the working-day calendar is reference data that the migration seeds: it is kept from test to
#: test, and seeded afresh only after a test wrote to it
CALENDAR_TABLES = frozenset({"holiday", "holiday_year"})
_calendar_written = [False]


def _note_calendar_write(_connection, _cursor, statement, *_args) -> None:
    if "holiday" in statement and not statement.lstrip().upper().startswith("SELECT"):
        _calendar_written[0] = True


def _empty_tables() -> None:
    # PostgreSQL's TRUNCATE ... CASCADE empties the calendar too (a year names its loader)
    reseed = _calendar_written[0] or db.engine.dialect.name == "postgresql"
    tables = [
        table
        for table in reversed(db.metadata.sorted_tables)
        if reseed or table.name not in CALENDAR_TABLES
    ]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()
    if reseed:
        seed_calendar()
        db.session.commit()
        _calendar_written[0] = False


def _seed_defaults() -> None:
    """Store what the migrations store in a new database: the dismissal rule's version 1."""
    db.session.add(default_rule_version())
    db.session.commit()


@pytest.fixture(autouse=True)
def app_ctx(request, app):
    """Every test runs in an app context and leaves the database empty."""
    if "no_app_context" in request.keywords:
        yield None
        return
    with app.app_context():
        _seed_defaults()
        yield
        db.session.rollback()
        _empty_tables()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user():
    """Create a user: make_user(Role.OFFICE, username=..., password=...)."""
    counter = iter(range(1, 100000))

    def make(
        role: Role = Role.OFFICE, username: str | None = None, password: str = PASSWORD, **fields
    ):
        user = core_services.create_user(
            None,
            username=username or f"{role.value}{next(counter)}",
            password=password,
            display_name=fields.pop("display_name", f"Test {role.value}"),
            roles=[role],
            **fields,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def office_user(make_user):
    return make_user(Role.OFFICE, username="office")


def log_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password}, **extra)


@pytest.fixture
def login(client):
    """Log the client in as a user (created with the test password)."""

    def do(user, password: str = PASSWORD):
        response = log_in(client, user.username, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do


@pytest.fixture
def office_client(client, office_user, login):
    return login(office_user)


@pytest.fixture
def create_adviser():
    """Create an adviser record: create_adviser(name=..., category=...)."""
    counter = iter(range(1, 100000))

    def make(**overrides):
        n = next(counter)
        fields = {
            "name": f"顾问{n}",
            "gender": Gender.FEMALE,
            "category": Category.PRACTISING_LAWYER,
            "organisation": "测试律师事务所",
            "licence_no": None,
        }
        specialty_ids = overrides.pop("specialty_ids", [])
        fields.update(overrides)
        adviser = adviser_services.save_adviser(None, None, specialty_ids=specialty_ids, **fields)
        db.session.commit()
        return adviser

    return make


@pytest.fixture
def appoint(create_adviser):
    """Take an adviser through recommendation and approval to a term starting on `start`."""

    def make(adviser=None, post: Post = Post.MEMBER, start: date = date(2026, 3, 1)):
        adviser = adviser or create_adviser()
        nomination = adviser_services.recommend_adviser(
            None, adviser, post=post, recommended_on=start - timedelta(days=30)
        )
        adviser_services.approve_nomination(
            None, nomination, approved_on=start - timedelta(days=10), doc_no="江府办复〔2026〕1号"
        )
        term = adviser_services.appoint_adviser(None, nomination, post=post, start_on=start)
        db.session.commit()
        return term

    return make


@pytest.fixture
def one_of_everything(make_user, create_adviser):
    """One user per role and one record of each kind, the adviser user linked to the adviser."""
    users = {role: make_user(role, username=f"m-{role.value}") for role in Role}
    adviser = create_adviser(user_id=users[Role.ADVISER].id)
    nomination = adviser_services.recommend_adviser(
        None, adviser, post=Post.MEMBER, recommended_on=date(2026, 1, 1)
    )
    adviser_services.approve_nomination(None, nomination, approved_on=date(2026, 1, 2), doc_no="1")
    term = adviser_services.appoint_adviser(
        None, nomination, post=Post.MEMBER, start_on=date(2026, 1, 3)
    )
    department = Department(name="区司法局", kind=DepartmentKind.BUREAU)
    specialty = Specialty(name="行政法", name_en="Administrative law")
    db.session.add_all([department, specialty])
    meeting = meeting_services.plan_meeting(
        None,
        kind=MeetingKind.REGULAR,
        title="定期会议",
        place="会议室",
        starts_at=utcnow() + timedelta(days=3),
        ends_at=utcnow() + timedelta(days=3, hours=2),
    )
    invitation = meeting.invitations[0]
    leave = meeting_services.request_leave(users[Role.ADVISER], invitation, reason="出差")
    candidate = DismissalCandidate(
        adviser_id=adviser.id,
        term=term,
        evidence_key="k",
        reasons="consecutive",
        evidence={"run": [], "window": [], "reasons": ["consecutive"]},
        raised_on=date(2026, 1, 1),
        rule_version=current_rule_version(),
    )
    db.session.add(candidate)
    db.session.add(final_evaluation(adviser, 2026))
    reward = RewardNomination(
        adviser_id=adviser.id,
        year=2026,
        justification="全年履职优秀。",
        nominated_on=date(2026, 2, 1),
    )
    db.session.add(reward)
    entry = PoolEntry(
        name="周律师", kind=PoolKind.PRACTISING_LAWYER, source=PoolSource.OFFICE, consent=True
    )
    training = LegalTraining(held_on=date(2026, 1, 10), title="行政执法培训", hours=3)
    db.session.add_all([entry, training])
    users[Role.LIAISON].department_id = department.id
    engagement = engagement_services.create_engagement(
        None,
        department_id=department.id,
        person_name="许文涛",
        engaged_as=EngagedAs.PRACTISING_LAWYER,
        start_on=date(2026, 1, 1),
        end_on=date(2026, 12, 31),
        scope="合同审查",
    )
    from tests.consultations.view_fixtures import consultation_records  # a plugin (above)

    consultations = consultation_records(department, adviser)
    from tests.cases.fixtures import case_records

    cases = case_records(department, adviser)
    db.session.commit()
    args = {
        "meeting_id": meeting.id,
        "invitation_id": invitation.id,
        "leave_id": leave.id,
        "candidate_id": candidate.id,
        "token": users[Role.VIEWER].calendar_token,
        "adviser_id": adviser.id,
        "nomination_id": nomination.id,
        "term_id": term.id,
        "department_id": department.id,
        "specialty_id": specialty.id,
        "user_id": users[Role.VIEWER].id,
        "notification_id": 1,
        "session_id": 1,
        "message_id": 1,
        "key": "panel.max_members",
        "kind": "meeting",
        "record_id": meeting.id,
        "fmt": "csv",
        "year": 2026,
        "engagement_id": engagement.id,
        "reward_id": reward.id,
        "entry_id": entry.id,
        "training_id": training.id,
        **consultations,
        **cases,
    }
    return users, args


def final_evaluation(adviser, year: int) -> AnnualEvaluation:
    """A yearly evaluation made final today under the default scheme, unsaved."""
    return AnnualEvaluation(
        adviser_id=adviser.id,
        year=year,
        scheme_version=current_scheme(),
        status=EvaluationStatus.FINAL,
        grade=GradeLabel.COMPETENT,
        assessment="全年履职称职。",
        evidence=evidence_for(year)[adviser.id].as_dict(),
        finalised_at=utcnow(),
    )


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block: `with count_queries() as q: ...; q[0]`."""
    counter = [0]

    def before(*_args, **_kwargs):
        counter[0] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def assert_constant_queries(small: int, large: int, what: str) -> None:
    """A page runs as many queries on a big office as on a small one.

    One more is allowed: a page that is not full needs no count query (core.listing), so a
    list that grows past one page adds its count. Loading rows one by one would add dozens.
    """
    assert small <= large <= small + 1, f"{what}: {small} queries when small, {large} when big"


def _register_markers(config):
    config.addinivalue_line("markers", "no_app_context: the test manages app contexts itself")
