"""Hearings and the head's appearance in court (issue 9, point 4) against the real database: no
hearing before registration, the appearance notice's day, who must be told, and who appeared:
the principal head, the deputy in charge with a reason and sealed proof, a lawyer alone, or
nobody, with the serious event each failure raises once."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cases import hearings, services, telling
from cases.models import (
    Appearance,
    CaseFile,
    CaseKind,
    GovernmentRole,
    SeriousEvent,
    SeriousKind,
    StageKind,
)
from core.errors import DomainError, NotAllowed
from core.extensions import db
from core.i18n import TIMEZONE, today
from core.models import Notification, utcnow
from tests.consultations.view_fixtures import upload

REGISTERED = date(2026, 3, 10)
#: the government's role each kind of case is registered with here
ROLE = {
    CaseKind.ADMINISTRATIVE: GovernmentRole.DEFENDANT,
    CaseKind.CIVIL: GovernmentRole.DEFENDANT,
    CaseKind.RECONSIDERATION: GovernmentRole.RESPONDENT,
    CaseKind.STATE_COMPENSATION: GovernmentRole.RESPONDENT,
}


pytestmark = pytest.mark.usefixtures("in_english")


def china(day: date, hour: int = 9, minute: int = 30) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIMEZONE)


@pytest.fixture
def heads(world):
    world.department.principal_head = "张建国"
    world.department.deputy_head = "李卫东"
    db.session.commit()
    return world.department


@pytest.fixture
def case_of(heads, register_case):
    """A case of the department with its heads, registered on REGISTERED: case_of(kind)."""

    def make(kind: CaseKind = CaseKind.ADMINISTRATIVE, **overrides):
        return register_case(
            kind=kind, government_role=ROLE[kind], registered_on=REGISTERED, **overrides
        )

    return make


@pytest.fixture
def held(world, case_of):
    """A hearing held yesterday: held(kind)."""

    def make(kind: CaseKind = CaseKind.ADMINISTRATIVE):
        hearing = hearings.schedule_hearing(
            world.office, case_of(kind), starts_at=utcnow() - timedelta(days=1), place="第三法庭"
        )
        db.session.commit()
        return hearing

    return make


def problems_of(error: DomainError) -> dict:
    return {problem.field: problem.message for problem in error.problems}


def events_of(hearing) -> int:
    source = f"hearing:{hearing.id}"
    return db.session.scalar(
        select(func.count()).select_from(SeriousEvent).where(SeriousEvent.source == source)
    )


def notes_of(user, about: str = "case-hearing-set-") -> list[Notification]:
    """The user's notifications whose key starts so: by default, hearings scheduled."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.key.startswith(about))
            .order_by(Notification.id)
        )
    )


# --- the pure rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "appeared", "compliant"),
    [
        (CaseKind.ADMINISTRATIVE, None, None),
        (CaseKind.ADMINISTRATIVE, Appearance.PRINCIPAL_HEAD, True),
        (CaseKind.ADMINISTRATIVE, Appearance.DEPUTY_HEAD, True),
        (CaseKind.ADMINISTRATIVE, Appearance.OTHER_STAFF, True),
        (CaseKind.ADMINISTRATIVE, Appearance.LAWYER_ONLY, False),
        (CaseKind.ADMINISTRATIVE, Appearance.NOBODY, False),
        (CaseKind.CIVIL, None, None),
        (CaseKind.CIVIL, Appearance.LAWYER_ONLY, True),
        (CaseKind.CIVIL, Appearance.NOBODY, False),
        (CaseKind.RECONSIDERATION, Appearance.LAWYER_ONLY, True),
        (CaseKind.STATE_COMPENSATION, Appearance.NOBODY, False),
    ],
)
def test_compliance(kind, appeared, compliant):
    assert hearings.compliance(kind, appeared) is compliant


