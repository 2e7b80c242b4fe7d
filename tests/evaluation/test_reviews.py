"""After an evaluation is final: the adviser's comment and review within the scheme's days, the
office's answer, the latest evaluation on the renewal page, and a 不称职 grade raising a
dismissal case."""

from datetime import date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from core.errors import DomainError, NotAllowed
from core.extensions import db
from core.i18n import TIMEZONE
from core.models import Notification
from evaluation import annual, reviews
from evaluation import services as dismissal
from evaluation.models import CandidateStatus, DismissalCandidate, GradeLabel
from tests.consultations.view_fixtures import text

#: a past year, so an evaluation is made final without a reason
YEAR = 2025
#: made final at 23:30 on 1 March (Beijing time): the fifteen days end on 16 March
FINAL_AT = datetime(2026, 3, 1, 23, 30, tzinfo=TIMEZONE)


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


def finalise(world, index=0, grade=GradeLabel.COMPETENT):
    adviser = world.advisers[index]
    annual.save_evaluation(world.office, adviser, year=YEAR, grade=grade, assessment="全年履职。")
    evaluation = annual.finalise_evaluation(world.office, adviser, year=YEAR)
    evaluation.finalised_at = FINAL_AT
    db.session.commit()
    return evaluation


def on(monkeypatch, day: date) -> None:
    monkeypatch.setattr("evaluation.reviews.today", lambda: day)


def candidates_of(adviser) -> list[DismissalCandidate]:
    return list(
        db.session.scalars(
            select(DismissalCandidate).where(DismissalCandidate.adviser_id == adviser.id)
        )
    )


# --- the review's days ---------------------------------------------------------------


def test_the_days_to_ask_count_from_the_beijing_day_it_was_made_final(world):
    evaluation = finalise(world)
    assert reviews.review_last_day(evaluation) == date(2026, 3, 16)


@pytest.mark.parametrize(
    ("day", "allowed"), [(date(2026, 3, 16), True), (date(2026, 3, 17), False)]
)
def test_a_review_is_asked_for_up_to_the_last_day_and_not_after(world, monkeypatch, day, allowed):
    evaluation = finalise(world)
    on(monkeypatch, day)
    user = world.adviser_users[0]
    if allowed:
        reviews.request_review(user, evaluation, reason="全年出席率统计有误，请复核。")
        assert evaluation.review_pending
    else:
        with pytest.raises(DomainError, match="ended on 2026-03-16"):
            reviews.request_review(user, evaluation, reason="全年出席率统计有误，请复核。")
        assert evaluation.review_requested_at is None


def test_a_review_is_asked_for_once_with_a_reason(world, monkeypatch):
    evaluation = finalise(world)
    on(monkeypatch, date(2026, 3, 2))
    user = world.adviser_users[0]
    with pytest.raises(DomainError) as short:
        reviews.request_review(user, evaluation, reason="有误")
    assert short.value.problems[0].field == "reason"
    reviews.request_review(user, evaluation, reason="全年出席率统计有误，请复核。")
    with pytest.raises(DomainError, match="already"):
        reviews.request_review(user, evaluation, reason="再次申请复核，理由同上。")


def test_only_the_adviser_evaluated_comments_or_asks(world, monkeypatch):
    evaluation = finalise(world)
    on(monkeypatch, date(2026, 3, 2))
    with pytest.raises(NotAllowed):
        reviews.comment_on_evaluation(world.adviser_users[1], evaluation, comment="不是我的")
    with pytest.raises(NotAllowed):
        reviews.request_review(world.office, evaluation, reason="代为申请复核，理由如下。")


def test_a_draft_takes_no_comment(world):
    draft = annual.save_evaluation(
        world.office, world.advisers[0], year=YEAR, grade=GradeLabel.COMPETENT, assessment="草稿"
    )
    with pytest.raises(DomainError, match="not final"):
        reviews.comment_on_evaluation(world.adviser_users[0], draft, comment="意见")


