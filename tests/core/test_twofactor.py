"""The second factor: setting it up, signing in with it, its limits, and turning it off."""

import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from core import services, settings, twofactor
from core.errors import DomainError
from core.extensions import db
from core.models import AuditEvent, RecoveryCode, Role, User
from tests.conftest import PASSWORD, log_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def code_at(step_offset: int = 0, secret: str = SECRET) -> str:
    """The app's code for the current 30-second step, or one before or after it."""
    return pyotp.TOTP(secret).at(time.time() + 30 * step_offset)


@pytest.fixture
def enrolled(make_user):
    """A user with the second factor on (set up with the code of the step before this one,
    so that this step's code is still fresh); returns the user and their recovery codes."""

    def make(role: Role = Role.OFFICE, username: str = "lin"):
        user = make_user(role, username=username)
        codes = twofactor.enable_second_factor(user, SECRET, code_at(-1))
        db.session.commit()
        return user, codes

    return make


def require_second_factor():
    settings.change_setting(None, twofactor.REQUIRED_SETTING, "1")
    db.session.commit()


def secret_on(page: str) -> str:
    return re.search(r'name="secret"[^>]*value="([A-Z2-7]{32})"', page).group(1)


# --- the rules of a code --------------------------------------------------------------------


def test_a_code_one_step_either_side_is_accepted_and_two_steps_are_not():
    now = 1_800_000_000.0
    step = twofactor.current_step(now)
    totp = pyotp.TOTP(SECRET)
    for offset, accepted in [(-2, False), (-1, True), (0, True), (1, True), (2, False)]:
        code = totp.generate_otp(step + offset)
        found = twofactor.matching_step(SECRET, code, after=None, now=now)
        assert (found == step + offset) is accepted, offset


def test_a_code_of_a_step_already_used_is_refused():
    now = 1_800_000_000.0
    step = twofactor.current_step(now)
    code = pyotp.TOTP(SECRET).generate_otp(step)
    assert twofactor.matching_step(SECRET, code, after=step - 1, now=now) == step
    assert twofactor.matching_step(SECRET, code, after=step, now=now) is None


@pytest.mark.parametrize("answer", ["12345", "1234567", "abcdef", "１２３４５６", ""])
def test_only_six_plain_digits_are_read_as_a_code(answer):
    assert twofactor.matching_step(SECRET, answer, after=None) is None


# --- setting it up from the account page ----------------------------------------------------


def test_a_user_sets_it_up_from_their_account_page(client, make_user, login):
    user = make_user(Role.ADVISER, username="wang")
    login(user)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "<svg" in page and 'data-testid="totp-secret"' in page
    secret = secret_on(page)
    assert twofactor.readable_secret(secret) in page
    wrong = client.post("/account/second-factor/set-up", data={"secret": secret, "code": "000000"})
    assert wrong.status_code == 400
    assert secret_on(wrong.get_data(as_text=True)) == secret  # the scanned secret is kept
    assert not db.session.get(User, user.id).has_second_factor
    response = client.post(
        "/account/second-factor/set-up", data={"secret": secret, "code": code_at(0, secret)}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.get_data(as_text=True))
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT == 10
    user = db.session.get(User, user.id)
    assert user.has_second_factor and user.totp_secret == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert sorted(stored) == sorted(twofactor.hash_recovery_code(code) for code in codes)
    assert "no-store" in response.headers["Cache-Control"]


def test_a_forged_secret_is_refused_and_a_fresh_one_shown(client, make_user, login):
    login(make_user(Role.ADVISER))
    response = client.post("/account/second-factor/set-up", data={"secret": "x", "code": "1"})
    assert response.status_code == 400
    assert secret_on(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0


def test_the_secret_never_reaches_the_audit_trail(enrolled):
    enrolled()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "User")).all()
    assert any(event.after and event.after.get("totp_enabled_at") for event in events), (
        "turning it on is in the trail"
    )
    assert all(SECRET not in str(event.before) + str(event.after) for event in events)


# --- signing in ------------------------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_a_user_with_it_on(client, enrolled):
    enrolled()
    response = log_in(client, "lin")
    assert response.status_code == 302 and response.location.startswith("/login/code")
    assert client.get("/dashboard").status_code == 302  # not signed in yet
    response = client.post("/login/code", data={"code": code_at(0)})
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/dashboard").status_code == 200


def test_the_code_step_keeps_where_the_user_was_going(client, enrolled):
    enrolled()
    response = log_in(client, "lin", query_string={"next": "/roster"})
    assert response.location == "/login/code?next=/roster"
    assert client.post(response.location, data={"code": code_at(0)}).location == "/roster"


