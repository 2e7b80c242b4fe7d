"""Pure rules of the lawsuits register: the lawyer team's threshold and who is put on it.

No Flask, no database: the facts about each serving adviser come in as `Candidate`s, and
`choose_team` says who sits on the team, who leads it, and which required category nobody
could fill.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

#: seed 六.4: "涉案标的额达到50万元以上" — 以上 includes the number itself
DEFAULT_THRESHOLD = Decimal("500000.00")
DEFAULT_TEAM_SIZE = 3
#: the categories (advisers.models.Category values) a team must hold at least one of each
PRACTISING_LAWYER = "practising_lawyer"
PUBLIC_LAWYER = "public_lawyer"
REQUIRED_CATEGORIES = (PRACTISING_LAWYER, PUBLIC_LAWYER)


def needs_team(amount: Decimal | None, threshold: Decimal = DEFAULT_THRESHOLD) -> bool:
    """Whether a case of this amount gets a lawyer team: the threshold itself does."""
    return amount is not None and amount >= threshold


def crosses_threshold(old: Decimal | None, new: Decimal | None, threshold: Decimal) -> bool:
    """Whether an edit brings the amount from below the threshold to it or above."""
    return needs_team(new, threshold) and not needs_team(old, threshold)


def falls_below(old: Decimal | None, new: Decimal | None, threshold: Decimal) -> bool:
    """Whether an edit brings the amount from the threshold or above to below it."""
    return needs_team(old, threshold) and not needs_team(new, threshold)


@dataclass(frozen=True)
class Candidate:
    """What the choice weighs about one serving adviser."""

    adviser_id: int
    name: str
    category: str
    #: one of their specialties fits the case's field of law
    fits: bool
    #: open matters and open cases they work on
    open_work: int
    #: days since they were last put on a lawyer team; None if never
    days_since_last_team: int | None
    #: parties of the case that match their declared conflicts or organisation
    conflicts: tuple[str, ...] = ()

    @property
    def free(self) -> bool:
        return not self.conflicts


def preference(candidate: Candidate) -> tuple:
    """Sort key, best first: fits the field, lightest workload, longest off a team (never
    first), then by name so the choice is the same each time."""
    days = candidate.days_since_last_team
    never = days is None
    return (not candidate.fits, candidate.open_work, not never, -(days or 0), candidate.name)


@dataclass
class Choice:
    """Who sits on a team: the lead first, and the required categories nobody could fill."""

    members: list[Candidate] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def lead(self) -> Candidate | None:
        return self.members[0] if self.members else None


def choose_team(
    candidates: Iterable[Candidate],
    size: int = DEFAULT_TEAM_SIZE,
    keep: Iterable[int] = (),
) -> Choice:
    """Choose a team of `size` from the free candidates: first the best of each required
    category, then the best of the rest. Advisers in `keep` (already on the team) stay and
    count towards the categories. The lead is the best-placed member; a category nobody free
    holds is reported missing, never silently skipped."""
    ranked = sorted((c for c in candidates if c.free), key=preference)
    kept_ids = set(keep)
    chosen = [c for c in ranked if c.adviser_id in kept_ids]
    choice = Choice()
    for category in REQUIRED_CATEGORIES:
        if any(c.category == category for c in chosen):
            continue
        best = next((c for c in ranked if c.category == category and c not in chosen), None)
        if best is None:
            choice.missing.append(category)
        else:
            chosen.append(best)
    rest = (c for c in ranked if c not in chosen)
    while len(chosen) < size and (candidate := next(rest, None)) is not None:
        chosen.append(candidate)
    choice.members = sorted(chosen, key=preference)
    return choice
