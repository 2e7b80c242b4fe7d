"""The demo district loads through the services, obeys every rule, and mails no one; its
year of matters has every state, kind and outcome, and each login's home page has work."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from advisers.models import Adviser
from consultations.models import (
    Activity,
    Adoption,
    Assignment,
    AssignmentStatus,
    Matter,
    MatterKind,
    MatterStatus,
    Opinion,
    OpinionComment,
    WorkLog,
)
from core.extensions import db
from core.i18n import today
from core.models import Notification, OutboxMessage, User
from demo.consultations import MORE_USERS
from demo.panel import DEMO_PASSWORD, is_empty, load_demo
from tests.conftest import log_in


def test_the_demo_loads_and_mails_none_of_its_fictional_people(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.intranet")
    assert is_empty()
    load_demo(today())
    db.session.commit()
    assert not is_empty()
    assert db.session.scalar(select(func.count(Notification.id))) > 0, "they are notified in-app"
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0, "and never e-mailed"


# --- consultations: a year of matters ---------------------------------------------------


@pytest.fixture
def demo(app):
    load_demo(today())
    db.session.commit()


def _values(column) -> set:
    return set(db.session.scalars(select(column).distinct()))


def test_the_demo_year_has_every_state_every_kind_and_every_adoption(demo):
    assert _values(Matter.status) == set(MatterStatus)
    assert _values(Matter.kind) == set(MatterKind)
    assert _values(Opinion.adoption) - {None} == set(Adoption)
    received = _values(Matter.received_on)
    assert min(received) >= today() - timedelta(days=366) and max(received) <= today()
    assert len({day.month for day in received}) >= 10, "spread across the year"
    assert db.session.scalar(select(func.count(Matter.id))) in range(60, 91)
    assert len(_values(Matter.department_id)) >= 8


def test_the_demo_tells_each_story_the_pages_show(demo):
    open_ = Matter.status.in_(MatterStatus.open_values())
    overdue = select(func.count(Matter.id)).where(open_, Matter.due_on < today())
    assert db.session.scalar(overdue) >= 2
    assert _values(Assignment.status) >= {AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED}
    declined = db.session.scalar(select(Assignment).where(Assignment.declined_for_conflict))
    assert declined is not None and declined.decline_reason
    assert db.session.scalar(select(Assignment.id).where(Assignment.override_reason.is_not(None)))
    assert db.session.scalar(select(func.count(OpinionComment.id))) > 0
    returned = db.session.scalars(select(Matter).where(Matter.status == MatterStatus.RETURNED))
    assert all(m.return_reason for m in returned)
    # a corrected opinion: two versions, the second with its reason
    corrected = db.session.scalar(select(Opinion).where(Opinion.revision == 2))
    assert corrected.correction_reason and corrected.matter.opinions[0].number
    assert corrected.number != corrected.matter.opinions[0].number
    # a major decision taken against the advice went before the leaders
    against = db.session.scalar(
        select(Matter)
        .join(Opinion)
        .where(Matter.kind == MatterKind.DECISION, Opinion.adoption == Adoption.NOT_ADOPTED)
    )
    leader = db.session.scalar(select(User).where(User.username == "leader"))
    assert against.title in " ".join(_subjects(leader))
    # training and publicity closed by activities with attendance, and a few without a request
    activities = list(db.session.scalars(select(Activity)))
    assert {a.kind.value for a in activities if a.matter_id} == {"training", "publicity"}
    assert all(a.attendance > 0 and a.advisers for a in activities)
    assert any(a.matter_id is None for a in activities)
    assert db.session.scalar(select(func.count(WorkLog.id))) > 50


def test_opinion_numbers_run_within_the_year_each_was_signed(demo):
    signed = db.session.scalars(select(Opinion).where(Opinion.number.is_not(None)))
    numbers = [(o.submitted_on.year, o.number) for o in signed]
    assert all(f"〔{year}〕" in number for year, number in numbers)
    assert len({number for _year, number in numbers}) == len(numbers)
    assert all(o.submitted_on <= today() for o in signed)


def _subjects(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.subject).where(Notification.user_id == user.id))
    )


def test_each_demo_login_finds_real_work_on_its_home_page(demo, client):
    liaison = db.session.scalar(select(User).where(User.username == "liaison"))
    theirs = select(Matter).where(Matter.department_id == liaison.department_id)
    assert {m.status for m in db.session.scalars(theirs)} >= {
        MatterStatus.REQUESTED, MatterStatus.IN_PROGRESS, MatterStatus.DELIVERED,
        MatterStatus.CLOSED,
    }  # fmt: skip
    delivered = db.session.scalar(theirs.where(Matter.status == MatterStatus.DELIVERED))
    assert log_in(client, "liaison", DEMO_PASSWORD).status_code == 302
    assert delivered.title in client.get("/consultations/department").get_data(as_text=True)
    client.post("/logout")

    director = db.session.scalar(select(Adviser).where(Adviser.user_id.is_not(None)).where(
        Adviser.user.has(User.username == "adviser")))  # fmt: skip
    mine = set(
        db.session.scalars(select(Assignment.status).where(Assignment.adviser_id == director.id))
    )
    assert mine >= {AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED}
    assert log_in(client, "adviser", DEMO_PASSWORD).status_code == 302
    page = client.get("/consultations/mine").get_data(as_text=True)
    assert "清河片区集体土地征收补偿安置方案" in page, "the assignment to answer"
    assert "《区国有土地上房屋征收评估机构选定办法》" in page, "the draft in hand"
    client.post("/logout")

    for username, role, _display in MORE_USERS:
        user = db.session.scalar(select(User).where(User.username == username))
        assert user is not None and user.has_role(role)
    assert log_in(client, "office", DEMO_PASSWORD).status_code == 302
    assert client.get("/consultations").status_code == 200
    matter = db.session.scalar(select(Matter).where(Matter.status == MatterStatus.CLOSED))
    assert client.get(f"/consultations/{matter.id}").status_code == 200


def test_loading_the_demo_again_leaves_it_as_it_is(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    counts = _counts()
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and "left as it is" in again.output
    assert runner.invoke(args=["demo", "load"]).exit_code != 0
    assert _counts() == counts
    logins = runner.invoke(args=["demo", "logins"]).output
    assert "fanyun" in logins and "lixuemei" in logins


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Matter, Opinion, Assignment, Activity, WorkLog, User, Notification)
    )


def test_last_year_s_evaluations_are_final_and_the_demo_adviser_may_answer(demo):
    from evaluation import reviews
    from evaluation.models import AnnualEvaluation

    evaluations = list(
        db.session.scalars(
            select(AnnualEvaluation).where(AnnualEvaluation.year == today().year - 1)
        )
    )
    assert len(evaluations) >= 5 and all(e.is_final and e.evidence for e in evaluations)
    adviser_user = db.session.scalar(select(User).where(User.username == "adviser"))
    own = next(e for e in evaluations if e.adviser.user_id == adviser_user.id)
    assert reviews.may_ask_review(own)
    told = select(Notification.subject).where(
        Notification.user_id == adviser_user.id, Notification.key == f"evaluation-final:{own.id}"
    )
    assert str(today().year - 1) in db.session.scalar(told)


def test_last_year_s_fund_has_a_paid_reward_for_the_demo_adviser_and_one_approved(demo):
    from evaluation.rewards import queries as reward_queries
    from evaluation.rewards.models import RewardStatus

    year = today().year - 1
    standing = reward_queries.fund_standing(year)
    assert standing.amount == 50000 and standing.allocated == 13000 and standing.paid == 8000
    adviser_user = db.session.scalar(select(User).where(User.username == "adviser"))
    adviser = db.session.scalar(select(Adviser).where(Adviser.user_id == adviser_user.id))
    [mine] = reward_queries.rewards_of(adviser.id)
    assert mine.status is RewardStatus.PAID and mine.amount == 8000


def test_the_demo_pool_lists_professionals_and_leaves_units_without_legal_staff(demo):
    from advisers.pool import queries as pool_queries
    from advisers.pool.models import PoolEntry

    entries = list(db.session.scalars(select(PoolEntry)))
    assert len({e.kind for e in entries}) >= 5 and any(not e.consent for e in entries)
    assert all(e.specialties for e in entries if e.kind.value == "practising_lawyer")
    assert 0 < pool_queries.count_units_without_legal_staff() < 20
    [line] = pool_queries.trainings_of(today().year)
    assert line.attended == 7 and line.marked == 9