def test_only_administrative_cases_name_who_appeared_on_the_badge(app):
    with app.test_request_context():
        head = hearings.verdict(CaseKind.ADMINISTRATIVE, Appearance.PRINCIPAL_HEAD)
        lawyer = hearings.verdict(CaseKind.ADMINISTRATIVE, Appearance.LAWYER_ONLY)
        civil = hearings.verdict(CaseKind.CIVIL, Appearance.LAWYER_ONLY)
        unrecorded = hearings.verdict(CaseKind.CIVIL, None)
    assert (head.compliant, head.badge) == (True, "text-bg-success")
    assert (lawyer.compliant, lawyer.badge) == (False, "text-bg-danger")
    assert head.label != lawyer.label != civil.label != unrecorded.label
    assert civil.compliant is True and unrecorded.compliant is None


# --- scheduling ----------------------------------------------------------------------------


def test_no_hearing_before_the_day_of_registration(world, case_of):
    case = case_of()
    # 00:00 in China on the day of registration is still the day before in UTC
    day_before = china(REGISTERED - timedelta(days=1), 23, 59)
    with pytest.raises(DomainError) as refused:
        hearings.schedule_hearing(world.office, case, starts_at=day_before)
    assert list(problems_of(refused.value)) == ["starts_at"]
    assert "2026-03-10" in refused.value.message
    hearing = hearings.schedule_hearing(world.office, case, starts_at=china(REGISTERED, 0, 0))
    assert hearing.starts_at.astimezone(TIMEZONE) == china(REGISTERED, 0, 0)


def test_the_notice_is_received_by_the_hearing_day_and_not_in_the_future(world, case_of):
    case = case_of()
    day = REGISTERED + timedelta(days=20)
    with pytest.raises(DomainError) as after:
        hearings.schedule_hearing(
            world.office, case, starts_at=china(day), notice_received_on=day + timedelta(days=1)
        )
    assert list(problems_of(after.value)) == ["notice_received_on"]
    with pytest.raises(DomainError) as future:
        hearings.schedule_hearing(
            world.office,
            case,
            starts_at=china(today() + timedelta(days=30)),
            notice_received_on=today() + timedelta(days=1),
        )
    assert list(problems_of(future.value)) == ["notice_received_on"]
    hearing = hearings.schedule_hearing(
        world.office, case, starts_at=china(day), notice_received_on=day
    )
    assert hearing.notice_received_on == day


def test_every_problem_is_told_at_once(world, case_of):
    other = case_of()
    stage = services.add_stage(world.office, other, kind=StageKind.FIRST_INSTANCE)
    with pytest.raises(DomainError) as refused:
        hearings.schedule_hearing(
            world.office,
            case_of(),
            stage=stage,
            starts_at=china(REGISTERED - timedelta(days=1)),
            notice_received_on=today() + timedelta(days=1),
            notice=upload("通知.exe", b"MZ\x90\x00"),
        )
    assert set(problems_of(refused.value)) == {
        "stage_id",
        "starts_at",
        "notice_received_on",
        "notice",
    }


def test_a_stage_of_another_case_is_refused(world, case_of):
    case, other = case_of(), case_of()
    theirs = services.add_stage(world.office, other, kind=StageKind.FIRST_INSTANCE)
    ours = services.add_stage(world.office, case, kind=StageKind.FIRST_INSTANCE)
    with pytest.raises(DomainError) as refused:
        hearings.schedule_hearing(world.office, case, stage=theirs, starts_at=china(REGISTERED))
    assert refused.value.field == "stage_id"
    assert (
        hearings.schedule_hearing(world.office, case, stage=ours, starts_at=china(REGISTERED)).stage
        == ours
    )


def test_a_closed_case_gets_no_hearing(world, case_of):
    case = case_of()
    services.close_case(world.office, case, closed_on=today())
    with pytest.raises(DomainError):
        hearings.schedule_hearing(world.office, case, starts_at=china(REGISTERED))


def test_only_the_office_schedules(world, case_of):
    with pytest.raises(NotAllowed):
        hearings.schedule_hearing(world.liaison, case_of(), starts_at=china(REGISTERED))


def test_the_notice_is_stored_among_the_case_documents(world, case_of):
    case = case_of()
    hearing = hearings.schedule_hearing(
        world.office,
        case,
        starts_at=china(REGISTERED + timedelta(days=5)),
        notice=upload("出庭通知书.pdf"),
    )
    db.session.commit()
    assert hearing.notice_file.name == "出庭通知书.pdf"
    listed = db.session.scalars(select(CaseFile).where(CaseFile.case_id == case.id)).all()
    assert [attached.file_id for attached in listed] == [hearing.notice_file_id]


