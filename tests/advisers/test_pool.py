"""The talent pool: entries without duplicates of the panel or of each other, one designated
legal-affairs person per unit, consent, the recommendation to the panel, the trainings for the
departments' legal staff, the office's to-do item, the pages and their access."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from advisers.models import Adviser, Category, Gender, NominationStatus, Post
from advisers.pool import queries, services
from advisers.pool.models import PoolEntry, TrainingMark
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import Department, DepartmentKind
from tests.conftest import assert_constant_queries, count_queries
from tests.consultations.view_fixtures import text


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


def add(world, **overrides) -> PoolEntry:
    fields = {
        "name": "周律师",
        "kind": "practising_lawyer",
        "organisation": "江城律师事务所",
        "phone": "0771-5550001",
        "email": None,
        "licence_no": "14501200910012345",
        "source": "bar_association",
        "consent": True,
        "department_id": None,
        "designated": False,
        "notes": "",
    }
    fields.update(overrides)
    made = services.save_entry(world.office, None, specialty_ids=[world.specialty.id], **fields)
    db.session.commit()
    return made


def designate(world, department, **overrides) -> PoolEntry:
    """Add the unit's designated legal-affairs person."""
    fields = {"kind": "department_legal", "licence_no": None, "designated": True}
    return add(world, department_id=department.id, **{**fields, **overrides})


def entries() -> int:
    return db.session.scalar(select(func.count(PoolEntry.id)))


# --- no duplicates ---------------------------------------------------------------------------


def test_an_adviser_s_licence_number_is_refused(world):
    world.advisers[0].licence_no = "14501200910099999"
    db.session.commit()
    with pytest.raises(DomainError, match="on the panel's records already") as refused:
        add(world, licence_no="14501200910099999")
    assert refused.value.problems[0].field == "licence_no" and entries() == 0


def test_an_adviser_s_name_and_phone_are_refused_but_not_the_name_alone(world):
    world.advisers[0].phone = "0771 555 0002"
    db.session.commit()
    with pytest.raises(DomainError, match="顾问甲"):
        add(world, name="顾问甲", phone="0771-5550002", licence_no=None)
    assert add(world, name="顾问甲", phone="0771-5550003", licence_no=None).in_pool


def test_two_entries_of_one_person_are_refused(world):
    add(world)
    with pytest.raises(DomainError, match="in the pool already"):
        add(world, name="周某")
    with pytest.raises(DomainError, match="in the pool already"):
        add(world, licence_no=None)
    assert entries() == 1


# --- the designated legal-affairs person ---------------------------------------------------------


def test_one_designated_person_per_unit(world):
    first = designate(world, world.department)
    with pytest.raises(DomainError, match="designated legal-affairs person already"):
        designate(world, world.department, name="王科长", phone="0771-5550009")
    other = designate(world, world.other_department, name="王科长", phone="0771-5550009")
    assert first.designated and other.designated


def test_a_designated_person_needs_a_unit(world):
    with pytest.raises(DomainError) as refused:
        add(world, designated=True)
    assert refused.value.problems[0].field == "department_id"


def test_units_without_a_designated_person_are_listed(world):
    db.session.add(Department(name="某某委员会", kind=DepartmentKind.OTHER))
    db.session.commit()
    assert {d.name for d in queries.units_without_legal_staff()} == {"区住建局", "区教育局"}
    designate(world, world.department)
    assert [d.name for d in queries.units_without_legal_staff()] == ["区教育局"]
    assert queries.count_units_without_legal_staff() == 1


# --- recommending from the pool ------------------------------------------------------------------


def test_a_recommendation_makes_the_adviser_and_unlists_the_entry(world):
    entry = add(world)
    nomination = services.recommend_from_pool(
        world.office,
        entry,
        gender=Gender.MALE,
        category=Category.PRACTISING_LAWYER,
        post=Post.MEMBER,
        recommended_on=today(),
        reason="擅长行政诉讼",
    )
    db.session.commit()
    adviser = nomination.adviser
    assert nomination.status is NominationStatus.RECOMMENDED
    assert (adviser.name, adviser.licence_no, adviser.phone) == (
        "周律师",
        entry.licence_no,
        entry.phone,
    )
    assert [s.id for s in adviser.specialties] == [world.specialty.id]
    assert entry.adviser_id == adviser.id and not entry.in_pool
    listed = db.session.scalars(queries.pool_statement(queries.PoolFilters(), consented_only=False))
    assert entry not in list(listed)
    with pytest.raises(DomainError, match="no longer in the pool"):
        services.recommend_from_pool(
            world.office,
            entry,
            gender=Gender.MALE,
            category=Category.PRACTISING_LAWYER,
            post=Post.MEMBER,
            recommended_on=today(),
        )


