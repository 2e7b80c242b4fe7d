"""Who hears of what happens to a matter: the office, the department, the advisers on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from advisers.queries import accounts_of
from consultations.models import Matter
from core.extensions import db
from core.models import Role, User, UserRole
from core.notify import notify, path_for, users_with_roles


def office() -> list[User]:
    return users_with_roles(Role.OFFICE)


def leaders() -> list[User]:
    return users_with_roles(Role.VIEWER)


def department(matter: Matter) -> list[User]:
    """The department's liaisons, and whoever made the request."""
    liaisons = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.LIAISON,
            User.department_id == matter.department_id,
            User.is_active.is_(True),
        )
    )
    people = {user.id: user for user in liaisons}
    if matter.created_by is not None and matter.created_by.is_active:
        people.setdefault(matter.created_by.id, matter.created_by)
    return list(people.values())


def advisers(advisers_) -> list[User]:
    return accounts_of(advisers_)


def tell(
    users: Iterable[User],
    matter: Matter,
    key: str,
    subject: Callable[[], str],
    body: Callable[[], str] = lambda: "",
    endpoint: str = "consultations.matter",
) -> None:
    """Notify these users once per key, with a link to the matter; texts in their language."""
    notify(
        users,
        lambda: (subject(), body()),
        link=path_for(endpoint, matter_id=matter.id),
        key=f"matter-{key}:{matter.id}",
    )
