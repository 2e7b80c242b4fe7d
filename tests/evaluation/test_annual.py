"""The yearly evaluation on the database: the evidence of a year, the office's grade under the
scheme in force, and making it final (before the year is over only with a reason)."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from evaluation import annual
from evaluation.models import AnnualEvaluation, EvaluationStatus, GradeLabel, SchemeVersion
from meetings import services as meetings
from tests.consultations.view_fixtures import text
from tests.meetings.fixtures import at

YEAR = today().year


@pytest.fixture(autouse=True)
def english(app_ctx):
    with force_locale("en"):
        yield


@pytest.fixture
def held(world):
    """A meeting held yesterday: 甲 absent without excuse, 乙 and 丙 present."""
    day = today() - timedelta(days=1)
    meeting = meetings.plan_meeting(
        None, kind="regular", title="第四季度定期会议", starts_at=at(day), ends_at=at(day, 16),
        place="第一会议室", invitee_ids=[a.id for a in world.advisers],
    )  # fmt: skip
    meetings.hold_meeting(None, meeting)
    marks = {
        i.id: ("absent" if i.adviser_id == world.advisers[0].id else "present", "")
        for i in meeting.invitations
    }
    meetings.record_attendance(None, meeting, marks)
    db.session.commit()
    return meeting


def test_the_evidence_counts_the_year_s_meetings_matters_and_opinions(world, states, held):
    lead = annual.evidence_for(YEAR)[world.advisers[0].id]
    assert (lead.present, lead.absent) == (0, 1)
    assert lead.answers.assigned == 6 and lead.answers.accepted == 5
    assert lead.answers.unanswered == 0, "assigned today: the days to answer are still running"
    assert (lead.work.lead, lead.work.delivered) == (5, 3)
    assert lead.work.adoptions.partly == 1
    rates = lead.rates()
    assert rates["attendance"] == 0 and rates["answered"] == 100 and rates["adoption"] == 100
    co = annual.evidence_for(YEAR)[world.advisers[1].id]
    assert (co.present, co.work.co, co.work.delivered) == (1, 5, 0)
    assert co.rates()["on_time"] is None, "no opinion of their own: the rate is left out"


def test_an_adviser_who_served_with_nothing_to_show_has_no_score(world):
    evidence = annual.evidence_for(2025)[world.advisers[2].id]
    assert annual.suggestion(evidence, annual.current_scheme()) == (None, None)
    assert 2024 not in {e.year for e in annual.evidence_for(2024).values()}


def test_the_office_grades_a_draft_under_the_scheme_in_force(world, states, held):
    evaluation = annual.save_evaluation(
        world.office, world.advisers[0], year=YEAR, grade=GradeLabel.BASIC, assessment="缺席会议。"
    )
    db.session.commit()
    assert evaluation.status is EvaluationStatus.DRAFT
    assert evaluation.scheme_version.number == 1 and evaluation.score is not None
    assert evaluation.suggested is not None and evaluation.grade is GradeLabel.BASIC


def test_a_running_year_is_made_final_only_with_a_reason(world, states, held):
    evaluation = annual.save_evaluation(
        world.office, world.advisers[0], year=YEAR, grade=GradeLabel.BASIC, assessment="缺席会议。"
    )
    with pytest.raises(DomainError) as refused:
        annual.finalise_evaluation(world.office, world.advisers[0], year=YEAR, early_reason="提前")
    assert refused.value.problems[0].field == "early_reason"
    assert f"{YEAR} is not over yet" in refused.value.message
    annual.finalise_evaluation(
        world.office, world.advisers[0], year=YEAR, early_reason="顾问任期届满，续聘前评价"
    )
    db.session.commit()
    assert evaluation.is_final and evaluation.early_reason == "顾问任期届满，续聘前评价"
    assert (
        evaluation.evidence["absent"] == 1 and evaluation.evidence["rates"]["attendance"] == "0.0"
    )
    with pytest.raises(DomainError, match="final"):
        annual.save_evaluation(
            world.office, world.advisers[0], year=YEAR, grade=GradeLabel.EXCELLENT, assessment="改"
        )


def test_a_past_year_is_made_final_without_a_reason(world):
    evaluation = annual.save_evaluation(
        world.office, world.advisers[2], year=2025, grade=GradeLabel.COMPETENT, assessment="称职。"
    )
    annual.finalise_evaluation(world.office, world.advisers[2], year=2025)
    assert evaluation.is_final and evaluation.early_reason is None and evaluation.score is None


def test_one_who_did_not_serve_that_year_cannot_be_evaluated(world):
    with pytest.raises(DomainError, match="did not serve in 2024"):
        annual.save_evaluation(
            world.office, world.advisers[0], year=2024, grade=GradeLabel.COMPETENT, assessment="x"
        )


def test_a_grade_and_an_assessment_are_needed(world):
    with pytest.raises(DomainError) as refused:
        annual.save_evaluation(
            world.office, world.advisers[0], year=YEAR, grade=None, assessment=" "
        )
    assert {p.field for p in refused.value.problems} == {"grade", "assessment"}
    assert db.session.scalar(select(func.count(AnnualEvaluation.id))) == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"attendance": "41"}, "attendance"),  # 41 + 20 + 20 + 20 = 101
        ({"attendance": "39"}, "attendance"),  # 99
        ({"competent": "90"}, "competent"),  # 称职 not below 优秀
        ({"basic": "abc"}, "basic"),
        ({"review_days": "0"}, "review_days"),
    ],
)
def test_a_scheme_that_does_not_add_up_is_refused_and_nothing_is_stored(world, values, field):
    with pytest.raises(DomainError) as refused:
        annual.change_scheme(world.office, **values)
    assert refused.value.problems[0].field == field
    assert db.session.scalar(select(func.count(SchemeVersion.id))) == 0


def test_each_evaluation_keeps_the_scheme_it_was_made_under(world):
    first = annual.save_evaluation(
        world.office, world.advisers[0], year=2025, grade=GradeLabel.COMPETENT, assessment="称职。"
    )
    annual.change_scheme(world.office, attendance="30", answered="30", review_days="20")
    later = annual.save_evaluation(
        world.office, world.advisers[1], year=2025, grade=GradeLabel.COMPETENT, assessment="称职。"
    )
    assert first.scheme_version.attendance == 40 and later.scheme_version.attendance == 30
    assert annual.current_scheme().review_days == 20


# --- the pages --------------------------------------------------------------------------


def test_the_year_s_list_and_an_adviser_s_evidence_link_to_the_records(world, states, held, as_):
    office = as_(world.office)
    listing = text(office.get(f"/evaluations?year={YEAR}"))
    assert "顾问甲" in listing and f"/evaluations/{YEAR}/{world.advisers[0].id}" in listing
    page = text(office.get(f"/evaluations/{YEAR}/{world.advisers[0].id}"))
    assert f'href="/meetings/{held.id}"' in page and "第四季度定期会议" in page
    assert f'href="/consultations/{states.closed.id}"' in page and "部分采纳" in page
    assert 'data-testid="score"' in page


def test_the_office_saves_and_makes_final_through_the_forms(world, states, held, as_):
    office = as_(world.office)
    url = f"/evaluations/{YEAR}/{world.advisers[0].id}"
    refused = office.post(url, data={"grade": "", "assessment": ""})
    assert refused.status_code == 400 and "invalid-feedback" in text(refused)
    assert (
        office.post(url, data={"grade": "basic", "assessment": "全年缺席会议一次。"}).status_code
        == 302
    )
    early = office.post(f"{url}/final", data={"early_reason": ""})
    assert early.status_code == 400 and "invalid-feedback" in text(early)
    done = office.post(f"{url}/final", data={"early_reason": "续聘前须完成评价，提前定稿"})
    assert done.status_code == 302
    page = text(office.get(url))
    assert 'data-testid="final-evaluation"' in page and "基本称职" in page


def test_leaders_read_and_others_may_not(world, states, as_):
    url = f"/evaluations/{YEAR}/{world.advisers[0].id}"
    leader = as_(world.viewer)
    assert leader.get("/evaluations").status_code == 200 and leader.get(url).status_code == 200
    assert leader.post(url, data={"grade": "basic", "assessment": "x"}).status_code == 403
    assert leader.post("/evaluations/scheme", data={"attendance": "40"}).status_code == 403
    for user in (world.liaison, world.adviser_users[0]):
        assert as_(user).get("/evaluations").status_code == 403


def test_an_adviser_who_did_not_serve_in_the_year_has_no_page(world, as_):
    assert as_(world.office).get(f"/evaluations/2024/{world.advisers[0].id}").status_code == 404
    assert as_(world.office).get("/evaluations?year=1999").status_code == 400


def test_the_scheme_page_refuses_weights_that_do_not_add_up(world, as_):
    office = as_(world.office)
    values = {"attendance": "50", "answered": "20", "on_time": "20", "adoption": "20",
              "excellent": "90", "competent": "75", "basic": "60", "review_days": "15"}  # fmt: skip
    refused = office.post("/evaluations/scheme", data=values)
    assert refused.status_code == 400 and "invalid-feedback" in text(refused)
    assert (
        office.post("/evaluations/scheme", data={**values, "attendance": "40"}).status_code == 302
    )
    assert "<td>1</td>" in text(office.get("/evaluations/scheme"))
