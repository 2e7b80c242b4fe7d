"""Who hears of what happens to a case: the office, the leaders, the lawyer team, and the
department's liaisons, who carry word to their heads (heads have no account of their own)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from advisers.queries import accounts_of
from cases.models import Case, CaseDeadline
from core.extensions import db
from core.models import Role, User, UserRole
from core.notify import notify, path_for, users_with_roles


def office() -> list[User]:
    return users_with_roles(Role.OFFICE)


def leaders() -> list[User]:
    return users_with_roles(Role.VIEWER)


def team(case: Case) -> list[User]:
    """The accounts of the advisers on the case's lawyer team (not replaced)."""
    return accounts_of([member.adviser for member in case.active_members])


def department(case: Case) -> list[User]:
    """The liaisons of the case's department; the district government's own case has none, so
    the office stands in for it."""
    if case.department_id is None:
        return []
    return liaisons_of(case.department_id)


def liaisons_of(department_id: int) -> list[User]:
    """The active liaisons of a department."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == Role.LIAISON,
                User.department_id == department_id,
                User.is_active.is_(True),
            )
        )
    )


def everyone(case: Case) -> list[User]:
    """The team, the office and the department: who hears of a deadline coming."""
    return unique(team(case) + office() + department(case))


def about_deadline(deadline: CaseDeadline) -> str:
    """The body of a notice about a deadline: whose case, who must act, under which article."""
    case = deadline.case
    return _(
        "%(party)s, %(cause)s. Who must act: %(who)s. %(article)s",
        party=case.government_party,
        cause=case.cause,
        who=deadline.party_label,
        article=deadline.article,
    )


def unique(users: Iterable[User]) -> list[User]:
    return list({user.id: user for user in users}.values())


def tell(
    users: Iterable[User],
    case: Case,
    key: str,
    subject: Callable[[], str],
    body: Callable[[], str] = lambda: "",
) -> None:
    """Notify these users once per key, with a link to the case; texts in their language."""
    notify(
        unique(users),
        lambda: (subject(), body()),
        link=path_for("cases.case", case_id=case.id),
        key=f"case-{key}:{case.id}",
    )