def test_the_department_the_team_and_the_office_are_told_naming_the_principal_head(world, case_of):
    case = case_of()
    day = today() + timedelta(days=10)
    hearings.schedule_hearing(world.office, case, starts_at=china(day), place="第三法庭")
    db.session.commit()
    for user in (world.liaison, world.office):
        [note] = notes_of(user)
        assert f"{day.isoformat()} 09:30" in note.subject
        assert "南宁市青秀区人民法院" in note.subject
        assert "张建国" in note.body and "第三法庭" in note.body
    team = telling.team(case)
    assert team and all(len(notes_of(user)) == 1 for user in team)
    assert notes_of(world.other_liaison) == []


def test_a_civil_case_names_no_head(world, case_of):
    hearings.schedule_hearing(
        world.office, case_of(CaseKind.CIVIL), starts_at=china(today() + timedelta(days=3))
    )
    [note] = notes_of(world.liaison)
    assert "张建国" not in note.body


def test_moving_a_hearing_tells_again_and_correcting_it_does_not(world, case_of):
    case = case_of()
    hearing = hearings.schedule_hearing(
        world.office, case, starts_at=china(today() + timedelta(days=10))
    )
    hearings.update_hearing(world.office, hearing, place="第五法庭")
    assert len(notes_of(world.liaison)) == 1
    later = today() + timedelta(days=12)
    hearings.update_hearing(world.office, hearing, starts_at=china(later, 14, 0))
    db.session.commit()
    _first, moved = notes_of(world.liaison)
    assert f"{later.isoformat()} 14:00" in moved.subject
    assert hearing.place == "第五法庭"


def test_moving_keeps_the_rules(world, held):
    hearing = held()
    with pytest.raises(DomainError) as refused:
        hearings.update_hearing(
            world.office, hearing, starts_at=china(REGISTERED - timedelta(days=1))
        )
    assert refused.value.field == "starts_at"


def test_a_recorded_hearing_cannot_be_moved(world, held):
    hearing = held()
    hearings.record_appearance(
        world.office, hearing, appeared=Appearance.PRINCIPAL_HEAD, appeared_name="张建国"
    )
    with pytest.raises(DomainError) as refused:
        hearings.update_hearing(world.office, hearing, starts_at=china(today()))
    assert "cannot be moved" in refused.value.message


# --- who appeared ----------------------------------------------------------------------------


def test_the_appearance_waits_for_the_hearing_to_begin(world, case_of):
    hearing = hearings.schedule_hearing(
        world.office, case_of(), starts_at=utcnow() + timedelta(minutes=5)
    )
    with pytest.raises(DomainError):
        hearings.record_appearance(
            world.office, hearing, appeared=Appearance.PRINCIPAL_HEAD, appeared_name="张建国"
        )
    assert hearing.appeared is None
    hearing.starts_at = utcnow() - timedelta(minutes=1)
    hearings.record_appearance(
        world.office, hearing, appeared=Appearance.PRINCIPAL_HEAD, appeared_name="张建国"
    )
    assert hearing.appeared is Appearance.PRINCIPAL_HEAD


def test_the_principal_head_needs_no_reason(world, held):
    hearing = held()
    hearings.record_appearance(
        world.office, hearing, appeared=Appearance.PRINCIPAL_HEAD, appeared_name="张建国"
    )
    db.session.commit()
    assert hearings.compliance(hearing.case.kind, hearing.appeared) is True
    assert hearing.recorded_by_id == world.office.id and hearing.recorded_at is not None
    assert events_of(hearing) == 0


def test_whoever_appeared_is_named(world, held):
    hearing = held()
    for appeared in (Appearance.PRINCIPAL_HEAD, Appearance.LAWYER_ONLY):
        with pytest.raises(DomainError) as refused:
            hearings.record_appearance(
                world.office, hearing, appeared=appeared, appeared_name="  ", absence_reason="出差"
            )
        assert refused.value.field == "appeared_name"


