"""The access matrix: every endpoint against every role, so no route goes without a rule.

A route added without an entry here fails `test_every_endpoint_is_in_the_matrix`; a route
whose decorator disagrees with the matrix fails `test_each_role_gets_what_the_matrix_says`.
"""

import pytest

from core import create_app
from core.models import Role
from tests.conftest import log_in

A, OF, AD, L, V = Role.ADMIN, Role.OFFICE, Role.ADVISER, Role.LIAISON, Role.VIEWER
EVERYONE = {A, OF, AD, L, V}
READERS = {A, OF, L, V}
WRITERS = {A, OF}

MATRIX = {
    "auth.login": "public",
    "auth.logout": EVERYONE,
    "core.home": EVERYONE,
    "core.set_language": EVERYONE,
    "core.change_password": EVERYONE,
    "core.notifications": EVERYONE,
    "core.read_notification": EVERYONE,
    "core.read_all_notifications": EVERYONE,
    "core.users": {A},
    "core.new_user": {A},
    "core.edit_user": {A},
    "core.reset_password": {A},
    "core.departments": READERS,
    "core.edit_department": WRITERS,
    "core.audit_log": WRITERS,
    "core.settings_page": WRITERS,
    "core.change_setting": {A},
    "advisers.dashboard": READERS,
    "advisers.roster": READERS,
    "advisers.roster_export": READERS,
    "advisers.import_roster": WRITERS,
    "advisers.advisers": READERS,
    "advisers.adviser": EVERYONE,
    "advisers.my_page": {AD},
    "advisers.edit_adviser": WRITERS,
    "advisers.recommend": WRITERS,
    "advisers.approve": WRITERS,
    "advisers.decline": WRITERS,
    "advisers.appoint": WRITERS,
    "advisers.renew": WRITERS,
    "advisers.end_term": WRITERS,
    "advisers.letter": EVERYONE,
    "advisers.letter_pdf": EVERYONE,
    "advisers.specialties": WRITERS,
    "advisers.edit_specialty": WRITERS,
    "cases.index": READERS,
    "meetings.meetings": READERS,
    "meetings.edit_meeting": WRITERS,
    "meetings.meeting": EVERYONE,
    "meetings.notice": EVERYONE,
    "meetings.cancel": WRITERS,
    "meetings.hold": WRITERS,
    "meetings.minutes": WRITERS,
    "meetings.add_topic": WRITERS,
    "meetings.attendance": WRITERS,
    "meetings.request_leave": {AD},
    "meetings.decide_leave": WRITERS,
    "meetings.my_meetings": {AD},
    "meetings.candidates": {A, OF, V},
    "meetings.decide_candidate": WRITERS,
    "meetings.rule": {A, OF, V},
    "meetings.change_rule": {A},
    "meetings.report": READERS,
    "meetings.report_export": READERS,
    "meetings.calendar": EVERYONE,
    "meetings.reset_calendar": EVERYONE,
    "meetings.calendar_feed": "public",
}


def endpoints(app):
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_endpoint_is_in_the_matrix(app):
    assert endpoints(app) == set(MATRIX)


def test_every_view_declares_its_rule_in_code(app):
    for endpoint, expected in MATRIX.items():
        view = app.view_functions[endpoint]
        if expected == "public":
            assert getattr(view, "access_public", False), endpoint
        else:
            assert view.access_roles == frozenset(expected), endpoint


@pytest.fixture
def world(one_of_everything):
    return one_of_everything


def requests_for(app, args):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {name: args[name] for name in rule.arguments if name not in rule.defaults or {}}
        url = rule.build(values, append_unknown=False)[1]
        method = "GET" if "GET" in rule.methods else "POST"
        yield rule.endpoint, method, url


def test_each_role_gets_what_the_matrix_says(app, world):
    users, args = world
    for role, user in users.items():
        client = app.test_client()
        assert log_in(client, user.username).status_code == 302
        for endpoint, method, url in requests_for(app, args):
            if endpoint in ("auth.logout", "auth.login"):
                continue
            response = client.open(url, method=method)
            allowed = MATRIX[endpoint] == "public" or role in MATRIX[endpoint]
            where = f"{role.value} {method} {url} -> {response.status_code}"
            if allowed:
                assert response.status_code != 403 and response.status_code < 500, where
            else:
                assert response.status_code == 403, where


def test_anonymous_visitors_are_sent_to_log_in(app, world):
    _users, args = world
    client = app.test_client()
    for endpoint, method, url in requests_for(app, args):
        response = client.open(url, method=method)
        if MATRIX[endpoint] == "public":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response.location.startswith("/login"), url


def test_static_files_need_no_login(client):
    assert client.get("/static/app.css").status_code == 200


def test_an_adviser_sees_only_their_own_record(app, world, create_adviser, login, client):
    users, args = world
    other = create_adviser()
    login(users[AD])
    assert client.get(f"/advisers/{args['adviser_id']}").status_code == 200
    assert client.get(f"/advisers/{other.id}").status_code == 403
    assert client.get(f"/terms/{args['term_id']}/letter").status_code == 200
    assert client.get("/me").location.endswith(f"/advisers/{args['adviser_id']}")


def test_a_route_without_a_rule_is_refused(app, make_user):
    probe = create_app({**app.config, "SERVER_NAME": None})

    @probe.route("/unruled-probe")
    def unruled():
        return "secret"

    user = make_user(Role.ADMIN)
    client = probe.test_client()
    assert log_in(client, user.username).status_code == 302
    assert client.get("/unruled-probe").status_code == 403
