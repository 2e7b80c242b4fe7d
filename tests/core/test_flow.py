"""One transaction per request: the view's work commits once after it returns, an error rolls
it back, a GET never writes; and a refusal's several problems land beside their fields."""

import pytest
from flask import Flask
from sqlalchemy import select
from wtforms import StringField

from core import create_app
from core.errors import DomainError, Problem
from core.extensions import db
from core.flow import apply_errors
from core.forms import Form
from core.models import Department, DepartmentKind, Role
from core.policy import ACCOUNT, requires
from tests.conftest import log_in


@pytest.fixture
def probe(app, make_user) -> Flask:
    """An app with three extra routes that write: by GET, by POST, and by POST then failing."""
    probe = create_app({**app.config, "SERVER_NAME": None})

    def add(name: str) -> None:
        db.session.add(Department(name=name, kind=DepartmentKind.OTHER))
        db.session.flush()

    @probe.route("/probe/get-writes")
    @requires(ACCOUNT)
    def get_writes():
        add("由GET写入")
        return "wrote"

    @probe.route("/probe/post-writes", methods=["POST"])
    @requires(ACCOUNT)
    def post_writes():
        add("由POST写入")
        return "ok"

    @probe.route("/probe/post-fails", methods=["POST"])
    @requires(ACCOUNT)
    def post_fails():
        add("写后出错")
        raise RuntimeError("boom")

    make_user(Role.OFFICE, username="prober")
    return probe


def names() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(Department.name)))


def test_a_post_commits_once_after_the_view_returns(probe):
    client = probe.test_client()
    log_in(client, "prober")
    assert client.post("/probe/post-writes").status_code == 200
    assert "由POST写入" in names()


def test_an_error_after_a_write_saves_nothing(probe):
    probe.testing = False  # let the error page answer instead of raising into the test
    client = probe.test_client()
    log_in(client, "prober")
    response = client.post("/probe/post-fails")
    assert response.status_code == 500
    assert "写后出错" not in names()


def test_a_get_that_writes_is_caught_and_rolled_back(probe):
    client = probe.test_client()
    log_in(client, "prober")
    with pytest.raises(AssertionError, match="wrote to the database"):
        client.get("/probe/get-writes")
    assert "由GET写入" not in names()


class TwoFields(Form):
    name = StringField()
    place = StringField()


def test_several_problems_land_beside_their_fields(app):
    error = DomainError(
        problems=[
            Problem("name", "名称已被使用"),
            Problem("place", "地点太长"),
            Problem("mark-7", "请选择出勤情况"),
            Problem(None, "请重试"),
        ]
    )
    with app.test_request_context(method="POST"):
        form = TwoFields(formdata=None)
        apply_errors(form, error)
        assert form.name.errors == ["名称已被使用"] and form.place.errors == ["地点太长"]
        assert form.other_errors == {"mark-7": "请选择出勤情况"}


def test_a_domain_error_answers_an_api_with_its_code_and_problems():
    error = DomainError("名称已被使用", field="name")
    assert error.as_dict() == {
        "code": "refused",
        "errors": [{"field": "name", "message": "名称已被使用", "row": None}],
    }


def test_a_page_that_is_not_full_is_counted_without_a_count_query(app, make_user):
    from core.listing import paginate
    from core.models import User
    from tests.conftest import count_queries

    for n in range(3):
        make_user(Role.VIEWER, username=f"reader-{n}")
    stmt = select(User.id).where(User.username.like("reader-%")).order_by(User.id)
    # a full page needs its count; the last, partial page tells the total by itself
    for url, queries in (("/?page=1", 2), ("/?page=2", 1), ("/?page=9", 2)):
        with app.test_request_context(url), count_queries() as counted:
            page = paginate(stmt, per_page=2)
            assert page.total == 3
        assert counted[0] == queries, url