def test_the_deputy_needs_a_reason_and_the_sealed_proof(world, held):
    hearing = held()
    deputy = {"appeared": Appearance.DEPUTY_HEAD, "appeared_name": "李卫东"}
    with pytest.raises(DomainError) as neither:
        hearings.record_appearance(world.office, hearing, **deputy)
    assert set(problems_of(neither.value)) == {"absence_reason", "absence_proof"}
    with pytest.raises(DomainError) as no_proof:
        hearings.record_appearance(world.office, hearing, **deputy, absence_reason="抢险救灾")
    assert list(problems_of(no_proof.value)) == ["absence_proof"]
    with pytest.raises(DomainError) as no_reason:
        hearings.record_appearance(
            world.office, hearing, **deputy, absence_proof=upload("情况说明.pdf")
        )
    assert list(problems_of(no_reason.value)) == ["absence_reason"]
    assert hearing.appeared is None
    hearings.record_appearance(
        world.office,
        hearing,
        **deputy,
        absence_reason="抢险救灾",
        absence_proof=upload("情况说明（盖章）.pdf"),
    )
    db.session.commit()
    assert hearings.compliance(hearing.case.kind, hearing.appeared) is True
    assert hearing.absence_proof_file.name == "情况说明（盖章）.pdf"
    assert hearing.absence_proof_file_id in {f.file_id for f in hearing.case.files}
    assert events_of(hearing) == 0


def test_a_correction_keeps_the_proof_already_stored(world, held):
    hearing = held()
    hearings.record_appearance(
        world.office,
        hearing,
        appeared=Appearance.DEPUTY_HEAD,
        appeared_name="李卫东",
        absence_reason="抢险救灾",
        absence_proof=upload("情况说明.pdf"),
    )
    proof = hearing.absence_proof_file_id
    hearings.record_appearance(
        world.office,
        hearing,
        appeared=Appearance.OTHER_STAFF,
        appeared_name="王科长",
        absence_reason="抢险救灾",
    )
    assert hearing.appeared is Appearance.OTHER_STAFF and hearing.absence_proof_file_id == proof


def test_a_lawyer_alone_in_an_administrative_case_raises_one_serious_event(world, held):
    hearing = held()
    lawyer = {"appeared": Appearance.LAWYER_ONLY, "appeared_name": "顾问甲"}
    with pytest.raises(DomainError) as refused:
        hearings.record_appearance(world.office, hearing, **lawyer)
    assert list(problems_of(refused.value)) == ["absence_reason"]
    hearings.record_appearance(world.office, hearing, **lawyer, absence_reason="未安排")
    assert hearings.compliance(hearing.case.kind, hearing.appeared) is False
    assert events_of(hearing) == 1
    event = db.session.scalar(select(SeriousEvent))
    assert event.kind is SeriousKind.NO_APPEARANCE and event.case_id == hearing.case_id
    assert notes_of(world.office, f"case-serious-hearing:{hearing.id}")
    hearings.record_appearance(world.office, hearing, **lawyer, absence_reason="仍未安排")
    assert events_of(hearing) == 1


def test_a_lawyer_alone_in_a_civil_case_is_compliant(world, held):
    hearing = held(CaseKind.CIVIL)
    hearings.record_appearance(
        world.office, hearing, appeared=Appearance.LAWYER_ONLY, appeared_name="顾问甲"
    )
    assert hearings.compliance(hearing.case.kind, hearing.appeared) is True
    assert events_of(hearing) == 0


@pytest.mark.parametrize("kind", list(CaseKind))
def test_nobody_appearing_raises_the_event_in_every_kind(world, held, kind):
    hearing = held(kind)
    reason = "未收到通知" if kind is CaseKind.ADMINISTRATIVE else ""
    hearings.record_appearance(
        world.office,
        hearing,
        appeared=Appearance.NOBODY,
        appeared_name="某人",
        absence_reason=reason,
    )
    assert hearing.appeared_name == ""
    assert events_of(hearing) == 1


def test_a_closed_case_records_nothing(world, held):
    hearing = held()
    services.close_case(world.office, hearing.case, closed_on=today())
    with pytest.raises(DomainError):
        hearings.record_appearance(
            world.office, hearing, appeared=Appearance.PRINCIPAL_HEAD, appeared_name="张建国"
        )