def test_a_wrong_code_is_refused(client, enrolled):
    enrolled()
    log_in(client, "lin")
    response = client.post("/login/code", data={"code": "000000"})
    assert response.status_code == 401
    assert client.get("/dashboard").status_code == 302


def test_a_code_is_good_once(client, enrolled):
    enrolled()
    log_in(client, "lin")
    code = code_at(0)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    log_in(client, "lin")
    assert client.post("/login/code", data={"code": code}).status_code == 401
    # the code the set-up used is spent too
    assert client.post("/login/code", data={"code": code_at(-1)}).status_code == 401


def test_a_recovery_code_signs_in_once(client, enrolled):
    _user, codes = enrolled()
    log_in(client, "lin")
    assert client.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    client.post("/logout")
    log_in(client, "lin")
    assert client.post("/login/code", data={"code": codes[3]}).status_code == 401
    assert client.post("/login/code", data={"code": codes[4]}).status_code == 302


def test_another_users_recovery_code_is_refused(client, enrolled):
    _lin, lins_codes = enrolled(username="lin")
    enrolled(username="zhou")
    log_in(client, "zhou")
    assert client.post("/login/code", data={"code": lins_codes[0]}).status_code == 401


def test_five_wrong_codes_send_the_user_back_and_lock_the_codes(client, enrolled, app):
    enrolled()
    log_in(client, "lin")
    for _ in range(4):
        assert client.post("/login/code", data={"code": "000000"}).status_code == 401
    fifth = client.post("/login/code", data={"code": "000000"})
    assert fifth.status_code == 302 and fifth.location.startswith("/login")
    assert client.get("/login/code").location.startswith("/login")  # the step has ended
    # the count is the account's: a new sign-in with the right password and code is refused
    log_in(client, "lin")
    response = client.post("/login/code", data={"code": code_at(0)})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert client.get("/dashboard").status_code == 302


def test_four_wrong_codes_then_the_right_one_signs_in_and_clears_the_count(client, enrolled):
    user, _codes = enrolled()
    log_in(client, "lin")
    for _ in range(4):
        client.post("/login/code", data={"code": "000000"})
    assert client.post("/login/code", data={"code": code_at(0)}).status_code == 302
    assert db.session.get(User, user.id).totp_failures == 0


def test_the_step_expires_after_a_few_minutes(client, enrolled, app):
    enrolled()
    log_in(client, "lin")
    with client.session_transaction() as state:
        state[twofactor.PENDING_KEY] = {
            **state[twofactor.PENDING_KEY],
            "at": time.time() - app.config["TWO_FACTOR_PENDING_SECONDS"] - 1,
        }
    response = client.post("/login/code", data={"code": code_at(0)})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert client.get("/dashboard").status_code == 302


def test_a_password_reset_meanwhile_ends_the_step(client, enrolled, make_user):
    user, _codes = enrolled()
    log_in(client, "lin")
    services.reset_password(make_user(Role.ADMIN), user, "amber-river-lamp")
    db.session.commit()
    response = client.post("/login/code", data={"code": code_at(0)})
    assert response.location.startswith("/login")
    assert client.get("/dashboard").status_code == 302


def test_the_code_step_without_a_password_first_leads_to_login(client):
    assert client.get("/login/code").location.startswith("/login")
    assert client.post("/login/code", data={"code": "123456"}).location.startswith("/login")


# --- required by the setting -----------------------------------------------------------------


def test_the_setting_sends_office_staff_to_set_it_up_before_anything_else(client, make_user):
    make_user(Role.OFFICE, username="lin")
    require_second_factor()
    response = log_in(client, "lin")
    assert response.location.startswith("/login/set-up")
    assert client.get("/dashboard").status_code == 302
    page = client.get("/login/set-up").get_data(as_text=True)
    secret = secret_on(page)
    response = client.post("/login/set-up", data={"secret": secret, "code": code_at(0, secret)})
    assert response.status_code == 200
    assert len(re.findall(r"<li>[a-z2-9]{5}-[a-z2-9]{5}</li>", response.get_data(as_text=True)))
    assert client.get("/dashboard").status_code == 200
    assert db.session.scalar(select(User).where(User.username == "lin")).has_second_factor


def test_the_setting_leaves_other_roles_and_is_off_by_default(client, make_user):
    make_user(Role.OFFICE, username="lin")
    make_user(Role.ADVISER, username="wang")
    assert log_in(client, "lin").location == "/"  # off by default
    client.post("/logout")
    require_second_factor()
    assert log_in(client, "wang").location == "/"


