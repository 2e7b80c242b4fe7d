"""The audit trail: every create, update and delete, in the same transaction as the change."""

from sqlalchemy import func, select

from core import audit
from core.extensions import db
from core.models import AuditEvent, Department, DepartmentKind, Role


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
    assert [e.action for e in events("User")] == ["create"]


def test_the_acting_user_is_the_logged_in_one(office_client, office_user):
    office_client.post("/departments/new", data={"name": "区商务局", "kind": "bureau"})
    [event] = events("Department")
    assert event.actor_id == office_user.id


def test_the_audit_page_filters_by_user_type_and_date(office_client, office_user, make_user):
    other = make_user(Role.OFFICE)
    with audit.acting_as(db.session, other.id):
        db.session.add(Department(name="区民政局", kind=DepartmentKind.BUREAU))
        db.session.commit()
    page = office_client.get(f"/audit?type=Department&user={other.id}").get_data(as_text=True)
    assert "Department #" in page
    page = office_client.get(f"/audit?type=Department&user={office_user.id}").get_data(as_text=True)
    assert "Department #" not in page
    assert "Department #" not in office_client.get("/audit?end=2000-01-01").get_data(as_text=True)
    for garbage in ("start=garbage", "user=x", "page=-3", "page=²", "end=9999-12-31"):
        assert office_client.get(f"/audit?{garbage}").status_code == 400, garbage
    total = db.session.scalar(select(func.count(AuditEvent.id)))
    assert total >= 2
