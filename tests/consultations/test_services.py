"""A matter from request to adoption, against the real database: intake, assignment with the
conflict check, the opinion's draft, signature, correction, forwarding and adoption."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from consultations import services
from consultations.models import (
    Adoption,
    AssignmentStatus,
    MatterKind,
    MatterStatus,
    Opinion,
    OpinionStatus,
)
from consultations.suggestions import suggest
from core.errors import DomainError, NotAllowed
from core.extensions import db
from core.i18n import today
from core.models import AuditEvent, Notification


def _notes(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.subject).where(Notification.user_id == user.id))
    )


def test_a_request_is_due_after_the_kinds_working_days_and_the_office_hears_of_it(
    world, request_matter
):
    matter = request_matter(received_on=date(2026, 11, 2))
    # a contract review: 10 working days after Monday 2 November 2026
    assert matter.due_on == date(2026, 11, 16)
    assert matter.status is MatterStatus.REQUESTED
    assert matter.reference == "2026-0001"
    assert any("关于老旧小区" in s for s in _notes(world.office))


def test_a_normative_document_review_counts_15_working_days_across_national_day(
    world, request_matter
):
    matter = request_matter(kind=MatterKind.NORMATIVE, received_on=date(2025, 9, 26))
    # the make-up Sunday 28 Sept, 29 and 30 Sept; 1–8 Oct off; 9, 10 Oct, the make-up
    # Saturday 11 Oct, 13–17 Oct, then 20–23 Oct: the 15th working day is 23 October
    assert matter.due_on == date(2025, 10, 23)
    assert not matter.due_provisional


def test_a_liaison_asks_only_for_their_own_department(world, request_matter):
    with pytest.raises(DomainError) as error:
        request_matter(department=world.other_department)
    assert error.value.problems[0].field == "department_id"


def test_a_due_date_before_receipt_is_refused(world, request_matter):
    with pytest.raises(DomainError) as error:
        request_matter(received_on=date(2026, 11, 2), due_on=date(2026, 11, 1))
    assert error.value.problems[0].field == "due_on"


def test_the_office_returns_a_request_with_its_reason_and_the_requester_is_told(
    world, request_matter
):
    matter = request_matter()
    with pytest.raises(DomainError):
        services.return_matter(world.office, matter, reason="  ")
    services.return_matter(world.office, matter, reason="不属于法律顾问职责范围")
    db.session.commit()
    assert matter.status is MatterStatus.RETURNED
    assert any("退回" in s or "returned" in s.lower() for s in _notes(world.liaison))


def test_suggestions_put_the_specialist_with_least_work_first(world, request_matter):
    matter = request_matter()
    services.accept_matter(world.office, matter)
    ranked = suggest(matter)
    assert {s.name for s in ranked[:2]} == {"顾问甲", "顾问乙"}
    assert ranked[-1].name == "顾问丙"
    assert all(not s.blocked for s in ranked)
    assert "行政法" in ranked[0].line


def test_a_conflict_blocks_the_suggestion_and_assigning_needs_a_reason(world, request_matter):
    first = world.advisers[0]
    first.conflicts = "江南建设集团"
    db.session.commit()
    matter = request_matter(parties="江南建设集团有限公司\n某某街道办事处")
    services.accept_matter(world.office, matter)
    ranked = suggest(matter)
    blocked = next(s for s in ranked if s.adviser_id == first.id)
    assert blocked.blocked and ranked[-1] is blocked
    with pytest.raises(DomainError) as error:
        services.assign(world.office, matter, lead_id=first.id)
    assert error.value.problems[0].field == "override_reason"
    made = services.assign(
        world.office,
        matter,
        lead_id=first.id,
        override_reason="唯一熟悉该项目的顾问，已回避股东关系",
    )
    db.session.commit()
    assert made[0].override_reason.startswith("唯一")
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "Assignment")
    ).first()
    assert event.after["override_reason"].startswith("唯一")


def test_the_organisation_of_the_adviser_counts_as_a_conflict(world, request_matter):
    matter = request_matter(parties="第1律师事务所")
    services.accept_matter(world.office, matter)
    blocked = next(s for s in suggest(matter) if s.adviser_id == world.advisers[0].id)
    assert blocked.blocked and "第1律师事务所" in blocked.conflict_line


def _assigned(world, request_matter, **overrides):
    matter = request_matter(**overrides)
    services.accept_matter(world.office, matter)
    lead, co = world.advisers[0], world.advisers[1]
    made = services.assign(world.office, matter, lead_id=lead.id, co_ids=[co.id])
    db.session.commit()
    for assignment, user in zip(made, world.adviser_users[:2], strict=True):
        services.answer_assignment(user, assignment, accept=True)
    db.session.commit()
    return matter


def test_declining_for_a_conflict_records_it_and_frees_the_lead_seat(world, request_matter):
    matter = request_matter()
    services.accept_matter(world.office, matter)
    (assignment,) = services.assign(world.office, matter, lead_id=world.advisers[0].id)
    db.session.commit()
    with pytest.raises(DomainError):
        services.answer_assignment(world.adviser_users[0], assignment, accept=False, reason="")
    services.answer_assignment(
        world.adviser_users[0], assignment, accept=False, reason="曾代理对方", conflict=True
    )
    db.session.commit()
    assert assignment.status is AssignmentStatus.DECLINED
    assert matter.status is MatterStatus.ACCEPTED
    assert "江南建设集团有限公司" in world.advisers[0].conflicts
    assert next(s for s in suggest(matter) if s.adviser_id == world.advisers[0].id).blocked


def test_another_adviser_cannot_answer_an_assignment(world, request_matter):
    matter = request_matter()
    services.accept_matter(world.office, matter)
    (assignment,) = services.assign(world.office, matter, lead_id=world.advisers[0].id)
    with pytest.raises(NotAllowed):
        services.answer_assignment(world.adviser_users[1], assignment, accept=True)


def test_only_the_lead_drafts_co_advisers_comment_and_the_signed_text_is_frozen(
    world, request_matter
):
    matter = _assigned(world, request_matter)
    lead, co = world.adviser_users[:2]
    with pytest.raises(NotAllowed):
        services.save_draft(co, matter, facts="…")
    draft = services.save_draft(lead, matter, facts="事实", analysis="分析", conclusion="")
    services.comment_on(co, matter, body="第三条违约责任宜明确。")
    db.session.commit()
    with pytest.raises(DomainError) as error:
        services.submit_opinion(lead, matter)
    assert error.value.problems[0].field == "conclusion"
    services.save_draft(lead, matter, conclusion="建议修改后签订。")
    opinion = services.submit_opinion(lead, matter)
    db.session.commit()
    assert opinion.number == f"江府法顾意〔{today().year}〕1号"
    assert opinion is draft and matter.status is MatterStatus.SUBMITTED
    with pytest.raises(DomainError):
        services.save_draft(lead, matter, facts="改动")
    assert opinion.facts == "事实"


def test_a_correction_is_a_new_version_with_a_new_number_and_its_reason(world, request_matter):
    matter = _assigned(world, request_matter)
    lead = world.adviser_users[0]
    services.save_draft(lead, matter, facts="事实", analysis="分析", conclusion="结论")
    first = services.submit_opinion(lead, matter)
    services.forward_opinion(world.office, first)
    db.session.commit()
    with pytest.raises(DomainError):
        services.start_correction(lead, matter, reason="")
    second = services.start_correction(lead, matter, reason="引用法条有误")
    services.save_draft(lead, matter, legal_basis="《民法典》第五百零九条")
    services.submit_opinion(lead, matter)
    db.session.commit()
    assert (first.revision, second.revision) == (1, 2)
    assert first.status is OpinionStatus.SUPERSEDED and first.facts == "事实"
    assert second.number != first.number and second.correction_reason == "引用法条有误"


def test_adoption_needs_a_delivered_opinion_and_closes_the_matter(world, request_matter):
    matter = _assigned(world, request_matter)
    lead = world.adviser_users[0]
    services.save_draft(lead, matter, facts="事实", analysis="分析", conclusion="结论")
    opinion = services.submit_opinion(lead, matter)
    db.session.commit()
    with pytest.raises(DomainError):
        services.record_adoption(world.liaison, matter, adoption=Adoption.ADOPTED)
    services.forward_opinion(world.office, opinion)
    db.session.commit()
    with pytest.raises(NotAllowed):
        services.record_adoption(world.other_liaison, matter, adoption=Adoption.ADOPTED)
    with pytest.raises(DomainError):
        services.record_adoption(world.liaison, matter, adoption=Adoption.PARTLY, reason="")
    services.record_adoption(
        world.liaison,
        matter,
        adoption=Adoption.PARTLY,
        reason="工期条款未采纳",
        final_decision="签订",
    )
    db.session.commit()
    assert matter.status is MatterStatus.CLOSED and opinion.adoption is Adoption.PARTLY


def test_a_major_decision_taken_against_the_advice_is_flagged_to_leaders(world, request_matter):
    matter = _assigned(world, request_matter, kind=MatterKind.DECISION)
    lead = world.adviser_users[0]
    services.save_draft(lead, matter, facts="事实", analysis="分析", conclusion="不宜实施")
    services.forward_opinion(world.office, services.submit_opinion(lead, matter))
    services.record_adoption(
        world.liaison, matter, adoption=Adoption.NOT_ADOPTED, reason="政府常务会议决定实施"
    )
    db.session.commit()
    assert any(matter.title in s for s in _notes(world.viewer))


def test_work_is_logged_in_quarter_hours_by_advisers_on_the_matter(world, request_matter):
    matter = _assigned(world, request_matter)
    lead = world.adviser_users[0]
    for hours in (Decimal(0), Decimal("24.25"), Decimal("1.1")):
        with pytest.raises(DomainError) as error:
            services.log_work(lead, matter, worked_on=today(), hours=hours, note="审查")
        assert error.value.problems[0].field == "hours"
    with pytest.raises(DomainError):
        services.log_work(
            lead, matter, worked_on=today() + timedelta(days=1), hours=Decimal(1), note="x"
        )
    with pytest.raises(NotAllowed):
        services.log_work(
            world.adviser_users[2], matter, worked_on=today(), hours=Decimal(1), note="x"
        )
    entry = services.log_work(
        lead, matter, worked_on=today(), hours=Decimal("2.25"), note="审查合同"
    )
    assert entry.hours == Decimal("2.25")


def test_opinion_numbers_are_never_reused(world, request_matter):
    numbers = set()
    for _ in range(2):
        matter = _assigned(world, request_matter)
        services.save_draft(world.adviser_users[0], matter, facts="f", analysis="a", conclusion="c")
        numbers.add(services.submit_opinion(world.adviser_users[0], matter).number)
        db.session.commit()
    assert len(numbers) == 2
    assert db.session.scalar(select(Opinion.id).where(Opinion.number.is_(None))) is None
