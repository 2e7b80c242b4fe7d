"""The dismissal rule applied to the panel: candidates, waivers, dismissals, rule versions."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from advisers.models import EndReason, Post
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import Notification, Role
from evaluation import services as evaluation_services
from evaluation.models import CandidateStatus, DismissalCandidate
from meetings import services

APPROVAL = {"approved_on": today(), "doc_no": "江府函〔2026〕40号"}


def notes_for(user):
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


# --- planning ---------------------------------------------------------------------------


def candidates(status=None):
    stmt = select(DismissalCandidate).order_by(DismissalCandidate.id)
    if status:
        stmt = stmt.where(DismissalCandidate.status == status)
    return list(db.session.scalars(stmt))


# --- the dismissal rule ------------------------------------------------------------------


def test_three_absences_raise_a_candidate_with_evidence(held_series, make_user):
    staff = make_user(Role.OFFICE)
    meetings = held_series("PPPAAA", "PPPPPP", "PAPAPP")
    [candidate] = candidates()
    assert candidate.status == CandidateStatus.OPEN
    assert [r["meeting_id"] for r in candidate.evidence["run"]] == [m.id for m in meetings[3:]]
    assert candidate.rule_version.consecutive_absences == 3
    assert len(notes_for(staff)) == 1


def test_the_nightly_evaluation_is_idempotent(held_series, make_user, app):
    staff = make_user(Role.OFFICE)
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    for _ in range(2):
        evaluation_services.evaluate_advisers(None, today())
        db.session.commit()
    assert len(candidates()) == 1 and len(notes_for(staff)) == 1


def test_a_waiver_holds_until_new_absences(held_series, plan, serving, office_user):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [candidate] = candidates()
    evaluation_services.waive_candidate(office_user, candidate, reason="住院")
    evaluation_services.evaluate_advisers(None, today())
    assert candidates(CandidateStatus.OPEN) == []
    meeting = plan(today() - timedelta(days=1), held=True)
    invitation = next(i for i in meeting.invitations if i.adviser == serving[0])
    services.record_attendance(None, meeting, {invitation.id: ("absent", "")})
    assert len(candidates(CandidateStatus.OPEN)) == 1


def test_a_corrected_mark_lapses_the_open_candidate(held_series, serving):
    meetings = held_series("PPPAAA", "PPPPPP", "PPPPPP")
    last = next(i for i in meetings[-1].invitations if i.adviser == serving[0])
    services.record_attendance(None, meetings[-1], {last.id: ("excused", "补交请假条")})
    assert [c.status for c in candidates()] == [CandidateStatus.LAPSED]


def test_a_cancelled_meeting_counts_for_nobody(plan, serving, held_series):
    held_series("PPPPAA", "PPPPPP", "PPPPPP")
    cancelled = plan(today() + timedelta(days=1))
    services.cancel_meeting(None, cancelled, reason="取消")
    evaluation_services.evaluate_advisers(None, today())
    assert candidates() == []


def test_an_adviser_appointed_mid_window_is_judged_after_appointment(plan, appoint, held_series):
    held_series("PPPPPP", "PPPPPP", "PPPPPP")
    newcomer = appoint(post=Post.MEMBER, start=today() - timedelta(days=3)).adviser
    meeting = plan(today() - timedelta(days=1), held=True)
    mine = next(i for i in meeting.invitations if i.adviser == newcomer)
    services.record_attendance(None, meeting, {mine.id: ("absent", "")})
    assert candidates() == []  # one absence since appointment: neither rule applies


def test_dismissal_ends_the_term_with_reason_and_evidence(
    held_series, serving, office_user, make_user
):
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    db.session.commit()
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [candidate] = candidates()
    with pytest.raises(DomainError):
        evaluation_services.dismiss_candidate(office_user, candidate, reason="  ", **APPROVAL)
    with pytest.raises(DomainError):  # the government's approval is needed
        evaluation_services.dismiss_candidate(
            office_user, candidate, reason="长期不参加会议", approved_on=None, doc_no=None
        )
    db.session.rollback()
    [candidate] = candidates()
    term = evaluation_services.dismiss_candidate(
        office_user, candidate, reason="长期不参加会议", **APPROVAL
    )
    db.session.commit()
    assert term.end_reason == EndReason.DISMISSED
    assert term.ended_on == today() - timedelta(days=1)  # no longer serving today
    assert (
        "长期不参加会议" in term.end_note and "缺席" in term.end_note
    ) or "Absent" in term.end_note
    assert candidate.status == CandidateStatus.DISMISSED
    [notice] = [n for n in notes_for(account) if n.key == f"dismissed:{candidate.id}"]
    # the notice gives the same two days as the record: the last day served, the effective day
    assert term.ended_on.isoformat() in notice.body and today().isoformat() in notice.body
    with pytest.raises(DomainError):
        evaluation_services.waive_candidate(office_user, candidate, reason="x")


def test_rule_changes_are_versioned_and_used(held_series, make_user):
    admin = make_user(Role.ADMIN)
    first = evaluation_services.current_rule_version()
    second = evaluation_services.change_dismissal_rule(
        admin, consecutive_absences="2", min_rate="50", window_months="12", min_meetings="4"
    )
    assert second.id > first.id and second.created_by_id == admin.id
    held_series("PPPPAA", "PPPPPP", "PPPPPP")
    [candidate] = candidates()
    assert candidate.rule_version_id == second.id


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("consecutive_absences", "three"),
        ("consecutive_absences", "0"),
        ("min_rate", "abc"),
        ("min_rate", "101"),
        ("min_rate", "NaN"),
        ("window_months", "-1"),
        ("min_meetings", ""),
    ],
)
def test_bad_rule_values_are_refused(make_user, field, value):
    values = {
        "consecutive_absences": "3",
        "min_rate": "50",
        "window_months": "12",
        "min_meetings": "4",
    }
    values[field] = value
    with pytest.raises(DomainError) as error:
        evaluation_services.change_dismissal_rule(make_user(Role.ADMIN), **values)
    assert error.value.field == field


# --- issue 7: cases that come back, lapse with the term, and leave granted late ------------


def _invitation(meeting, adviser):
    return next(i for i in meeting.invitations if i.adviser == adviser)


def test_a_lapsed_case_comes_back_when_its_mark_is_corrected_back(held_series, serving, make_user):
    staff = make_user(Role.OFFICE)
    meetings = held_series("PPPAAA", "PPPPPP", "PPPPPP")
    last = _invitation(meetings[-1], serving[0])
    services.record_attendance(None, meetings[-1], {last.id: ("excused", "补交请假条")})
    assert [c.status for c in candidates()] == [CandidateStatus.LAPSED]
    # as if first raised two days ago: the office was told then
    earlier = today() - timedelta(days=2)
    [case] = candidates()
    case.raised_on = earlier
    notes_for(staff)[0].key = f"candidate:{case.id}:{earlier.isoformat()}"
    services.record_attendance(None, meetings[-1], {last.id: ("absent", "")})
    [case] = candidates()
    assert case.status == CandidateStatus.OPEN and case.raised_on == today()
    assert len(notes_for(staff)) == 2  # the office hears of it again


def test_a_case_lapses_and_returns_with_the_threshold(held_series, make_user):
    admin = make_user(Role.ADMIN)
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    values = {"min_rate": "50", "window_months": "12", "min_meetings": "4"}
    for absences, expected in (("4", CandidateStatus.LAPSED), ("3", CandidateStatus.OPEN)):
        evaluation_services.change_dismissal_rule(admin, consecutive_absences=absences, **values)
        evaluation_services.evaluate_advisers(None, today())
        assert [c.status for c in candidates()] == [expected]


def test_a_decided_case_is_not_raised_again_on_the_same_evidence(held_series, office_user):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [case] = candidates()
    evaluation_services.waive_candidate(office_user, case, reason="住院")
    evaluation_services.evaluate_advisers(None, today())
    assert [c.status for c in candidates()] == [CandidateStatus.WAIVED]


def test_an_open_case_lapses_when_the_adviser_resigns(held_series, serving, office_user):
    from advisers import services as panel_services

    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    term = serving[0].term_on(today())
    panel_services.end_term(office_user, term, reason=EndReason.RESIGNED, ended_on=today())
    assert [c.status for c in candidates()] == [CandidateStatus.LAPSED]


def test_the_nightly_run_lapses_cases_of_advisers_no_longer_serving(held_series, serving):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    term = serving[0].term_on(today())
    term.ended_on, term.end_reason = today() - timedelta(days=1), EndReason.RESIGNED
    db.session.flush()  # ended behind the services' back, as an import or a repair might
    evaluation_services.evaluate_advisers(None, today())
    assert [c.status for c in candidates()] == [CandidateStatus.LAPSED]


def test_dismissing_decides_the_case_it_ends_the_term_for(held_series, serving, office_user):
    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [case] = candidates()
    evaluation_services.dismiss_candidate(office_user, case, reason="长期不参加会议", **APPROVAL)
    assert case.status == CandidateStatus.DISMISSED
    assert serving[0].terms[-1].end_reason == EndReason.DISMISSED


def test_leave_approved_after_the_meeting_excuses_the_absence(
    plan, serving, make_user, office_user
):
    """The request was made in time; the office answered after the meeting was held."""
    account = make_user(Role.ADVISER)
    serving[0].user_id = account.id
    held_series_meetings = [
        plan(today() - timedelta(days=90 - 30 * n), held=True) for n in range(2)
    ]
    for meeting in held_series_meetings:
        invitation = _invitation(meeting, serving[0])
        services.record_attendance(None, meeting, {invitation.id: ("absent", "")})
    meeting = plan(today() + timedelta(days=3))
    invitation = _invitation(meeting, serving[0])
    leave = services.request_leave(account, invitation, reason="出庭")
    meeting.starts_at = meeting.starts_at - timedelta(days=4)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    services.hold_meeting(office_user, meeting)
    services.record_attendance(None, meeting, {invitation.id: ("absent", "")})
    assert [c.status for c in candidates()] == [CandidateStatus.OPEN]  # three in a row
    services.decide_leave(office_user, leave, approve=True)
    assert invitation.mark == "excused"
    assert meeting.absent_count == 0 and meeting.excused_count == 1
    assert [c.status for c in candidates()] == [CandidateStatus.LAPSED]


def test_an_open_case_follows_the_adviser_into_a_renewal(held_series, serving, office_user):
    """The term expires and the renewal starts the next day: the case is still the office's."""
    from advisers import services as panel_services
    from advisers.models import Term

    held_series("PPPAAA", "PPPPPP", "PPPPPP")
    [case] = candidates()
    term = case.term
    renewal = panel_services.renew_term(
        office_user, term, post=term.post, approved_on=term.start_on, doc_no="江府函〔2029〕8号"
    )
    panel_services.expire_terms(term.end_on + timedelta(days=1))
    assert case.status == CandidateStatus.OPEN and case.term == renewal
    assert isinstance(renewal, Term)
