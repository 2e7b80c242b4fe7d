"""The rest of the dismissal rule on the database: matters an adviser declined or left
unanswered raise them, with the matters as evidence; a decline for a conflict never counts."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select, update

from consultations import services as consultations
from consultations.models import Assignment
from core.errors import DomainError
from core.extensions import db
from core.i18n import today
from core.models import Role
from evaluation import services
from evaluation.models import CandidateStatus, DismissalCandidate
from evaluation.rules import Reason


@pytest.fixture
def assigned(world, request_matter):
    """Assign the first adviser as lead on a new matter: assigned(n) -> its assignment."""

    def make(n: int) -> Assignment:
        matter = request_matter(
            title=f"关于第{n}号合同的审查", parties=f"江城{'甲乙丙丁'[n]}建设有限公司"
        )
        consultations.accept_matter(world.office, matter)
        [assignment] = consultations.assign(world.office, matter, lead_id=world.advisers[0].id)
        db.session.commit()
        return assignment

    return make


def _decline(world, assignment, conflict=False):
    consultations.answer_assignment(
        world.adviser_users[0], assignment, accept=False, reason="近期工作繁忙", conflict=conflict
    )
    db.session.commit()


def _candidates() -> list[DismissalCandidate]:
    services.evaluate_advisers(None, today())
    db.session.commit()
    return list(db.session.scalars(select(DismissalCandidate).order_by(DismissalCandidate.id)))


def test_three_matters_declined_raise_the_adviser_and_a_conflict_never_counts(world, assigned):
    for n in range(2):
        _decline(world, assigned(n))
    _decline(world, assigned(2), conflict=True)
    assert _candidates() == []
    _decline(world, assigned(3))
    [candidate] = _candidates()
    assert candidate.reasons == Reason.IGNORED.value
    titles = [item["title"] for item in candidate.evidence["ignored"]]
    assert titles == ["关于第0号合同的审查", "关于第1号合同的审查", "关于第3号合同的审查"]
    assert {item["outcome"] for item in candidate.evidence["ignored"]} == {"declined"}
    with force_locale("en"):
        summary = services.evidence_summary(candidate.evidence)
    assert "Declined 3 and left 0 unanswered" in summary


def test_an_assignment_unanswered_for_the_days_to_answer_counts(world, assigned):
    for n in range(2):
        _decline(world, assigned(n))
    waiting = assigned(2)
    db.session.execute(
        update(Assignment)
        .where(Assignment.id == waiting.id)
        .values(assigned_on=today() - timedelta(days=9))
    )
    assert _candidates() == []
    db.session.execute(
        update(Assignment)
        .where(Assignment.id == waiting.id)
        .values(assigned_on=today() - timedelta(days=10))
    )
    [candidate] = _candidates()
    unanswered = [i for i in candidate.evidence["ignored"] if i["outcome"] == "unanswered"]
    assert [i["assignment_id"] for i in unanswered] == [waiting.id]
    assert unanswered[0]["day"] == today().isoformat()


def test_a_waiver_holds_until_another_matter_is_ignored(world, assigned):
    for n in range(3):
        _decline(world, assigned(n))
    [candidate] = _candidates()
    services.waive_candidate(world.office, candidate, reason="已当面约谈，承诺按时答复")
    db.session.commit()
    assert [c.status for c in _candidates()] == [CandidateStatus.WAIVED]
    _decline(world, assigned(3))
    assert [c.status for c in _candidates()] == [CandidateStatus.WAIVED, CandidateStatus.OPEN]


def test_the_office_sets_the_number_of_matters(world, assigned, make_user):
    services.change_dismissal_rule(make_user(Role.ADMIN), ignored_matters="4", answer_days="5")
    for n in range(3):
        _decline(world, assigned(n))
    assert _candidates() == []
    assert services.current_rule_version().answer_days == 5


@pytest.mark.parametrize(("field", "value"), [("ignored_matters", "0"), ("answer_days", "91")])
def test_a_rule_out_of_bounds_is_refused_beside_its_field(make_user, field, value):
    with pytest.raises(DomainError) as refused:
        services.change_dismissal_rule(make_user(Role.ADMIN), **{field: value})
    assert refused.value.problems[0].field == field


def test_the_candidate_page_links_each_ignored_matter(world, assigned, as_):
    for n in range(3):
        _decline(world, assigned(n))
    [candidate] = _candidates()
    page = as_(world.office).get(f"/dismissals/{candidate.id}").get_data(as_text=True)
    matter_id = candidate.evidence["ignored"][0]["matter_id"]
    assert f'href="/consultations/{matter_id}"' in page and "关于第0号合同的审查" in page
