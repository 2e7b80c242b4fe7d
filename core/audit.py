"""The audit trail: every change to an audited record, written in the same transaction.

A session listener records inserts, updates and deletes of models marked `Audited` right
after each flush, so no service can forget it. The actor is the logged-in user, or the one a
job or command names with `acting_as`.
"""

from __future__ import annotations

import enum
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from core.models import AuditEvent, utcnow

ACTOR_KEY = "audit_actor_id"


def plain(value: Any) -> Any:
    """Turn a column value into something JSON can hold."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj) -> list[str]:
    ignored = obj.__audit_ignore__
    return [attr.key for attr in inspect(obj).mapper.column_attrs if attr.key not in ignored]


def _shown(obj, key: str, value: Any) -> Any:
    return "***" if key in obj.__audit_secret__ else plain(value)


def snapshot(obj) -> dict[str, Any]:
    """Return the object's column values as a JSON-ready dict, secrets masked."""
    return {key: _shown(obj, key, getattr(obj, key)) for key in _columns(obj)}


def _stored_row(session: Session, obj) -> dict[str, Any]:
    """Read the object's row as the database holds it now, before this flush writes it."""
    mapper = inspect(obj).mapper
    pk = mapper.primary_key_from_instance(obj)
    columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
    stmt = select(*columns.values()).where(
        *[column == value for column, value in zip(mapper.primary_key, pk, strict=True)]
    )
    with session.no_autoflush:
        row = session.execute(stmt).one()
    return dict(zip(columns, row, strict=True))


def _previous(session: Session, obj) -> dict[str, Any]:
    """The object's audited values before this flush."""
    state = inspect(obj)
    before, unknown = {}, []
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.deleted:
            before[key] = _shown(obj, key, history.deleted[0])
        elif history.added and not history.unchanged:
            unknown.append(key)  # set while unloaded: the old value was never read
        else:
            before[key] = _shown(obj, key, getattr(obj, key))
    if unknown:
        stored = _stored_row(session, obj)
        before.update({key: _shown(obj, key, stored[key]) for key in unknown})
    return before


def _actor_id(session: Session) -> int | None:
    if ACTOR_KEY in session.info:
        return session.info[ACTOR_KEY]
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _event(session, action, obj, before, after) -> dict[str, Any]:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    record_id = ":".join(str(part) for part in identity)
    return {
        "at": utcnow(),
        "actor_id": _actor_id(session),
        "action": action,
        "record_type": type(obj).__name__,
        "record_id": record_id,
        "before": before,
        "after": after,
    }


def _is_audited(obj) -> bool:
    return getattr(obj, "__audited__", False)


BEFORE_KEY = "audit_before"


def _before_flush(session: Session, _flush_context, _instances) -> None:
    """Note the old values of changed and deleted records while the database still has them."""
    before = session.info.setdefault(BEFORE_KEY, {})
    deleted = set(session.deleted)
    for obj in (*session.dirty, *deleted):
        if not _is_audited(obj):
            continue
        if obj in deleted or session.is_modified(obj, include_collections=False):
            before[id(obj)] = _previous(session, obj)


def _collect(session: Session) -> list[dict[str, Any]]:
    before = session.info.pop(BEFORE_KEY, {})
    rows = []
    for obj in session.new:
        if _is_audited(obj):
            rows.append(_event(session, "create", obj, None, snapshot(obj)))
    for obj in session.dirty:
        if _is_audited(obj) and id(obj) in before:
            after = snapshot(obj)
            if before[id(obj)] != after:
                rows.append(_event(session, "update", obj, before[id(obj)], after))
    for obj in session.deleted:
        if _is_audited(obj) and id(obj) in before:
            rows.append(_event(session, "delete", obj, before[id(obj)], None))
    return rows


def _after_flush(session: Session, _flush_context) -> None:
    rows = _collect(session)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def install(session_factory) -> None:
    """Attach the audit listeners to the application's session."""
    if not event.contains(session_factory, "after_flush", _after_flush):
        event.listen(session_factory, "before_flush", _before_flush)
        event.listen(session_factory, "after_flush", _after_flush)


@contextmanager
def acting_as(session: Session, actor_id: int | None):
    """Attribute changes made inside the block to this user (None: the system)."""
    had, previous = ACTOR_KEY in session.info, session.info.get(ACTOR_KEY)
    session.info[ACTOR_KEY] = actor_id
    try:
        yield
    finally:
        if had:
            session.info[ACTOR_KEY] = previous
        else:
            session.info.pop(ACTOR_KEY, None)
