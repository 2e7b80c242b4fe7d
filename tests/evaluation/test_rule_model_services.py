"""The dismissal rule as the services apply it on a real database, against the independent
model of `test_rule_model.py`, over generated histories of the office's work: meetings held
with marks, marks corrected (and corrected back), the threshold changed (3 → 4 → 3), and a
one-year term that expires into a renewal, or does not.

After every step, the open cases must be exactly the serving advisers the model says meet the
rule: a case lapses when its evidence goes and comes back when it returns.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from advisers import services as panel_services
from advisers.models import Post, Term
from core import services as core_services
from core import settings as core_settings
from core.extensions import db
from core.i18n import today
from core.models import Role
from evaluation import services as evaluation_services
from evaluation.models import CandidateStatus, DismissalCandidate
from meetings import services
from meetings.models import MeetingKind
from tests.conftest import _empty_tables, _seed_defaults
from tests.evaluation.test_rule_model import model

MARKS = ["present", "absent", "excused", None]
#: absences drawn more often, so that the rule is met, lapses and returns within a history
DRAWN_MARKS = st.sampled_from(["absent", "absent", "absent", "present", "excused", None])
GAP = 30  # days between meetings
FIRST_TERM_DAYS = 200  # the first term began this long before the first meeting

steps = st.lists(
    st.one_of(
        st.tuples(st.just("hold"), DRAWN_MARKS, DRAWN_MARKS),
        st.tuples(st.just("hold"), DRAWN_MARKS, DRAWN_MARKS),
        st.tuples(
            st.just("correct"),
            st.integers(0, 11),
            st.integers(0, 1),
            st.sampled_from(MARKS[:3]),
        ),
        st.tuples(st.just("threshold"), st.integers(2, 4)),
        st.tuples(st.just("renew"), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=20,
)


class Office:
    """Two advisers on one-year terms and the office's actions on them."""

    def __init__(self):
        self.today = today()
        self.base = self.today - timedelta(days=GAP * 12)
        self.admin = core_services.create_user(
            None, username="admin", password="correct-horse-battery", display_name="管理员",
            roles=[Role.ADMIN],
        )  # fmt: skip
        core_settings.change_setting(None, "panel.term_years", "1")
        self.terms = [self._appoint(name) for name in ("甲", "乙")]
        self.meetings = []
        db.session.commit()

    def _appoint(self, name: str) -> Term:
        adviser = panel_services.save_adviser(
            None, None, name=name, gender="male", category="practising_lawyer"
        )
        start = self.base - timedelta(days=FIRST_TERM_DAYS)
        nomination = panel_services.recommend_adviser(
            None, adviser, post=Post.MEMBER, recommended_on=start
        )
        panel_services.approve_nomination(None, nomination, approved_on=start, doc_no="1")
        return panel_services.appoint_adviser(None, nomination, post=Post.MEMBER, start_on=start)

    def hold(self, *marks) -> None:
        if len(self.meetings) == 12:
            return
        day = self.base + timedelta(days=GAP * len(self.meetings))
        starts_at = datetime.combine(day, time(2, 0), tzinfo=UTC)
        meeting = services.plan_meeting(
            None, kind=MeetingKind.REGULAR, title=f"会议{len(self.meetings)}", place="会议室",
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
        )  # fmt: skip
        services.hold_meeting(None, meeting)
        self.meetings.append(meeting)
        self._mark(meeting, dict(enumerate(marks)))

    def _mark(self, meeting, marks: dict[int, str | None]) -> None:
        chosen = {}
        for invitation in meeting.invitations:
            index = self._index_of(invitation.adviser_id)
            if marks.get(index):
                reason = "事假" if marks[index] == "excused" else ""
                chosen[invitation.id] = (marks[index], reason)
        if chosen:
            services.record_attendance(None, meeting, chosen)

    def _index_of(self, adviser_id: int) -> int:
        return [t.adviser_id for t in self.terms].index(adviser_id)

    def correct(self, position: int, index: int, mark: str) -> None:
        if position < len(self.meetings):
            self._mark(self.meetings[position], {index: mark})

    def threshold(self, consecutive: int) -> None:
        rule = evaluation_services.current_rule_version()
        evaluation_services.change_dismissal_rule(
            self.admin, consecutive_absences=str(consecutive), min_rate=str(rule.min_rate),
            window_months=str(rule.window_months), min_meetings=str(rule.min_meetings),
        )  # fmt: skip

    def renew(self, index: int) -> None:
        term = self.terms[index]
        if panel_services.successor_of(term) is None:
            panel_services.renew_term(None, term, approved_on=term.start_on, doc_no=f"续{index}")

    def settle(self) -> None:
        """The nightly work: terms past their end expire; the rule is applied."""
        panel_services.expire_terms(self.today)
        evaluation_services.evaluate_advisers(None, self.today)
        db.session.commit()

    def expected_open(self) -> set[int]:
        rule = evaluation_services.current_rule_version().as_rule()
        expected = set()
        for term in self.terms:
            renewed = panel_services.successor_of(term) is not None
            if not (renewed or term.is_serving_on(self.today)):
                continue  # no longer serving: any case lapses
            records = [
                (m.starts_at, m.id, i.mark)
                for m in self.meetings
                for i in m.invitations
                if i.adviser_id == term.adviser_id
            ]
            if model(records, rule, term.start_on, self.today):
                expected.add(term.adviser_id)
        return expected


def open_cases() -> set[int]:
    stmt = select(DismissalCandidate.adviser_id).where(
        DismissalCandidate.status == CandidateStatus.OPEN
    )
    return set(db.session.scalars(stmt))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps)
def test_the_services_open_exactly_the_cases_the_model_expects(app, history):
    _empty_tables()
    _seed_defaults()
    office = Office()
    for name, *arguments in history:
        getattr(office, name)(*arguments)
        office.settle()
        assert open_cases() == office.expected_open(), (name, arguments)
