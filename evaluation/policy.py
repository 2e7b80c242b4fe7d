"""Who may see and decide the dismissal cases: overseers read them, the office decides, and the
administrator sets the rule's thresholds. The office evaluates each year's service under a
scheme it sets; overseers read the evaluations.
"""

from __future__ import annotations

from core.models import Role
from core.policy import ADMIN, OFFICE, Policy

policy = Policy("evaluation")

#: the office, the administrator and leadership follow the dismissal cases
OVERSEERS = frozenset({Role.ADMIN, Role.OFFICE, Role.VIEWER})


def _own_evaluation(user, evaluation) -> bool:
    return evaluation.adviser.user_id == user.id


READ = policy.allow("read", OVERSEERS)
DECIDE = policy.allow("decide", OFFICE)
CHANGE_RULE = policy.allow("change_rule", ADMIN)
#: the yearly evaluation: the office sets the scheme and grades; overseers read
EVALUATE = policy.allow("evaluate", OFFICE)
SET_SCHEME = policy.allow("set_scheme", OFFICE)
#: an adviser reads their own final evaluations, comments on them and may ask for a review
OWN = policy.allow("own", {Role.ADVISER})
RESPOND = policy.allow("respond", {Role.ADVISER}, check=_own_evaluation)
#: rewards: the office sets the fund, nominates, records approvals, allocates and pays
REWARD = policy.allow("reward", OFFICE)
