"""Who may see and work on the lawsuits register.

The office runs everything and leaders read everything; a department liaison sees their own
department's cases; an adviser sees the cases whose lawyer team they are on (not replaced).
"""

from __future__ import annotations

from sqlalchemy import or_, select

from advisers.models import Adviser
from cases.models import Case, CaseMember, FollowUp, MemberStatus
from core.models import Role
from core.policy import OFFICE, READERS, Policy

policy = Policy("cases")

#: roles that read every case
ALL_CASES = frozenset({Role.ADMIN, Role.OFFICE, Role.VIEWER})


def _own_department(user, case: Case) -> bool:
    return (
        user.has_role(Role.LIAISON)
        and user.department_id is not None
        and user.department_id == case.department_id
    )


def _on_team(user, case: Case) -> bool:
    return user.has_role(Role.ADVISER) and any(
        m.adviser.user_id == user.id for m in case.active_members
    )


def may_see(user, case: Case) -> bool:
    """Leaders and the office see all; a liaison their department's; an adviser their team's."""
    return user.has_role(*ALL_CASES) or _own_department(user, case) or _on_team(user, case)


READ = policy.allow("read", READERS | {Role.ADVISER})
VIEW = policy.allow("view", READERS | {Role.ADVISER}, check=may_see)
MANAGE = policy.allow("manage", OFFICE)
TEAM_RULE = policy.allow("team_rule", OFFICE)


def _is_the_member(user, member) -> bool:
    return member is not None and member.adviser.user_id == user.id


#: a team member declares their own conflict on a case
DECLARE_CONFLICT = policy.allow("declare_conflict", {Role.ADVISER}, check=_is_the_member)


def visible_to(user, stmt):
    """Scope a query of cases to those the user may see."""
    if user.has_role(*ALL_CASES):
        return stmt
    seen = []
    if user.has_role(Role.LIAISON) and user.department_id is not None:
        seen.append(Case.department_id == user.department_id)
    if user.has_role(Role.ADVISER):
        seen.append(
            Case.id.in_(
                select(CaseMember.case_id)
                .join(Adviser, Adviser.id == CaseMember.adviser_id)
                .where(Adviser.user_id == user.id, CaseMember.status != MemberStatus.REPLACED)
            )
        )
    if not seen:
        return stmt.where(Case.id.is_(None))
    return stmt.where(or_(*seen))


# --- court suggestions and reconsideration decisions to perform (FollowUp) ---------------


def _answers_for(user, follow_up) -> bool:
    """A liaison answers for their own department's follow-ups."""
    return (
        user.has_role(Role.LIAISON)
        and user.department_id is not None
        and user.department_id == follow_up.department_id
    )


def may_see_follow_up(user, follow_up) -> bool:
    """Leaders and the office see all; a liaison their department's."""
    return user.has_role(*ALL_CASES) or _answers_for(user, follow_up)


def may_reply(user, follow_up) -> bool:
    """The office records any reply; a liaison their department's."""
    return user.has_role(*OFFICE) or _answers_for(user, follow_up)


FOLLOW_UPS = policy.allow("follow_ups", READERS)
FOLLOW_UP = policy.allow("follow_up", READERS, check=may_see_follow_up)
REPLY = policy.allow("reply", OFFICE | {Role.LIAISON}, check=may_reply)


def follow_ups_visible_to(user, stmt):
    """Scope a query of follow-ups to those the user may see."""
    if user.has_role(*ALL_CASES):
        return stmt
    if user.has_role(Role.LIAISON) and user.department_id is not None:
        return stmt.where(FollowUp.department_id == user.department_id)
    return stmt.where(FollowUp.id.is_(None))
