"""Reads for the panel's pages: roster, dashboard figures, lists and an adviser's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from advisers import rules
from advisers.models import (
    Adviser,
    Category,
    Nomination,
    NominationStatus,
    Post,
    Specialty,
    Term,
    adviser_specialty,
)
from advisers.settings import panel_limits
from core.extensions import db
from core.models import Role, User, UserRole


def serving_on(day: date):
    """The condition for a term being served on a day."""
    return (Term.start_on <= day) & (Term.last_day >= day)


def advisers_serving_on(day: date) -> list[Adviser]:
    """The advisers serving on a day, by name: a meeting's default invitees, a matter's
    candidates, the people who may give a training."""
    stmt = select(Adviser).join(Term, Term.adviser_id == Adviser.id).where(serving_on(day))
    return list(db.session.scalars(stmt.order_by(Adviser.name)))


@dataclass
class RosterFilters:
    category: str = ""
    post: str = ""
    specialty_id: int | None = None
    query: str = ""

    @property
    def is_empty(self) -> bool:
        return self == RosterFilters()

    def apply(self, stmt):
        if self.category in Category.values():
            stmt = stmt.where(Adviser.category == self.category)
        if self.post in Post.values():
            stmt = stmt.where(Term.post == self.post)
        if self.specialty_id:
            stmt = stmt.where(
                exists().where(
                    adviser_specialty.c.adviser_id == Adviser.id,
                    adviser_specialty.c.specialty_id == self.specialty_id,
                )
            )
        if self.query:
            pattern = f"%{self.query}%"
            stmt = stmt.where(
                or_(
                    Adviser.name.ilike(pattern),
                    Adviser.organisation.ilike(pattern),
                    Adviser.licence_no.ilike(pattern),
                )
            )
        return stmt


#: post order for sorting: director, deputies, members
POST_RANK = {Post.DIRECTOR.value: 0, Post.DEPUTY_DIRECTOR.value: 1, Post.MEMBER.value: 2}

ROSTER_SORTS = {
    "name": Adviser.name,
    "category": Adviser.category,
    "post": case(POST_RANK, value=Term.post),
    "start": Term.start_on,
    "end": Term.end_on,
    "organisation": Adviser.organisation,
}


def roster_statement(day: date, filters: RosterFilters):
    """Serving terms on a day as plain rows for the roster page, filtered.

    Each row has adviser_id, name, post, category, organisation, start_on and end_on; the
    page reads the specialties of its own rows with `specialties_of`.
    """
    stmt = select(
        Term.adviser_id,
        Adviser.name,
        Term.post,
        Adviser.category,
        Adviser.organisation,
        Term.start_on,
        Term.end_on,
    ).join(Term.adviser)
    return filters.apply(stmt.where(serving_on(day)))


def roster_count(day: date, filters: RosterFilters):
    """How many serving terms the roster's filters let through."""
    stmt = select(func.count(Term.id)).join(Term.adviser).where(serving_on(day))
    return filters.apply(stmt)


def specialty_names_of(adviser_ids: list[int], locale: str) -> dict[int, list[str]]:
    """Each adviser's specialties in the language shown, in one query."""
    found: dict[int, list[str]] = {}
    if not adviser_ids:
        return found
    rows = db.session.execute(
        select(adviser_specialty.c.adviser_id, Specialty.name, Specialty.name_en)
        .join(Specialty, Specialty.id == adviser_specialty.c.specialty_id)
        .where(adviser_specialty.c.adviser_id.in_(adviser_ids))
        .order_by(Specialty.name)
    )
    for adviser_id, name, name_en in rows:
        found.setdefault(adviser_id, []).append(Specialty.name_in(locale, name, name_en))
    return found


def roster_terms(day: date, filters: RosterFilters | None = None) -> list[Term]:
    """Every serving term on a day, director first, then deputies, then members by name."""
    stmt = (
        select(Term)
        .join(Term.adviser)
        .where(serving_on(day))
        .options(contains_eager(Term.adviser).selectinload(Adviser.specialties))
    )
    stmt = (filters or RosterFilters()).apply(stmt)
    return list(db.session.scalars(stmt.order_by(ROSTER_SORTS["post"], Adviser.name)))


@dataclass
class PanelSummary:
    """The panel on a day: how many serve in each post, against the limits."""

    day: date
    limits: rules.PanelLimits
    by_post: dict[str, int] = field(default_factory=dict)

    @property
    def members(self) -> int:
        return sum(self.by_post.values())

    @property
    def directors(self) -> int:
        return self.by_post.get(Post.DIRECTOR.value, 0)

    @property
    def deputies(self) -> int:
        return self.by_post.get(Post.DEPUTY_DIRECTOR.value, 0)

    @property
    def shortfalls(self) -> list[rules.Shortfall]:
        return rules.panel_shortfalls(self.members, self.directors, self.deputies, self.limits)


def panel_summary(day: date) -> PanelSummary:
    rows = db.session.execute(
        select(Term.post, func.count(Term.id)).where(serving_on(day)).group_by(Term.post)
    )
    return PanelSummary(day=day, limits=panel_limits(), by_post=dict(rows.all()))


#: a term's renewal, when it has one
_successor = aliased(Term)


def terms_ending(day: date, within_days: int = 90) -> list[Term]:
    """Serving terms whose full term ends within the window and that are not yet renewed."""
    successor = _successor
    stmt = (
        select(Term)
        .join(Term.adviser)
        .where(
            serving_on(day),
            Term.ended_on.is_(None),
            Term.end_on <= day + timedelta(days=within_days),
            ~exists().where(successor.renewal_of_id == Term.id),
        )
        .options(contains_eager(Term.adviser))
        .order_by(Term.end_on, Adviser.name)
    )
    return list(db.session.scalars(stmt))