def test_the_office_is_told_of_a_request_and_the_adviser_of_the_answer(world, monkeypatch):
    evaluation = finalise(world)
    on(monkeypatch, date(2026, 3, 2))
    reviews.request_review(
        world.adviser_users[0], evaluation, reason="全年出席率统计有误，请复核。"
    )
    reviews.answer_review(
        world.office,
        evaluation,
        answer="经复核，出席记录无误，维持原等次。",
        grade=GradeLabel.COMPETENT,
    )
    db.session.commit()
    told = {
        (n.user_id, n.key.split(":")[0]): n.subject
        for n in db.session.scalars(select(Notification))
    }
    assert "顾问甲" in told[(world.office.id, "review-asked")]
    assert "2025" in told[(world.adviser_users[0].id, "review-answered")]
    assert evaluation.grade is GradeLabel.COMPETENT and evaluation.grade_before_review is None
    assert not evaluation.review_pending


def test_an_answer_needs_a_request_and_words(world, monkeypatch):
    evaluation = finalise(world)
    with pytest.raises(DomainError, match="no request"):
        reviews.answer_review(world.office, evaluation, answer="维持原等次，理由充分。", grade=None)
    on(monkeypatch, date(2026, 3, 2))
    reviews.request_review(
        world.adviser_users[0], evaluation, reason="全年出席率统计有误，请复核。"
    )
    with pytest.raises(DomainError) as short:
        reviews.answer_review(world.office, evaluation, answer="维持", grade=GradeLabel.BASIC)
    assert short.value.problems[0].field == "answer"
    assert evaluation.grade is GradeLabel.COMPETENT


# --- 不称职 and the dismissal rule ---------------------------------------------------------


def test_a_final_incompetent_grade_raises_a_dismissal_case_once(world):
    finalise(world, grade=GradeLabel.INCOMPETENT)
    [case] = candidates_of(world.advisers[0])
    assert case.is_open and case.reasons == "incompetent"
    assert case.evidence["graded"]["year"] == YEAR
    assert "Graded 不称职" in dismissal.evidence_summary(case.evidence)
    dismissal.raise_for_grade(world.advisers[0], year=YEAR, evaluation_id=1, day=date(2026, 3, 3))
    assert len(candidates_of(world.advisers[0])) == 1


def test_a_draft_incompetent_grade_raises_nothing(world):
    annual.save_evaluation(
        world.office, world.advisers[0], year=YEAR, grade=GradeLabel.INCOMPETENT, assessment="差"
    )
    assert candidates_of(world.advisers[0]) == []


def test_the_nightly_rule_leaves_a_graded_case_open(world):
    finalise(world, grade=GradeLabel.INCOMPETENT)
    dismissal.evaluate_advisers(None, date(2026, 3, 2))
    [case] = candidates_of(world.advisers[0])
    assert case.is_open


def test_a_review_that_lifts_the_grade_lets_the_case_lapse(world, monkeypatch):
    evaluation = finalise(world, grade=GradeLabel.INCOMPETENT)
    on(monkeypatch, date(2026, 3, 2))
    reviews.request_review(world.adviser_users[0], evaluation, reason="承办事项记录遗漏，请复核。")
    reviews.answer_review(
        world.office, evaluation, answer="补录遗漏事项后调整为基本称职。", grade=GradeLabel.BASIC
    )
    [case] = candidates_of(world.advisers[0])
    assert case.status is CandidateStatus.LAPSED
    assert evaluation.grade_before_review is GradeLabel.INCOMPETENT


def test_a_review_that_lowers_the_grade_to_incompetent_raises_a_case(world, monkeypatch):
    evaluation = finalise(world, grade=GradeLabel.BASIC)
    on(monkeypatch, date(2026, 3, 2))
    reviews.request_review(world.adviser_users[0], evaluation, reason="申请复核评价等次与依据。")
    reviews.answer_review(
        world.office,
        evaluation,
        answer="复核发现多次拒不承办，调整为不称职。",
        grade=GradeLabel.INCOMPETENT,
    )
    [case] = candidates_of(world.advisers[0])
    assert case.is_open


# --- the pages ------------------------------------------------------------------------


def test_the_adviser_reads_comments_and_asks_through_their_page(world, monkeypatch, as_):
    finalise(world)
    on(monkeypatch, date(2026, 3, 2))
    me = as_(world.adviser_users[0])
    assert f"/my/evaluations/{YEAR}" in text(me.get("/my/evaluations"))
    page = text(me.get(f"/my/evaluations/{YEAR}"))
    assert "全年履职。" in page and 'data-testid="review-form"' in page
    refused = me.post(f"/my/evaluations/{YEAR}/comment", data={"comment": " "})
    assert refused.status_code == 400 and "invalid-feedback" in text(refused)
    assert (
        me.post(f"/my/evaluations/{YEAR}/comment", data={"comment": "同意评价。"}).status_code
        == 302
    )
    short = me.post(f"/my/evaluations/{YEAR}/review", data={"reason": "不服"})
    assert short.status_code == 400 and "invalid-feedback" in text(short)
    asked = me.post(f"/my/evaluations/{YEAR}/review", data={"reason": "出席率统计有误，请复核。"})
    assert asked.status_code == 302
    page = text(me.get(f"/my/evaluations/{YEAR}"))
    assert "同意评价。" in page and "出席率统计有误，请复核。" in page
    assert 'data-testid="review-form"' not in page


