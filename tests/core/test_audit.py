"""The audit trail: every create, update and delete, in the same transaction as the change,
each action's events sharing a change set; and the account events written beside them."""

from sqlalchemy import select

from core import audit
from core.audit.kernel import LOGIN_FAILED, PASSWORD_RESET
from core.extensions import db
from core.models import AuditEvent, Department, DepartmentKind, Role
from tests.conftest import PASSWORD


def events(record_type: str) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.record_type == record_type).order_by(AuditEvent.id)
    return list(db.session.scalars(stmt))


def test_create_update_delete_are_recorded_with_before_and_after(make_user):
    actor = make_user(Role.OFFICE)
    with audit.acting_as(db.session, actor.id):
        department = Department(name="区教育局", kind=DepartmentKind.BUREAU)
        db.session.add(department)
        db.session.commit()
        department.principal_head = "顾文"
        db.session.commit()
        db.session.delete(department)
        db.session.commit()
    created, updated, deleted = events("Department")
    assert (created.action, created.before, created.after["name"]) == ("create", None, "区教育局")
    assert updated.changes() == [("principal_head", None, "顾文"), ("version", 1, 2)]
    assert deleted.action == "delete" and deleted.after is None
    assert {e.actor_id for e in (created, updated, deleted)} == {actor.id}
    assert created.at.tzinfo is not None


def test_a_rolled_back_change_leaves_no_audit_event():
    db.session.add(Department(name="区水利局", kind=DepartmentKind.BUREAU))
    db.session.flush()
    assert len(events("Department")) == 1
    db.session.rollback()
    assert events("Department") == []


def test_secrets_never_reach_the_audit_trail(make_user):
    user = make_user(Role.OFFICE)
    [created] = events("User")
    assert created.after["password_hash"] == "***"
    assert user.password_hash not in str(created.after)


def test_bookkeeping_fields_are_not_audited(make_user, client):
    make_user(Role.OFFICE, username="lin")
    client.post("/login", data={"username": "lin", "password": "correct-horse-battery"})
    assert [e.action for e in events("User")] == ["create", "login"]


def test_the_acting_user_is_the_logged_in_one(office_client, office_user):
    office_client.post("/departments/new", data={"name": "区商务局", "kind": "bureau"})
    [event] = events("Department")
    assert event.actor_id == office_user.id


def test_one_transaction_is_one_change_set_and_the_next_is_another(make_user):
    actor = make_user(Role.OFFICE)
    with audit.acting_as(db.session, actor.id):
        db.session.add(Department(name="区教育局", kind=DepartmentKind.BUREAU))
        db.session.flush()
        db.session.add(Department(name="区卫健委", kind=DepartmentKind.BUREAU))
        db.session.commit()
        db.session.add(Department(name="区民政局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    first, second, third = events("Department")
    assert first.change_set == second.change_set != third.change_set
    assert len(first.change_set) == 32


def test_a_record_keeps_its_name_and_its_parent(plan, serving):
    meeting = plan(title="第四季度会议")
    [created] = events("Meeting")
    assert created.record_label == "第四季度会议"
    invitations = events("Invitation")
    assert len(invitations) == len(serving)
    assert {(e.parent_type, e.parent_id) for e in invitations} == {("Meeting", str(meeting.id))}
    assert {e.change_set for e in invitations} == {created.change_set}


def test_a_changed_secret_shows_that_it_changed_and_never_its_value(make_user):
    user = make_user(Role.OFFICE)
    old_hash = user.password_hash
    user.password_hash = "argon2-something-new"
    db.session.commit()
    [changed] = [e for e in events("User") if e.action == "update"]
    assert changed.before["password_hash"] == audit.MASK
    assert changed.after["password_hash"] == audit.NEW_SECRET
    assert old_hash not in str(changed.before) and "argon2-something-new" not in str(changed.after)


def test_a_secret_set_to_the_same_value_writes_nothing(make_user):
    user = make_user(Role.OFFICE)
    user.password_hash = user.password_hash
    db.session.commit()
    assert [e.action for e in events("User")] == ["create"]


def test_an_account_event_accounts_for_the_secret_it_changes(make_user):
    admin, clerk = make_user(Role.ADMIN), make_user(Role.OFFICE)
    from core import services

    services.reset_password(admin, clerk, "a-brand-new-passphrase-9")
    db.session.commit()
    [event] = [e for e in events("User") if e.record_id == str(clerk.id) and e.action != "create"]
    assert (event.action, event.actor_id, event.record_label) == (
        PASSWORD_RESET,
        admin.id,
        clerk.display_name,
    )


def test_an_account_event_without_an_account_keeps_the_username_tried():
    audit.record_event(LOGIN_FAILED, None, actor=None, details={"username": "ghost"})
    db.session.commit()
    [event] = events("User")
    assert (event.action, event.record_id, event.actor_id) == (LOGIN_FAILED, "", None)
    assert event.after == {"username": "ghost"}


def test_events_written_in_a_request_keep_the_clients_address(client, make_user):
    make_user(Role.OFFICE, username="lin")
    client.post(
        "/login",
        data={"username": "lin", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    [login] = [e for e in events("User") if e.action == "login"]
    assert login.client_ip == "10.1.2.3"
    assert [e.client_ip for e in events("User") if e.action == "create"] == [None]


def test_a_job_run_is_one_change_set_by_the_system(app, appoint):
    from datetime import date

    from core.scheduler import run_job

    for _n in range(2):
        appoint(start=date(2026, 3, 1))
    earlier = {e.id for e in events("Term")}
    assert run_job(app, "end_expired_terms", date(2029, 3, 1)) is True
    ended = [e for e in events("Term") if e.id not in earlier]
    assert [e.action for e in ended] == ["update", "update"]
    assert len({e.change_set for e in ended}) == 1
    assert {e.actor_id for e in ended} == {None}


def test_a_password_hashed_anew_at_sign_in_is_no_password_change(client, make_user):
    from argon2 import PasswordHasher

    user = make_user(Role.OFFICE, username="lin")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash(PASSWORD)
    db.session.commit()
    changes_before = len(events("User"))
    assert client.post("/login", data={"username": "lin", "password": PASSWORD}).status_code == 302
    db.session.refresh(user)
    assert not user.password_hash.startswith("$argon2id$v=19$m=8192")  # it was hashed anew
    assert [e.action for e in events("User")[changes_before:]] == ["login"]
