"""Voiding (作废) records entered by mistake, and restoring them.

Every ORM query leaves voided records out, wherever the record appears (the statement's own
entity, a join, a relationship loaded from it), unless the query is executed with
`include_voided=True`. So lists, counts and rules need no filter of their own and cannot
forget one. Each package registers what it lets the office void (`register`): how the record
is named, and the service that voids and restores it; the pages live here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, with_loader_criteria

from core.errors import DomainError
from core.extensions import db
from core.models import Voidable, utcnow

INCLUDE_VOIDED = "include_voided"


def _hide_voided(state: ORMExecuteState) -> None:
    if (
        state.is_select
        and not state.is_column_load
        and not _loads_one_related_record(state)
        and not state.execution_options.get(INCLUDE_VOIDED, False)
    ):
        state.statement = state.statement.options(
            with_loader_criteria(
                Voidable, lambda cls: cls.voided_at.is_(None), include_aliases=True
            )
        )


def _loads_one_related_record(state: ORMExecuteState) -> bool:
    """A many-to-one load (a leave request's meeting) follows a link already made: the record
    at its end is shown as it is. Collections (an adviser's recommendations) are filtered."""
    if not state.is_relationship_load:
        return False
    prop = getattr(state.loader_strategy_path, "prop", None)
    return prop is None or not prop.uselist


def install(session_factory) -> None:
    """Leave voided records out of every query of the application's session."""
    if not event.contains(session_factory, "do_orm_execute", _hide_voided):
        event.listen(session_factory, "do_orm_execute", _hide_voided)


@dataclass(frozen=True)
class VoidKind:
    """What a package lets the office void: one kind of record."""

    #: the name in URLs, e.g. "meeting"
    name: str
    model: type
    #: the kind in words, e.g. _l("Meeting")
    label: object
    #: (record) -> a line naming the record, e.g. its title and date
    describe: Callable[[object], str]
    #: (actor, record, reason) -> None; refuses with DomainError
    void: Callable
    #: (actor, record) -> None; refuses with DomainError
    restore: Callable
    #: (record) -> the record's own page, or None
    link: Callable[[object], str | None]


KINDS: dict[str, VoidKind] = {}


def register(kind: VoidKind) -> None:
    KINDS[kind.name] = kind


def find(kind: VoidKind, record_id: int, *, voided: bool):
    """The record of this kind and id, voided or not as asked; None when there is none."""
    stmt = select(kind.model).where(
        kind.model.id == record_id,
        kind.model.voided_at.is_not(None) if voided else kind.model.voided_at.is_(None),
    )
    return db.session.scalar(stmt.execution_options(**{INCLUDE_VOIDED: True}))


def voided_records(kind: VoidKind, limit: int = 200) -> list:
    """The voided records of this kind, most recently voided first."""
    stmt = (
        select(kind.model)
        .where(kind.model.voided_at.is_not(None))
        .order_by(kind.model.voided_at.desc())
        .limit(limit)
        .execution_options(**{INCLUDE_VOIDED: True})
    )
    return list(db.session.scalars(stmt))


def mark_voided(record: Voidable, actor, reason: str) -> None:
    """Void the record with the reason; refuses a blank reason or a record voided already."""
    if record.is_voided:
        raise DomainError(_("This record is voided already."))
    if not (reason or "").strip():
        raise DomainError(_("Say why the record is voided."), field="reason")
    record.voided_at = utcnow()
    record.voided_by_id = actor.id if actor is not None else None
    record.void_reason = reason.strip()


def clear_void(record: Voidable) -> None:
    """Restore a voided record: it counts again everywhere."""
    if not record.is_voided:
        raise DomainError(_("This record is not voided."))
    record.voided_at = record.voided_by_id = record.void_reason = None
