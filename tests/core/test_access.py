"""Access over the whole URL map, driven by the policy table the routes themselves declare.

Every endpoint names the action it needs (or is public); the policy table says which roles may
take each action. The tests check that every route declares a known action, that each role gets
exactly what the table says, and, independently of the table, the decisions the README promises.
"""

import pytest

from core import create_app
from core.extensions import db
from core.models import Role
from core.policy import RULES, rule_for
from tests.conftest import log_in

A, OF, AD, L, V = Role.ADMIN, Role.OFFICE, Role.ADVISER, Role.LIAISON, Role.VIEWER
PUBLIC = {"auth.login", "meetings.calendar_feed", "health.healthz"}
#: the steps between the password and the session: open to a visitor part-way through a login,
#: and sending anyone else to the login page
LOGIN_STEPS = {"twofactor.verify", "twofactor.enrol"}


def endpoints(app):
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def allowed_roles(app, endpoint: str):
    """The roles the policy table lets reach an endpoint; "public" for the open ones."""
    view = app.view_functions[endpoint]
    if getattr(view, "access_public", False):
        return "public"
    return rule_for(view.access_action).roles


def test_every_endpoint_declares_a_known_action_or_is_public(app):
    for endpoint in endpoints(app):
        view = app.view_functions[endpoint]
        if endpoint in PUBLIC | LOGIN_STEPS:
            assert getattr(view, "access_public", False), endpoint
        else:
            assert not getattr(view, "access_public", False), f"{endpoint} is public"
            assert view.access_action in RULES, endpoint


#: what the README promises each role, whatever the table says
PROMISES = {
    "admin.users": {A},
    "system.status": {A},
    "admin.change_setting": {A},
    "evaluation.change_rule": {A},
    "audit.audit_log": {A, OF},
    "advisers.edit_adviser": {OF},
    "advisers.appoint": {OF},
    "meetings.attendance": {OF},
    "evaluation.decide_candidate": {OF},
    "admin.edit_department": {OF},
    "reports.dashboard": {A, OF, L, V},
    "advisers.roster": {A, OF, L, V},
    "meetings.request_leave": {AD},
    "advisers.my_page": {AD},
    "accounts.change_password": {A, OF, AD, L, V},
    "engagements.engagements": {A, OF, L, V},
    "engagements.edit_engagement": {OF},
    "holidays.years": {A, OF, V},
    "holidays.enter_year": {A},
    "evaluation.own_evaluations": {AD},
    "evaluation.comment": {AD},
    "rewards.rewards": {A, OF, V},
    "rewards.set_fund": {OF},
    "rewards.allocate": {OF},
    "reports.index": {A, OF, V},
    "reports.yearly_pdf": {A, OF, V},
    "reports.leader": {A, OF, V},
    "pool.pool": {A, OF, V},
    "pool.edit_entry": {OF},
    "pool.recommend": {OF},
    "pool.training_attendance": {OF},
}


def test_the_table_keeps_the_readmes_promises(app):
    for endpoint, roles in PROMISES.items():
        assert allowed_roles(app, endpoint) == roles, endpoint


def test_the_administrator_alone_is_read_only_outside_administration(app):
    writes = [
        endpoint
        for endpoint in endpoints(app)
        if A in (allowed_roles(app, endpoint) or ())
        and any("POST" in rule.methods for rule in app.url_map.iter_rules(endpoint))
        and not endpoint.startswith(
            ("admin.", "accounts.", "auth.", "twofactor.", "holidays.", "meetings.reset_calendar")
        )
    ]
    assert writes == ["evaluation.change_rule"]


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
            expected = allowed_roles(app, endpoint)
            allowed = expected == "public" or role in expected
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
        if endpoint in PUBLIC:
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


def test_a_user_with_two_roles_gets_both(app, make_user, client):
    clerk = make_user(OF, username="clerk")
    clerk.roles = {OF, A}
    db.session.commit()
    assert log_in(client, "clerk").status_code == 302
    assert client.get("/admin/users").status_code == 200
    assert client.get("/advisers/new").status_code == 200
    assert "clerk" in client.get("/admin/users").get_data(as_text=True)


def test_a_route_without_a_rule_is_refused(app, make_user):
    probe = create_app({**app.config, "SERVER_NAME": None})

    @probe.route("/unruled-probe")
    def unruled():
        return "secret"

    user = make_user(Role.ADMIN)
    client = probe.test_client()
    assert log_in(client, user.username).status_code == 302
    assert client.get("/unruled-probe").status_code == 403
