"""Pure rules of consultations: the eight kinds, conflict matching, ranking suggestions, due
states and opinion numbers. No database, no Flask."""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


class Kind(enum.StrEnum):
    """The eight duties of seed 六.3, numbered as the plan numbers them."""

    DECISION = "decision"
    NORMATIVE = "normative"
    CONTRACT = "contract"
    DISPUTE = "dispute"
    LITIGATION = "litigation"
    TRAINING = "training"
    PUBLICITY = "publicity"
    OTHER = "other"

    @property
    def number(self) -> int:
        return list(Kind).index(self) + 1

    @property
    def is_activity(self) -> bool:
        """Training and publicity are given as activities, not written opinions."""
        return self in (Kind.TRAINING, Kind.PUBLICITY)


#: working days each kind is commonly given, until the office sets its own
DEFAULT_PERIODS = {
    Kind.DECISION: 10,
    Kind.NORMATIVE: 15,
    Kind.CONTRACT: 10,
    Kind.DISPUTE: 15,
    Kind.LITIGATION: 5,
    Kind.TRAINING: 20,
    Kind.PUBLICITY: 20,
    Kind.OTHER: 10,
}


class Adoption(enum.StrEnum):
    ADOPTED = "adopted"
    PARTLY = "partly"
    NOT_ADOPTED = "not_adopted"


def needs_leaders(kind: Kind, adoption: Adoption) -> bool:
    """An opinion on a major decision that was not adopted goes before the leaders."""
    return kind is Kind.DECISION and adoption is Adoption.NOT_ADOPTED


# --- names, for the conflict check -------------------------------------------------------

#: words that differ between two spellings of the same organisation
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "律师事务所", "事务所", "公司")
#: shorter names match too much (张三 in 张三丰) to block anyone on their own
MIN_NAME = 2


def normalise_name(name: str) -> str:
    """A name reduced for comparison: full-width to half-width, case, spaces and punctuation
    gone, and the legal-form suffix dropped (XX有限公司 and XX公司 are one party)."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", name or "").casefold())
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) - len(suffix) >= MIN_NAME:
            return text[: -len(suffix)]
    return text


def names_of(text: str) -> list[str]:
    """The names in a free-text list: one per line, or separated by ；;、,，"""
    return [part.strip() for part in re.split(r"[\n;；、,，]+", text or "") if part.strip()]


@dataclass(frozen=True)
class Conflict:
    """A party of the matter that the adviser has a declared tie with."""

    party: str
    #: "declared" (the adviser's declared conflicts) or "organisation" (their firm or unit)
    source: str
    declared: str


def conflicts(parties: Iterable[str], declared: Iterable[str], organisation: str | None):
    """The matter's parties that match the adviser's declared conflicts or organisation.

    Names match when one normalised name contains the other, so 江南建设 matches
    江南建设集团有限公司; names shorter than two characters never match on their own.
    """
    ties = [(name, "declared") for name in declared]
    if organisation:
        ties.append((organisation, "organisation"))
    found = []
    for party in parties:
        mine = normalise_name(party)
        if len(mine) < MIN_NAME:
            continue
        for name, source in ties:
            theirs = normalise_name(name)
            if len(theirs) >= MIN_NAME and (mine in theirs or theirs in mine):
                found.append(Conflict(party, source, name))
                break
    return found


# --- suggestions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the suggestion weighs about one serving adviser."""

    adviser_id: int
    name: str
    fits: bool
    open_matters: int
    due_soon: int
    days_since_last: int | None
    #: the last day of the adviser's current term
    term_last_day: date
    #: approved absences within the matter's period, as short labels
    absences: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: int
    blocked: bool
    term_ends_first: bool
    reasons: list[str] = field(default_factory=list)


#: what each fact is worth; a conflict blocks whatever the score
FIT_POINTS = 30
OPEN_PENALTY = 8
DUE_SOON_PENALTY = 6
ABSENCE_PENALTY = 15
TERM_ENDS_PENALTY = 40
#: a long wait without work earns up to this much, a point a week
IDLE_POINTS_MAX = 15


def score(candidate: Candidate, due_on: date) -> int:
    """Higher is a better choice: specialty fit, light load, present, and not used lately."""
    points = FIT_POINTS if candidate.fits else 0
    points -= OPEN_PENALTY * candidate.open_matters + DUE_SOON_PENALTY * candidate.due_soon
    points -= ABSENCE_PENALTY * len(candidate.absences)
    if candidate.term_last_day < due_on:
        points -= TERM_ENDS_PENALTY
    waited = IDLE_POINTS_MAX * 7 if candidate.days_since_last is None else candidate.days_since_last
    return points + min(waited // 7, IDLE_POINTS_MAX)


def rank(candidates: Iterable[Candidate], due_on: date) -> list[Suggestion]:
    """Every candidate, best first; blocked ones (a conflict) last, then by name."""
    suggestions = [
        Suggestion(
            candidate=c,
            score=score(c, due_on),
            blocked=bool(c.conflicts),
            term_ends_first=c.term_last_day < due_on,
        )
        for c in candidates
    ]
    return sorted(suggestions, key=lambda s: (s.blocked, -s.score, s.candidate.name))


# --- due dates -------------------------------------------------------------------------


class Due(enum.StrEnum):
    ON_TIME = "on_time"
    SOON = "soon"
    TODAY = "today"
    OVERDUE = "overdue"


def due_state(due_on: date, today: date, working_days_left: int, soon: int) -> Due:
    """How a due date stands today, `working_days_left` counted on the working-day calendar."""
    if due_on < today:
        return Due.OVERDUE
    if due_on == today:
        return Due.TODAY
    return Due.SOON if working_days_left <= soon else Due.ON_TIME


def on_time(due_on: date, submitted_on: date | None) -> bool | None:
    """Whether an opinion came by its due date; None while none has been submitted."""
    return None if submitted_on is None else submitted_on <= due_on


def hours_problem(hours) -> str | None:
    """What is wrong with one day's hours (a Decimal, in quarter hours), or None."""
    if hours <= 0:
        return "not_positive"
    if hours > 24:
        return "over_a_day"
    if (hours * 4) % 1:
        return "too_fine"
    return None


def reference(year: int, seq: int) -> str:
    """A matter's office reference: 2026-0042."""
    return f"{year}-{seq:04d}"