#: the statuses of a recommendation still in progress
PENDING_NOMINATION = (NominationStatus.RECOMMENDED, NominationStatus.APPROVED)


def pending_nominations() -> list[Nomination]:
    stmt = (
        select(Nomination)
        .join(Nomination.adviser)
        .where(Nomination.status.in_(PENDING_NOMINATION))
        .options(contains_eager(Nomination.adviser))
        .order_by(Nomination.recommended_on, Nomination.id)
    )
    return list(db.session.scalars(stmt))


ADVISER_SORTS = {
    "name": Adviser.name,
    "category": Adviser.category,
    "organisation": Adviser.organisation,
    "created": Adviser.created_at,
}


def advisers_statement(query: str = "", category: str = ""):
    """All advisers, serving or not, as plain rows (id, name, category, organisation)."""
    stmt = select(Adviser.id, Adviser.name, Adviser.category, Adviser.organisation)
    return RosterFilters(category=category, query=query).apply(stmt)


def advisers_count(query: str = "", category: str = ""):
    return RosterFilters(category=category, query=query).apply(select(func.count(Adviser.id)))


@dataclass(frozen=True)
class AdviserLine:
    """One adviser in the list of all advisers, with their standing on the day shown."""

    id: int
    name: str
    category: Category
    organisation: str | None
    standing: rules.Standing
    term_count: int


def adviser_lines(rows, day: date) -> list[AdviserLine]:
    """The advisers of one page with their standing: two queries whatever the page's size."""
    ids = [row.id for row in rows]
    terms: dict[int, list] = {adviser_id: [] for adviser_id in ids}
    pending: dict[int, object] = {}
    if ids:
        for term in db.session.execute(
            select(
                Term.adviser_id,
                Term.post,
                Term.start_on,
                Term.last_day.label("last_day"),
                Term.end_reason,
            )
            .where(Term.adviser_id.in_(ids))
            .order_by(Term.start_on)
        ):
            terms[term.adviser_id].append(term)
        for nomination in db.session.execute(
            select(Nomination.adviser_id, Nomination.status)
            .where(Nomination.adviser_id.in_(ids), Nomination.status.in_(PENDING_NOMINATION))
            .order_by(Nomination.recommended_on.desc())
        ):
            pending[nomination.adviser_id] = nomination
    return [
        AdviserLine(
            row.id,
            row.name,
            row.category,
            row.organisation,
            rules.standing_on(day, terms[row.id], pending.get(row.id)),
            len(terms[row.id]),
        )
        for row in rows
    ]


def renewed_term_ids(terms: list[Term]) -> set[int]:
    """Which of these terms have been renewed, in one query."""
    ids = [t.id for t in terms]
    if not ids:
        return set()
    return set(db.session.scalars(select(Term.renewal_of_id).where(Term.renewal_of_id.in_(ids))))


def specialty_choices(locale: str, active_only: bool = True) -> list[tuple[int, str]]:
    """(id, name in the language shown) for each specialty, for filters and forms."""
    return [(s.id, s.label(locale)) for s in specialties(active_only)]


def specialties(active_only: bool = True) -> list[Specialty]:
    stmt = select(Specialty).order_by(Specialty.name)
    if active_only:
        stmt = stmt.where(Specialty.is_active.is_(True))
    return list(db.session.scalars(stmt))


def adviser_account_choices() -> list[tuple[int, str]]:
    """The login accounts with the adviser role, as (id, "name (login)") choices."""
    rows = db.session.execute(
        select(User.id, User.display_name, User.username)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ADVISER)
        .order_by(User.username)
    )
    return [(uid, f"{name} ({login})") for uid, name, login in rows]


def accounts_of(advisers) -> list[User]:
    """The active login accounts of these advisers, for notifications."""
    return [a.user for a in advisers if a.user is not None and a.user.is_active]


def adviser_for_user(user_id: int) -> Adviser | None:
    return db.session.scalar(select(Adviser).where(Adviser.user_id == user_id))


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str
    text: str
    detail: str = ""


def adviser_timeline(adviser: Adviser) -> list[TimelineEntry]:
    """The adviser's history, newest first: recommendations, approvals, terms and their ends."""
    from flask_babel import gettext as _

    entries = []
    for n in adviser.nominations:
        entries.append(
            TimelineEntry(
                n.recommended_on,
                "recommended",
                _("Recommended as %(post)s", post=n.post.label),
                n.reason,
            )
        )
        if n.approved_on:
            entries.append(
                TimelineEntry(
                    n.approved_on,
                    "approved",
                    _("Approved by the district government"),
                    n.approval_doc_no or "",
                )
            )
        if n.declined_on:
            entries.append(
                TimelineEntry(
                    n.declined_on, "declined", _("Recommendation declined"), n.decline_reason or ""
                )
            )
    for t in adviser.terms:
        text = (
            _("Renewed as %(post)s", post=t.post.label)
            if t.renewal_of_id
            else _("Appointed as %(post)s", post=t.post.label)
        )
        entries.append(TimelineEntry(t.start_on, "appointed", text, t.letter_no))
        if t.end_reason:
            entries.append(
                TimelineEntry(t.ended_on, t.end_reason, t.end_reason.label, t.end_note or "")
            )
    return sorted(entries, key=lambda e: e.day, reverse=True)
