"""Who may see and work on matters.

The office runs everything and leaders read everything; a department liaison sees their own
department's matters and asks for new ones; an adviser sees the matters they are put on, and
does the work their assignment gives them: the lead drafts and signs, co-advisers comment.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from advisers.models import Adviser
from consultations.models import Assignment, AssignmentStatus, Matter, OpinionStatus
from core.models import Role
from core.policy import OFFICE, READERS, Policy

policy = Policy("consultations")

#: roles that read every matter
ALL_MATTERS = frozenset({Role.ADMIN, Role.OFFICE, Role.VIEWER})
#: an assignment that still gives its adviser the matter to read
_SEEING = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED)


def _mine(user, matter: Matter, statuses=_SEEING, lead: bool | None = None):
    return next(
        (
            a
            for a in matter.assignments
            if a.adviser.user_id == user.id
            and a.status in statuses
            and (lead is None or a.is_lead == lead)
        ),
        None,
    )


def _own_department(user, matter: Matter) -> bool:
    return user.has_role(Role.LIAISON) and user.department_id == matter.department_id


def may_see(user, matter: Matter) -> bool:
    """Leaders and the office see all; a liaison their department's; an adviser their own."""
    return user.has_role(*ALL_MATTERS) or _own_department(user, matter) or bool(_mine(user, matter))


def _on_it(user, matter: Matter) -> bool:
    return bool(_mine(user, matter, (AssignmentStatus.ACCEPTED,)))


def _leads_it(user, matter: Matter) -> bool:
    return bool(_mine(user, matter, (AssignmentStatus.ACCEPTED,), lead=True))


def _answers_it(user, assignment: Assignment) -> bool:
    return assignment.adviser.user_id == user.id and assignment.status is AssignmentStatus.PENDING


def _requests_for(user, matter: Matter) -> bool:
    return user.has_role(*OFFICE) or _own_department(user, matter)


def _sees_drafts(user, matter: Matter) -> bool:
    return user.has_role(*OFFICE) or bool(_mine(user, matter, (AssignmentStatus.ACCEPTED,)))


def _sees_opinion(user, opinion) -> bool:
    """Drafts stay with the office and the advisers on the matter; a liaison reads what was
    delivered to the department; leaders read every signed opinion."""
    matter = opinion.matter
    if opinion.status is OpinionStatus.DRAFT:
        return _sees_drafts(user, matter)
    if user.has_role(*ALL_MATTERS) or _mine(user, matter):
        return True
    return _own_department(user, matter) and opinion.delivered_on is not None


READ = policy.allow("read", READERS | {Role.ADVISER})
VIEW = policy.allow("view", READERS | {Role.ADVISER}, check=may_see)
REQUEST = policy.allow("request", {Role.LIAISON, *OFFICE}, check=_requests_for)
MANAGE = policy.allow("manage", OFFICE)
ANSWER = policy.allow("answer", {Role.ADVISER}, check=_answers_it)
DRAFT = policy.allow("draft", {Role.ADVISER}, check=_leads_it)
COMMENT = policy.allow("comment", {Role.ADVISER}, check=_on_it)
LOG_WORK = policy.allow("log_work", {Role.ADVISER}, check=_on_it)
SEE_DRAFTS = policy.allow("see_drafts", {Role.ADVISER, *OFFICE}, check=_sees_drafts)
READ_OPINION = policy.allow("read_opinion", READERS | {Role.ADVISER}, check=_sees_opinion)
RECORD_ADOPTION = policy.allow("record_adoption", {Role.LIAISON, *OFFICE}, check=_requests_for)
ADD_FILES = policy.allow("add_files", {Role.LIAISON, *OFFICE}, check=_requests_for)
OWN = policy.allow("own", {Role.ADVISER})
DEPARTMENT = policy.allow("department", {Role.LIAISON})
READ_ACTIVITIES = policy.allow("read_activities", READERS | {Role.ADVISER})
REPORTS = policy.allow("reports", ALL_MATTERS)


def visible_to(user, stmt):
    """Scope a query of matters to those the user may see."""
    if user.has_role(*ALL_MATTERS):
        return stmt
    seen = []
    if user.has_role(Role.LIAISON) and user.department_id is not None:
        seen.append(Matter.department_id == user.department_id)
    if user.has_role(Role.ADVISER):
        # the adviser's matters as a set, made once: a correlated EXISTS would look through
        # all the adviser's assignments again for every matter listed or counted
        seen.append(
            Matter.id.in_(
                select(Assignment.matter_id)
                .join(Adviser, Adviser.id == Assignment.adviser_id)
                .where(Adviser.user_id == user.id, Assignment.status.in_(_SEEING))
            )
        )
    if not seen:
        return stmt.where(Matter.id.is_(None))
    return stmt.where(or_(*seen))
