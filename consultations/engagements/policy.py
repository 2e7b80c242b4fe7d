"""Who may see and keep the engagements register: the office keeps it, leaders and
administrators read all of it, a department's liaison reads their own department's
engagements only; advisers do not see it.
"""

from __future__ import annotations

from sqlalchemy import false

from consultations.engagements.models import Engagement
from core.models import Role
from core.policy import OFFICE, READERS, Policy

policy = Policy("engagements")

#: roles that read every engagement; a liaison reads only their own department's
READ_ALL = frozenset({Role.ADMIN, Role.OFFICE, Role.VIEWER})


def _may_see(user, engagement) -> bool:
    """Staff see every engagement; a liaison sees those of their own department."""
    if user.has_role(*READ_ALL):
        return True
    return user.department_id is not None and engagement.department_id == user.department_id


READ = policy.allow("read", READERS)
VIEW = policy.allow("view", READERS, check=_may_see)
MANAGE = policy.allow("manage", OFFICE)


def visible_to(user, stmt):
    """Scope a query of engagements to those the user may see."""
    if user.has_role(*READ_ALL):
        return stmt
    if user.has_role(Role.LIAISON) and user.department_id is not None:
        return stmt.where(Engagement.department_id == user.department_id)
    return stmt.where(false())