def test_the_office_answers_on_the_evaluation_page(world, monkeypatch, as_):
    evaluation = finalise(world)
    on(monkeypatch, date(2026, 3, 2))
    reviews.request_review(world.adviser_users[0], evaluation, reason="出席率统计有误，请复核。")
    db.session.commit()
    office = as_(world.office)
    url = f"/evaluations/{YEAR}/{world.advisers[0].id}"
    assert 'data-testid="answer-review"' in text(office.get(url))
    refused = office.post(f"{url}/review", data={"grade": "excellent", "answer": "改"})
    assert refused.status_code == 400 and "invalid-feedback" in text(refused)
    done = office.post(
        f"{url}/review", data={"grade": "excellent", "answer": "复核后调整为优秀等次。"}
    )
    assert done.status_code == 302
    page = text(office.get(url))
    assert 'data-testid="review-answer"' in page and "复核后调整为优秀等次。" in page


def test_drafts_and_others_evaluations_stay_hidden_from_an_adviser(world, as_):
    annual.save_evaluation(
        world.office, world.advisers[0], year=YEAR, grade=GradeLabel.COMPETENT, assessment="草稿"
    )
    finalise(world, index=1)
    me = as_(world.adviser_users[0])
    assert me.get(f"/my/evaluations/{YEAR}").status_code == 404
    assert me.get(f"/evaluations/{YEAR}/{world.advisers[1].id}").status_code == 403
    assert me.post(f"/my/evaluations/{YEAR}/comment", data={"comment": "x"}).status_code == 404
    assert as_(world.office).get("/my/evaluations").status_code == 403


def test_the_renewal_page_shows_the_latest_evaluation(world, as_):
    finalise(world)
    term = world.advisers[0].terms[0]
    page = text(as_(world.office).get(f"/terms/{term.id}/renew"))
    assert 'data-testid="latest-evaluation"' in page and "全年履职。" in page
    other = world.advisers[2].terms[0]
    unrated = text(as_(world.office).get(f"/terms/{other.id}/renew"))
    assert 'data-testid="latest-evaluation"' in unrated and "全年履职。" not in unrated


def test_the_adviser_page_lists_the_evaluations(world, as_):
    finalise(world)
    page = text(as_(world.viewer).get(f"/advisers/{world.advisers[0].id}"))
    assert 'data-testid="adviser-evaluations"' in page and "称职" in page
    own = text(as_(world.adviser_users[0]).get(f"/advisers/{world.advisers[0].id}"))
    assert f'href="/my/evaluations/{YEAR}"' in own
    assert 'data-testid="adviser-evaluations"' not in text(
        as_(world.liaison).get(f"/advisers/{world.advisers[0].id}")
    )


def test_a_request_waits_on_the_office_s_dashboard_and_list(world, monkeypatch, as_):
    evaluation = finalise(world)
    finalise(world, index=1)
    on(monkeypatch, date(2026, 3, 2))
    reviews.request_review(world.adviser_users[0], evaluation, reason="出席率统计有误，请复核。")
    db.session.commit()
    office = as_(world.office)
    dashboard = text(office.get("/dashboard"))
    assert f'href="/evaluations?status=review&amp;year={YEAR}"' in dashboard
    listing = text(office.get(f"/evaluations?status=review&year={YEAR}"))
    assert "顾问甲" in listing and "顾问乙" not in listing


def test_a_graded_case_shows_its_evidence_to_the_office(world, as_):
    finalise(world, grade=GradeLabel.INCOMPETENT)
    [case] = candidates_of(world.advisers[0])
    office = as_(world.office)
    assert "不称职" in text(office.get("/dismissals"))
    page = text(office.get(f"/dismissals/{case.id}"))
    assert f'href="/evaluations/{YEAR}/{world.advisers[0].id}"' in page