def test_a_refused_recommendation_leaves_no_adviser_behind(world, as_):
    entry = add(world)
    before = db.session.scalar(select(func.count(Adviser.id)))
    refused = as_(world.office).post(
        f"/pool/{entry.id}/recommend",
        data={"gender": "male", "category": "practising_lawyer", "post": "", "recommended_on": ""},
    )
    assert refused.status_code == 400 and "invalid-feedback" in text(refused)
    assert db.session.scalar(select(func.count(Adviser.id))) == before


# --- trainings ------------------------------------------------------------------------------


def test_a_training_records_who_of_the_legal_staff_attended(world):
    person = designate(world, world.department)
    training = services.save_training(
        world.office,
        None,
        held_on=today() - timedelta(days=3),
        title="行政执法程序培训",
        hours="3.5",
        organiser="区司法局",
        place="区政府第二会议室",
    )
    services.record_training_attendance(world.office, training, {person.id: "attended"})
    db.session.commit()
    [line] = queries.trainings_of(today().year)
    assert (line.attended, line.marked) == (1, 1)
    assert training.attendance[0].mark is TrainingMark.ATTENDED


@pytest.mark.parametrize(
    ("hours", "ok"),
    [
        ("0.5", True),
        ("0.4", False),
        ("100", True),
        ("100.1", False),
        ("1.25", False),
        ("两", False),
    ],
)
def test_a_training_s_hours_are_checked_at_their_bounds(world, hours, ok):
    def save():
        return services.save_training(
            world.office, None, held_on=date(2026, 3, 1), title="培训", hours=hours
        )

    if ok:
        assert save().hours is not None
    else:
        with pytest.raises(DomainError) as refused:
            save()
        assert refused.value.problems[0].field == "hours"


def test_attendance_waits_for_the_day_of_the_training(world):
    training = services.save_training(
        world.office, None, held_on=today() + timedelta(days=1), title="培训", hours="2"
    )
    with pytest.raises(DomainError, match="once the training has been held"):
        services.record_training_attendance(world.office, training, {1: "attended"})


# --- the pages ------------------------------------------------------------------------------


def test_the_office_adds_searches_and_recommends_through_the_pages(world, as_):
    office = as_(world.office)
    bad = office.post(
        "/pool/new",
        data={
            "name": "",
            "kind": "scholar",
            "source": "self",
            "email": "not-mail",
            "phone": "abc",
            "department_id": 0,
        },
    )
    assert bad.status_code == 400 and text(bad).count("invalid-feedback") >= 3
    made = office.post(
        "/pool/new",
        data={
            "name": "李教授",
            "kind": "scholar",
            "organisation": "江城大学法学院",
            "source": "office",
            "phone": "13800000001",
            "consent": "y",
            "department_id": 0,
            "specialties": [world.specialty.id],
        },
    )
    assert made.status_code == 302
    listing = text(office.get("/pool?q=江城大学&kind=scholar"))
    assert "李教授" in listing
    assert "李教授" not in text(office.get("/pool?kind=practising_lawyer"))
    entry = db.session.scalar(select(PoolEntry).where(PoolEntry.name == "李教授"))
    assert office.get(f"/pool/{entry.id}/recommend").status_code == 200
    done = office.post(
        f"/pool/{entry.id}/recommend",
        data={
            "gender": "female",
            "category": "government_staff",
            "post": "member",
            "recommended_on": today().isoformat(),
            "reason": "行政法学者",
        },
    )
    assert done.status_code == 302 and "/advisers/" in done.headers["Location"]


def test_leaders_see_only_the_entries_listed_with_consent(world, as_):
    listed = add(world)
    private = add(world, name="陈律师", phone="0771-5550008", licence_no=None, consent=False)
    leader = as_(world.viewer)
    page = text(leader.get("/pool"))
    assert "周律师" in page and "陈律师" not in page
    assert leader.get(f"/pool/{private.id}").status_code == 404
    assert leader.get(f"/pool/{listed.id}").status_code == 200
    assert leader.post("/pool/new", data={"name": "x"}).status_code == 403
    for user in (world.liaison, world.adviser_users[0]):
        assert as_(user).get("/pool").status_code == 403


def test_the_office_s_to_do_list_names_the_units_without_legal_staff(world, as_):
    page = text(as_(world.office).get("/dashboard"))
    assert 'data-testid="todo-legal-staff"' in page
    assert "区教育局" in text(as_(world.office).get("/pool/missing"))


def test_the_pool_reads_a_constant_number_of_queries(world, as_):
    office = as_(world.office)
    add(world)
    office.get("/pool")
    with count_queries() as small:
        assert office.get("/pool").status_code == 200
    for n in range(30):
        add(world, name=f"律师{n}", phone=f"0771-66{n:05d}", licence_no=f"1450120091{n:07d}")
    with count_queries() as large:
        assert office.get("/pool").status_code == 200
    assert_constant_queries(small[0], large[0], "/pool")
