"""Who may see and change the panel: staff read it, the office runs it, an adviser sees theirs."""

from __future__ import annotations

from advisers.models import Adviser
from core.models import Role
from core.policy import EVERYONE, OFFICE, READERS, Policy

policy = Policy("advisers")


def _own_or_reader(user, adviser) -> bool:
    """Staff see every adviser; an adviser sees only their own record."""
    return user.has_role(*READERS) or adviser.user_id == user.id


def _own_record(user, adviser) -> bool:
    return user.has_role(*OFFICE, Role.ADMIN) or adviser.user_id == user.id


READ = policy.allow("read", READERS)
VIEW = policy.allow("view", EVERYONE, check=_own_or_reader)
MANAGE = policy.allow("manage", OFFICE)
OWN = policy.allow("own", {Role.ADVISER})
#: contact details, licence number, declared conflicts and notes: the office's working
#: information, and the adviser's own; liaisons and leaders see who the adviser is, not these
SEE_PRIVATE = policy.allow("see_private", {*OFFICE, Role.ADMIN, Role.ADVISER}, check=_own_record)


def visible_to(user, stmt):
    """Scope a query of advisers to those the user may see."""
    if user.has_role(*READERS):
        return stmt
    return stmt.where(Adviser.user_id == user.id)


#: the talent pool: the office keeps it; the administrator and leaders read the entries listed
#: with consent
POOL_READ = policy.allow("pool_read", {*OFFICE, Role.ADMIN, Role.VIEWER})
POOL_MANAGE = policy.allow("pool_manage", OFFICE)