def test_a_required_user_cannot_turn_it_off(client, enrolled):
    user, _codes = enrolled(Role.ADMIN)
    require_second_factor()
    with pytest.raises(DomainError):
        twofactor.disable_second_factor(user)
    log_in(client, "lin")
    client.post("/login/code", data={"code": code_at(0)})
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert 'data-testid="second-factor-required"' in page
    response = client.post("/account/second-factor/off", data={"off-answer": PASSWORD})
    assert response.status_code == 302
    assert db.session.get(User, user.id).has_second_factor


# --- managing it -----------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, enrolled):
    user, codes = enrolled()
    log_in(client, "lin")
    assert client.post("/login/code", data={"code": code_at(0)}).status_code == 302
    return user, codes


def test_turning_it_off_needs_the_password_or_a_code(client, signed_in):
    user, _codes = signed_in
    wrong = client.post("/account/second-factor/off", data={"off-answer": "not-my-password"})
    assert wrong.status_code == 400
    assert db.session.get(User, user.id).has_second_factor
    right = client.post("/account/second-factor/off", data={"off-answer": PASSWORD})
    assert right.status_code == 302
    user = db.session.get(User, user.id)
    assert not user.has_second_factor and user.totp_secret is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    client.post("/logout")
    assert log_in(client, "lin").location == "/"


def test_new_recovery_codes_replace_the_old_ones(client, signed_in):
    _user, old_codes = signed_in
    response = client.post(
        "/account/second-factor/recovery-codes", data={"codes-answer": code_at(1)}
    )
    assert response.status_code == 200
    new_codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/logout")
    log_in(client, "lin")
    assert client.post("/login/code", data={"code": old_codes[0]}).status_code == 401
    assert client.post("/login/code", data={"code": new_codes[0]}).status_code == 302


def test_wrong_answers_on_the_account_page_count_towards_the_lock(client, signed_in, app):
    user, _codes = signed_in
    for _ in range(app.config["TWO_FACTOR_MAX_TRIES"]):
        client.post("/account/second-factor/off", data={"off-answer": "not-my-password"})
    response = client.post("/account/second-factor/off", data={"off-answer": PASSWORD})
    assert response.status_code == 400
    assert db.session.get(User, user.id).has_second_factor


# --- the administrator's reset ----------------------------------------------------------------


def test_an_administrator_resets_a_lost_second_factor(app, client, signed_in, make_user):
    user, _codes = signed_in
    assert client.get("/dashboard").status_code == 200
    admin = make_user(Role.ADMIN, username="boss")
    admin_client = app.test_client()
    log_in(admin_client, "boss")
    page = admin_client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "/second-factor/reset" in page
    response = admin_client.post(f"/admin/users/{user.id}/second-factor/reset")
    assert response.status_code == 302
    user = db.session.get(User, user.id)
    assert not user.has_second_factor and user.totp_secret is None
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    assert client.get("/dashboard").status_code == 302  # their session has ended
    reset = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.record_type == "User",
            AuditEvent.record_id == str(user.id),
            AuditEvent.actor_id == admin.id,
        )
    ).all()
    assert any(event.before and event.before.get("totp_enabled_at") for event in reset)
    assert log_in(client, "lin").location == "/"  # the password alone, until set up again


def test_only_an_administrator_may_reset_it(client, signed_in, make_user):
    user, _codes = signed_in
    assert client.post(f"/admin/users/{user.id}/second-factor/reset").status_code == 403
    assert db.session.get(User, user.id).has_second_factor


# --- bad input on the steps after the password -------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),
        ({"code": "长" * 10_000}, 400),
        ({"code": "\x00<script>"}, 400),
        ({"code": "x"}, 401),
    ],
)
def test_the_code_step_refuses_bad_input_with_a_message(client, enrolled, data, status):
    user, _codes = enrolled()
    log_in(client, "lin")
    response = client.post("/login/code", data=data)
    assert response.status_code == status
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    assert db.session.get(User, user.id).totp_failures == (1 if status == 401 else 0)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"secret": "长" * 10_000, "code": "长" * 10_000},
        {"secret": "\x00<script>", "code": "123456"},
        {"secret": SECRET, "code": "abcdef"},
    ],
)
def test_the_set_up_step_refuses_bad_input_with_a_message(client, make_user, data):
    make_user(Role.OFFICE, username="lin")
    require_second_factor()
    log_in(client, "lin")
    response = client.post("/login/set-up", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "invalid-feedback" in page or "alert-danger" in page
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    assert not db.session.scalar(select(User).where(User.username == "lin")).has_second_factor
