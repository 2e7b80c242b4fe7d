"""The panel's services against a real database: the workflow and every rule it enforces."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from advisers import services
from advisers.models import EndReason, NominationStatus, Post, Term
from core import settings
from core.errors import DomainError, StaleEdit
from core.extensions import db
from core.models import AuditEvent

START = date(2026, 3, 1)
APPROVAL = {"approved_on": date(2026, 12, 20), "doc_no": "江府函〔2026〕31号"}


def term_count() -> int:
    return db.session.scalar(select(func.count(Term.id)))


def test_the_workflow_recommend_approve_appoint(create_adviser, office_user):
    adviser = create_adviser(name="王建国")
    nomination = services.recommend_adviser(
        office_user, adviser, post=Post.DIRECTOR, recommended_on=date(2026, 1, 10), reason="资深"
    )
    assert nomination.status == NominationStatus.RECOMMENDED
    services.approve_nomination(
        office_user, nomination, approved_on=date(2026, 2, 1), doc_no="江府办复〔2026〕8号"
    )
    assert nomination.status == NominationStatus.APPROVED
    term = services.appoint_adviser(office_user, nomination, post=Post.DIRECTOR, start_on=START)
    db.session.commit()
    assert nomination.status == NominationStatus.APPOINTED
    assert (term.start_on, term.end_on) == (START, date(2029, 2, 28))
    assert term.letter_no == "江府法顾聘〔2026〕1号"
    assert term.nomination is nomination


def test_each_step_is_audited_with_its_actor(create_adviser, office_user):
    adviser = create_adviser()
    nomination = services.recommend_adviser(
        office_user, adviser, post=Post.MEMBER, recommended_on=date(2026, 1, 10)
    )
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "Nomination")
    ).all()
    assert [e.action for e in events] == ["create"]
    assert events[0].after["status"] == "recommended"
    assert events[0].record_id == str(nomination.id)


def test_steps_must_come_in_order(create_adviser):
    nomination = services.recommend_adviser(
        None, create_adviser(), post=Post.MEMBER, recommended_on=date(2026, 1, 10)
    )
    with pytest.raises(DomainError):
        services.appoint_adviser(None, nomination, post=Post.MEMBER, start_on=START)
    with pytest.raises(DomainError) as error:
        services.approve_nomination(None, nomination, approved_on=date(2026, 1, 9), doc_no="x")
    assert error.value.field == "approved_on"
    services.approve_nomination(None, nomination, approved_on=date(2026, 1, 10), doc_no="x")
    with pytest.raises(DomainError) as error:
        services.appoint_adviser(None, nomination, post=Post.MEMBER, start_on=date(2026, 1, 9))
    assert error.value.field == "start_on"


def test_a_recommendation_can_be_declined_and_then_nothing_else(create_adviser):
    nomination = services.recommend_adviser(
        None, create_adviser(), post=Post.MEMBER, recommended_on=date(2026, 1, 10)
    )
    services.decline_nomination(
        None, nomination, declined_on=date(2026, 1, 20), reason="不符合条件"
    )
    assert nomination.status == NominationStatus.DECLINED
    with pytest.raises(DomainError):
        services.approve_nomination(None, nomination, approved_on=date(2026, 1, 21), doc_no="x")


def test_only_one_recommendation_at_a_time(create_adviser):
    adviser = create_adviser()
    services.recommend_adviser(None, adviser, post=Post.MEMBER, recommended_on=date(2026, 1, 1))
    with pytest.raises(DomainError):
        services.recommend_adviser(None, adviser, post=Post.MEMBER, recommended_on=date(2026, 1, 2))


def test_a_serving_adviser_is_renewed_not_recommended(appoint):
    term = appoint(start=START)
    with pytest.raises(DomainError):
        services.recommend_adviser(
            None, term.adviser, post=Post.MEMBER, recommended_on=date(2026, 6, 1)
        )


def test_fifteen_members_fit_and_the_sixteenth_is_refused(appoint, create_adviser):
    for _ in range(15):
        appoint(start=START)
    with pytest.raises(DomainError) as error:
        appoint(start=START + timedelta(days=100))
    assert "15" in error.value.message
    db.session.rollback()
    assert term_count() == 15


def test_a_new_member_fits_once_a_term_has_ended(appoint):
    terms = [appoint(start=START) for _ in range(15)]
    services.end_term(None, terms[0], reason=EndReason.RESIGNED, ended_on=date(2026, 6, 30))
    db.session.commit()
    with pytest.raises(DomainError):
        appoint(start=date(2026, 6, 30))
    db.session.rollback()
    assert appoint(start=date(2026, 7, 1)).start_on == date(2026, 7, 1)


def test_a_second_director_is_refused(appoint):
    appoint(post=Post.DIRECTOR)
    with pytest.raises(DomainError) as error:
        appoint(post=Post.DIRECTOR)
    assert error.value.field == "post"


def test_a_fourth_deputy_is_refused(appoint):
    for _ in range(3):
        appoint(post=Post.DEPUTY_DIRECTOR)
    with pytest.raises(DomainError) as error:
        appoint(post=Post.DEPUTY_DIRECTOR)
    assert error.value.field == "post"


def test_overlapping_terms_for_one_adviser_are_refused(appoint):
    term = appoint(start=START)
    with pytest.raises(DomainError) as error:
        services.open_term(None, term.adviser, post=Post.MEMBER, start_on=date(2029, 2, 28))
    assert error.value.field == "start_on"
    later = services.open_term(None, term.adviser, post=Post.MEMBER, start_on=date(2029, 3, 1))
    assert later.start_on == date(2029, 3, 1)


def test_renewal_starts_the_day_after_and_gets_a_new_letter(appoint):
    first = appoint(start=date(2024, 2, 29))
    assert first.end_on == date(2027, 2, 28)
    second = services.renew_term(
        None,
        first,
        post=Post.DEPUTY_DIRECTOR,
        approved_on=first.start_on,
        doc_no="江府函〔2029〕8号",
    )
    third = services.renew_term(
        None, second, approved_on=second.start_on, doc_no="江府函〔2029〕8号"
    )
    db.session.commit()
    assert (second.start_on, second.end_on) == (date(2027, 3, 1), date(2030, 2, 28))
    assert second.post == Post.DEPUTY_DIRECTOR and third.post == Post.DEPUTY_DIRECTOR
    assert third.start_on == date(2030, 3, 1)
    assert len({first.letter_no, second.letter_no, third.letter_no}) == 3
    assert second.letter_no == "江府法顾聘〔2027〕1号"
    assert second.renewal_of is first and third.renewal_of is second


def test_a_term_is_renewed_once(appoint):
    first = appoint()
    services.renew_term(None, first, approved_on=first.start_on, doc_no="江府函〔2029〕8号")
    with pytest.raises(DomainError):
        services.renew_term(None, first, approved_on=first.start_on, doc_no="江府函〔2029〕8号")


def test_a_dismissed_adviser_is_not_renewed(appoint):
    term = appoint()
    services.end_term(
        None,
        term,
        reason=EndReason.DISMISSED,
        ended_on=date(2027, 1, 1),
        note="长期不参加会议",
        **APPROVAL,
    )
    with pytest.raises(DomainError):
        services.renew_term(None, term, approved_on=term.start_on, doc_no="江府函〔2029〕8号")


def test_renewal_respects_the_post_limits(appoint):
    first = appoint(post=Post.MEMBER, start=START)
    appoint(post=Post.DIRECTOR, start=date(2027, 1, 1))  # still director when the renewal starts
    with pytest.raises(DomainError):
        services.renew_term(
            None, first, post=Post.DIRECTOR, approved_on=first.start_on, doc_no="江府函〔2029〕8号"
        )
    assert services.renew_term(
        None,
        first,
        post=Post.DEPUTY_DIRECTOR,
        approved_on=first.start_on,
        doc_no="江府函〔2029〕8号",
    ).start_on == date(2029, 3, 1)


def test_dismissal_needs_a_reason(appoint):
    term = appoint()
    with pytest.raises(DomainError) as error:
        services.end_term(
            None, term, reason=EndReason.DISMISSED, ended_on=date(2027, 1, 1), note="  "
        )
    assert error.value.field == "note"
    services.end_term(
        None,
        term,
        reason=EndReason.DISMISSED,
        ended_on=date(2027, 1, 1),
        note="长期不参加会议，不履行职责",
        **APPROVAL,
    )
    db.session.commit()
    assert term.last_day == date(2027, 1, 1) and term.end_on == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("ended_on", "ok"),
    [
        (date(2026, 2, 28), False),
        (START, True),
        (date(2029, 2, 28), True),
        (date(2029, 3, 1), False),
    ],
)
def test_the_last_day_falls_within_the_term(appoint, ended_on, ok):
    term = appoint(start=START)
    if ok:
        services.end_term(None, term, reason=EndReason.RESIGNED, ended_on=ended_on)
        assert term.ended_on == ended_on
    else:
        with pytest.raises(DomainError):
            services.end_term(None, term, reason=EndReason.RESIGNED, ended_on=ended_on)


def test_an_ended_term_cannot_end_again(appoint):
    term = appoint()
    services.end_term(None, term, reason=EndReason.RESIGNED, ended_on=date(2027, 1, 1))
    with pytest.raises(DomainError):
        services.end_term(
            None, term, reason=EndReason.DISMISSED, ended_on=date(2027, 1, 2), note="x"
        )


def test_expiry_ends_terms_after_their_last_day(appoint):
    term = appoint(start=START)
    assert services.expire_terms(date(2029, 2, 28)) == 0
    assert services.expire_terms(date(2029, 3, 1)) == 1
    assert (term.end_reason, term.ended_on) == (EndReason.EXPIRED, date(2029, 2, 28))
    assert services.expire_terms(date(2029, 3, 2)) == 0


def test_an_expired_term_can_still_be_renewed(appoint):
    term = appoint(start=START)
    services.expire_terms(date(2029, 3, 5))
    renewed = services.renew_term(None, term, approved_on=term.start_on, doc_no="江府函〔2029〕8号")
    assert renewed.start_on == date(2029, 3, 1)


def test_letter_numbers_are_unique_and_never_reused(appoint, create_adviser):
    numbers = [appoint(start=START).letter_no for _ in range(3)]
    assert numbers == [f"江府法顾聘〔2026〕{n}号" for n in (1, 2, 3)]
    # a number typed in by an import is skipped by the counter
    adviser = create_adviser()
    services.open_term(
        None,
        adviser,
        post=Post.MEMBER,
        start_on=date(2030, 1, 1),
        letter_no="江府法顾聘〔2026〕4号",
    )
    assert appoint(start=date(2026, 4, 1)).letter_no == "江府法顾聘〔2026〕5号"
    with pytest.raises(DomainError) as error:
        services.open_term(
            None,
            create_adviser(),
            post=Post.MEMBER,
            start_on=date(2031, 1, 1),
            letter_no="江府法顾聘〔2026〕4号",
        )
    assert error.value.field == "letter_no"


def test_a_rolled_back_appointment_does_not_burn_the_number(appoint):
    appoint(start=START)
    for _ in range(14):
        appoint(start=START)
    with pytest.raises(DomainError):
        appoint(start=START)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Term.id))) == 15


def test_the_letter_pattern_is_a_setting(appoint):
    settings.change_setting(None, "panel.letter_pattern", "江府顾字〔{year}〕第{seq}号")
    assert appoint(start=START).letter_no == "江府顾字〔2026〕第1号"
    with pytest.raises(DomainError):
        settings.change_setting(None, "panel.letter_pattern", "没有序号")


def test_the_panel_size_is_a_setting(appoint):
    # limits that make sense together: at least 1, at most 2, room for 1 director and 1 deputy
    settings.change_setting(None, "panel.min_members", "1")
    settings.change_setting(None, "panel.max_deputies", "1")
    settings.change_setting(None, "panel.max_members", "2")
    appoint()
    appoint()
    with pytest.raises(DomainError) as error:
        appoint()
    assert "2" in error.value.message


def test_licence_numbers_are_unique(create_adviser):
    create_adviser(licence_no="13201200310456")
    with pytest.raises(DomainError) as error:
        create_adviser(licence_no="13201200310456")
    assert error.value.field == "licence_no"
    db.session.rollback()
    create_adviser(licence_no=None)
    create_adviser(licence_no=None)


def test_a_stale_edit_is_refused(create_adviser):
    adviser = create_adviser()
    opened_at = adviser.version
    services.save_adviser(
        None, adviser, version=opened_at, name="新名字", gender="male", category="cppcc"
    )
    db.session.commit()
    with pytest.raises(StaleEdit):
        services.save_adviser(
            None, adviser, version=opened_at, name="旧表单", gender="male", category="cppcc"
        )


@pytest.mark.no_app_context
def test_two_simultaneous_appointments_cannot_both_take_the_last_seat(app, monkeypatch):
    """Both check the panel at the same moment; the lock makes the second wait and see 15."""
    import threading
    import time

    from advisers import rules as panel_rules
    from advisers.models import Adviser, Gender
    from tests.conftest import _empty_tables

    with app.app_context():
        advisers = [
            Adviser(name=f"顾问{i}", gender=Gender.MALE, category="cppcc") for i in range(16)
        ]
        db.session.add_all(advisers)
        db.session.flush()
        for adviser in advisers[:14]:
            services.open_term(None, adviser, post=Post.MEMBER, start_on=START)
        db.session.commit()
        last_two = [a.id for a in advisers[14:]]
    real_check = panel_rules.check_appointment

    def slow_check(*args):
        refusal = real_check(*args)
        time.sleep(0.5)  # both would pass here without the lock
        return refusal

    monkeypatch.setattr(panel_rules, "check_appointment", slow_check)
    results = []

    def appoint_one(adviser_id):
        with app.app_context():
            try:
                services.open_term(
                    None, db.session.get(Adviser, adviser_id), post=Post.MEMBER, start_on=START
                )
                db.session.commit()
                results.append("appointed")
            except DomainError:
                db.session.rollback()
                results.append("refused")

    threads = [threading.Thread(target=appoint_one, args=(i,)) for i in last_two]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        try:
            assert sorted(results) == ["appointed", "refused"]
            assert term_count() == 15
        finally:
            _empty_tables()


def test_an_adviser_with_a_term_ahead_is_not_recommended_again(appoint, create_adviser):
    term = appoint(start=date(2030, 1, 1))
    adviser = term.adviser
    assert adviser.status_on(date(2029, 6, 1)) == "upcoming"
    assert not adviser.can_be_recommended(date(2029, 6, 1))
    with pytest.raises(DomainError):
        services.recommend_adviser(None, adviser, post=Post.MEMBER, recommended_on=date(2029, 6, 1))
    assert adviser.status_on(date(2030, 1, 1)) == "serving"
    assert adviser.status_on(date(2033, 1, 1)) == "former"
    assert create_adviser().status_on(date(2030, 1, 1)) == "new"


def test_a_dismissal_needs_the_governments_approval(appoint):
    term = appoint(start=START)
    for missing, field in (({"approved_on": None}, "approved_on"), ({"doc_no": " "}, "doc_no")):
        with pytest.raises(DomainError) as error:
            services.end_term(
                None,
                term,
                reason=EndReason.DISMISSED,
                ended_on=date(2027, 1, 1),
                note="长期不参加会议",
                **{**APPROVAL, **missing},
            )
        assert error.value.field == field
    assert not term.is_ended
    services.end_term(
        None, term, reason=EndReason.DISMISSED, ended_on=date(2027, 1, 1), note="x", **APPROVAL
    )
    assert (term.end_approved_on, term.end_approval_doc_no) == (
        date(2026, 12, 20),
        "江府函〔2026〕31号",
    )
    assert term.effective_end == date(2027, 1, 2)


def test_a_renewal_records_the_governments_approval(appoint):
    first = appoint(start=START)
    with pytest.raises(DomainError) as error:
        services.renew_term(None, first, approved_on=START - timedelta(days=1), doc_no="x")
    assert error.value.field == "approved_on"
    renewal = services.renew_term(
        None, first, approved_on=date(2029, 1, 10), doc_no="江府函〔2029〕3号"
    )
    assert (renewal.approved_on, renewal.approval_doc_no) == (
        date(2029, 1, 10),
        "江府函〔2029〕3号",
    )


@pytest.mark.parametrize("reason", [EndReason.RESIGNED, EndReason.DISMISSED])
def test_ending_a_renewed_term_withdraws_the_renewal(appoint, reason):
    """Renewed on the term's first day, the adviser can still resign or be dismissed."""
    first = appoint(start=START)
    renewal = services.renew_term(None, first, approved_on=START, doc_no="江府函〔2026〕5号")
    services.end_term(
        None, first, reason=reason, ended_on=date(2027, 5, 31), note="本人申请", **APPROVAL
    )
    db.session.commit()
    assert first.last_day == date(2027, 5, 31)
    assert renewal.end_reason == EndReason.WITHDRAWN
    assert renewal.last_day == date(2029, 2, 28)  # the day before it would have begun
    assert not renewal.is_serving_on(date(2029, 3, 1))
    assert reason.label in renewal.end_note
    assert services.serving_count(date(2029, 3, 1)) == 0


def test_a_renewal_can_be_withdrawn_until_it_begins(appoint):
    first = appoint(start=START)
    renewal = services.renew_term(None, first, approved_on=START, doc_no="江府函〔2026〕5号")
    with pytest.raises(DomainError) as error:
        services.withdraw_renewal(None, renewal, day=date(2027, 1, 1), note=" ")
    assert error.value.field == "note"
    with pytest.raises(DomainError):
        services.withdraw_renewal(None, renewal, day=date(2029, 3, 1), note="政府未同意")
    services.withdraw_renewal(None, renewal, day=date(2029, 2, 28), note="政府未同意")
    assert renewal.end_reason == EndReason.WITHDRAWN and not first.is_ended
    assert services.serving_count(date(2029, 3, 1)) == 0
    with pytest.raises(DomainError):
        services.withdraw_renewal(None, first, day=date(2027, 1, 1), note="x")
