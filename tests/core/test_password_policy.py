"""The password policy: each rule at its boundary, and every place a password is set."""

import pytest
from sqlalchemy import select

from core import services
from core.errors import DomainError
from core.extensions import db
from core.models import Role, User
from core.password_rules import (
    MIN_LENGTH,
    PasswordProblem,
    common_passwords,
    own_names,
    password_problem,
)
from tests.conftest import PASSWORD, log_in

# --- the pure rules ----------------------------------------------------------------------------


def test_eleven_characters_are_too_few_and_twelve_are_enough():
    assert MIN_LENGTH == 12
    assert password_problem("river-lamp7") is PasswordProblem.TOO_SHORT  # 11
    assert password_problem("river-lamp7x") is None  # 12


@pytest.mark.parametrize("password", ["password1234", "QWERTYUIOP123", "1q2w3e4r5t6y", "iloveyou"])
def test_listed_passwords_are_refused_whatever_their_case(password):
    assert password_problem(password.ljust(12, "!")) is PasswordProblem.COMMON


@pytest.mark.parametrize("password", ["iloveyou2026!!", "!!sunshine!!2026", "i-love-you-1234"])
def test_a_listed_password_dressed_in_digits_and_punctuation_is_still_common(password):
    assert password_problem(password) is PasswordProblem.COMMON


def test_the_bundled_list_holds_thousands_of_lower_cased_passwords():
    listed = common_passwords()
    assert len(listed) > 5000
    assert {"123456", "password", "qwertyuiop", "5201314"} <= listed
    assert all(entry == entry.lower() for entry in listed)


@pytest.mark.parametrize("password", ["zzzzzzzzzzzz", "abcabcabcabc", "tiger7tiger7tiger7"])
def test_a_repeated_unit_is_refused(password):
    assert password_problem(password) is PasswordProblem.REPEATED


@pytest.mark.parametrize(
    "password",
    ["abcdefghijklm", "987654321098", "zxcvbnm,./;lk", "poiuytrewqas", "zaq12wsxcde3"],
)
def test_sequences_and_keyboard_walks_are_refused(password):
    assert password_problem(password) is PasswordProblem.PREDICTABLE


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "counsel-demo-2026",
        "Xk9#mQ2!vLp8",
        "江南区法律顾问室2026年",
        "steady-river-lantern",
    ],
)
def test_the_passwords_in_use_and_strong_ones_pass(password):
    assert password_problem(password, own_names("office", "Test office")) is None


def test_a_password_holding_the_username_or_name_is_refused_from_three_characters():
    assert (
        password_problem("xx-LinXiao-2026", own_names("linxiao")) is PasswordProblem.CONTAINS_NAME
    )
    assert password_problem("quiet-王建国-river", own_names("wang", "王建国")) == "contains_name"
    assert password_problem("Zhou Ping river 8", own_names("zp", "Zhou Ping")) == "contains_name"
    # a two-character name is too common a substring to refuse
    assert password_problem("quiet-river-li-88", own_names("li", "Li")) is None
    assert own_names("lin", "系统管理员 周平") == ["lin", "系统管理员", "系统管理员 周平"]


# --- where passwords are set -------------------------------------------------------------------


def test_creating_a_user_refuses_a_weak_password_with_the_rule_named():
    with pytest.raises(DomainError) as refused:
        services.create_user(
            None, username="zhao", password="short-pw", display_name="赵敏", roles=[Role.OFFICE]
        )
    assert refused.value.field == "password"
    assert "12" in refused.value.message and "8" in refused.value.message
    with pytest.raises(DomainError, match=r"username|用户名"):
        services.create_user(
            None, username="zhaomin", password="Zhaomin-river-9", display_name="赵敏", roles=[]
        )
    assert db.session.scalar(select(User)) is None


def test_the_admin_form_shows_the_rule_beside_the_password(client, make_user, login):
    login(make_user(Role.ADMIN))
    form = {
        "username": "qian",
        "display_name": "钱进",
        "roles": "office",
        "department_id": "0",
        "password": "qwertyuiop[]",
        "confirm": "qwertyuiop[]",
    }
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 400
    assert "common" in response.get_data(as_text=True) or "常见" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.username == "qian")) is None
    named = {**form, "password": "qian-river-lamp", "confirm": "qian-river-lamp"}
    response = client.post("/admin/users/new", data=named)
    assert response.status_code == 400  # holds the username, which the form knows too
    assert "username" in response.get_data(as_text=True) or "用户名" in response.get_data(
        as_text=True
    )
    good = {**form, "password": "amber-river-lamp", "confirm": "amber-river-lamp"}
    assert client.post("/admin/users/new", data=good).status_code == 302


def test_an_admin_reset_refuses_the_users_own_name(client, make_user, login):
    login(make_user(Role.ADMIN))
    user = make_user(Role.OFFICE, username="sunli", display_name="Sun Li")
    old = user.password_hash
    bad = {"password": "sunli-2026-river", "confirm": "sunli-2026-river"}
    response = client.post(f"/admin/users/{user.id}/password", data=bad)
    assert response.status_code == 400
    assert db.session.get(User, user.id).password_hash == old


def test_changing_to_the_current_password_is_refused(office_client, office_user):
    same = {"current": PASSWORD, "password": PASSWORD, "confirm": PASSWORD}
    response = office_client.post("/account/password", data=same)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "same as the current" in page or "相同" in page


def test_changing_to_an_eleven_character_password_is_refused(office_client, office_user):
    short = {"current": PASSWORD, "password": "amber-lamp7", "confirm": "amber-lamp7"}
    assert office_client.post("/account/password", data=short).status_code == 400
    ok = {"current": PASSWORD, "password": "amber-lamp7x", "confirm": "amber-lamp7x"}
    assert office_client.post("/account/password", data=ok).status_code == 302


def test_an_old_password_that_breaks_the_policy_still_logs_in(client, make_user):
    """The policy applies when a password is set, not at login."""
    user = make_user(Role.OFFICE, username="old")
    from core.auth import hash_password

    user.password_hash = hash_password("1234567890")
    db.session.commit()
    assert log_in(client, "old", "1234567890").status_code == 302


def test_the_command_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=["users", "create", "chen", "--password", "password1234", "--role", "office"]
    )
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.username == "chen")) is None
    result = runner.invoke(
        args=["users", "create", "chen", "--password", "amber-river-lamp", "--role", "office"]
    )
    assert result.exit_code == 0, result.output
