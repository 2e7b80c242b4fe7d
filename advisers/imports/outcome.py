"""What a roster import does, row by row: a new adviser, an update (field from → to) or no
change, the term a row opens, and the problems found beside each row. An outcome is plain data,
kept after the transaction that worked it out is rolled back, and has a fingerprint so the
confirmation can tell whether it would still do what the preview showed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from advisers.models import Post
from core.errors import Problem
from core.models import LabelledEnum


class Action(LabelledEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"

    @classmethod
    def labels(cls) -> dict:
        return {cls.NEW: _l("New"), cls.UPDATE: _l("Update"), cls.UNCHANGED: _l("Unchanged")}


@dataclass(frozen=True)
class Change:
    """One field of an adviser changed by a row: its column, as codes and as shown."""

    column: str
    before: str
    after: str
    shown_before: str
    shown_after: str


@dataclass
class RowOutcome:
    """What one row does: create, update or leave an adviser, open a term, or its problems."""

    number: int
    name: str
    action: Action
    adviser_id: int | None = None
    #: the version of the adviser the changes were worked out against
    version: int | None = None
    changes: list[Change] = field(default_factory=list)
    #: the term the row opens, as (post, start, letter number or "")
    new_term: tuple[str, str, str] | None = None
    errors: list[Problem] = field(default_factory=list)

    @property
    def term_text(self) -> str:
        if self.new_term is None:
            return ""
        post, start, letter_no = self.new_term
        if letter_no:
            return _(
                "New term as %(post)s from %(day)s, letter number %(no)s.",
                post=Post(post).label,
                day=start,
                no=letter_no,
            )
        return _(
            "New term as %(post)s from %(day)s; the next letter number is issued.",
            post=Post(post).label,
            day=start,
        )

    def fingerprint(self) -> list:
        changes = [(c.column, c.before, c.after) for c in self.changes]
        return [
            self.number,
            self.action.value,
            self.adviser_id,
            self.version,
            changes,
            self.new_term,
        ]


@dataclass
class Outcome:
    """What importing a file does, row by row, with every problem found beside its row."""

    rows: list[RowOutcome]

    @property
    def errors(self) -> list[Problem]:
        return [p for row in self.rows for p in row.errors]

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action is action)

    @property
    def terms(self) -> int:
        return sum(1 for row in self.rows if row.new_term)

    @property
    def has_changes(self) -> bool:
        return any(row.action is not Action.UNCHANGED for row in self.rows)

    @property
    def digest(self) -> str:
        """A fingerprint of every change: the same file on the same records gives the same."""
        content = json.dumps([row.fingerprint() for row in self.rows], ensure_ascii=False)
        return hashlib.sha256(content.encode()).hexdigest()

    def summary(self) -> str:
        return _(
            "%(new)d new adviser(s), %(updated)d updated, %(unchanged)d unchanged; "
            "%(terms)d new term(s).",
            new=self.count(Action.NEW),
            updated=self.count(Action.UPDATE),
            unchanged=self.count(Action.UNCHANGED),
            terms=self.terms,
        )
