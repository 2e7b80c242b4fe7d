"""Writing the audit trail: every change to an audited record, and every account event.

A session listener records inserts, updates and deletes of models marked `Audited` right
after each flush, so no service can forget it. The actor is the logged-in user, or the one a
job or command names with `acting_as`. Every event of one transaction (a request, a job run,
a command) shares a change set, so the trail can show one action as one entry; events
written during a request keep the client's address.
"""

from __future__ import annotations

import enum
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from core.audit.registry import EVENTS, record_type
from core.extensions import db
from core.models import AuditEvent, User, utcnow

ACTOR_KEY = "audit_actor_id"
BEFORE_KEY = "audit_before"
CHANGE_SET_KEY = "audit_change_set"
#: (type, id, column) of masked columns whose change an account event already tells
EXPLAINED_KEY = "audit_explained"
#: what a masked column holds in the trail
MASK = "***"
#: what a masked column holds after an update that changed it: the change shows, the value not
NEW_SECRET = "*** (new)"
LABEL_LENGTH = 200


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
    return MASK if key in obj.__audit_secret__ else plain(value)


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


def _previous(session: Session, obj) -> tuple[dict[str, Any], set[str]]:
    """The object's audited values before this flush, and the masked columns it changes."""
    state = inspect(obj)
    raw, unknown = {}, []
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.deleted:
            raw[key] = history.deleted[0]
        elif history.added and not history.unchanged:
            unknown.append(key)  # set while unloaded: the old value was never read
        else:
            raw[key] = getattr(obj, key)
    if unknown:
        stored = _stored_row(session, obj)
        raw.update({key: stored[key] for key in unknown})
    renewed = {key for key in obj.__audit_secret__ if key in raw and raw[key] != getattr(obj, key)}
    return {key: _shown(obj, key, value) for key, value in raw.items()}, renewed


def _actor_id(session: Session) -> int | None:
    if ACTOR_KEY in session.info:
        return session.info[ACTOR_KEY]
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def change_set(session: Session) -> str:
    """The id shared by every event of the session's current transaction."""
    current = session.info.get(CHANGE_SET_KEY)
    if current is None:
        current = session.info[CHANGE_SET_KEY] = uuid4().hex
    return current


def _client_ip() -> str | None:
    if not has_request_context():
        return None
    from core.auth import client_ip  # core.auth records sign-ins through this module

    return client_ip()


def _record_id(obj) -> str:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in identity)


def _title(obj) -> str | None:
    described = record_type(type(obj).__name__)
    if described is None or described.title is None:
        return None
    title = described.title(obj)
    return str(title)[:LABEL_LENGTH] if title else None


def _parent(obj) -> tuple[str | None, str | None]:
    described = record_type(type(obj).__name__)
    found = described.parent_of(obj) if described is not None else None
    return found or (None, None)


def _event(session, action, obj, before, after) -> dict[str, Any]:
    parent_type, parent_id = _parent(obj)
    return {
        "at": utcnow(),
        "actor_id": _actor_id(session),
        "action": action,
        "record_type": type(obj).__name__,
        "record_id": _record_id(obj),
        "record_label": _title(obj),
        "parent_type": parent_type,
        "parent_id": parent_id,
        "before": before,
        "after": after,
        "change_set": change_set(session),
        "client_ip": _client_ip(),
    }


def _is_audited(obj) -> bool:
    return getattr(obj, "__audited__", False)


def _before_flush(session: Session, _flush_context, _instances) -> None:
    """Note the old values of changed and deleted records while the database still has them."""
    before = session.info.setdefault(BEFORE_KEY, {})
    deleted = set(session.deleted)
    for obj in (*session.dirty, *deleted):
        if not _is_audited(obj):
            continue
        if obj in deleted or session.is_modified(obj, include_collections=False):
            before[id(obj)] = _previous(session, obj)


def _unexplained(session: Session, obj, renewed: set[str]) -> set[str]:
    explained = session.info.get(EXPLAINED_KEY, set())
    key = (type(obj).__name__, _record_id(obj))
    return {column for column in renewed if (*key, column) not in explained}


def _collect(session: Session) -> list[dict[str, Any]]:
    before = session.info.pop(BEFORE_KEY, {})
    rows = []
    for obj in session.new:
        if _is_audited(obj):
            rows.append(_event(session, "create", obj, None, snapshot(obj)))
    for obj in session.dirty:
        if _is_audited(obj) and id(obj) in before:
            old, renewed = before[id(obj)]
            after = snapshot(obj)
            after.update(dict.fromkeys(_unexplained(session, obj, renewed), NEW_SECRET))
            if old != after:
                rows.append(_event(session, "update", obj, old, after))
    for obj in session.deleted:
        if _is_audited(obj) and id(obj) in before:
            rows.append(_event(session, "delete", obj, before[id(obj)][0], None))
    return rows


def _after_flush(session: Session, _flush_context) -> None:
    rows = _collect(session)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def _end_change_set(session: Session, transaction) -> None:
    """A transaction ended: the next one is another action."""
    if transaction.parent is None:
        for key in (CHANGE_SET_KEY, EXPLAINED_KEY, BEFORE_KEY):
            session.info.pop(key, None)


def install(session_factory) -> None:
    """Attach the audit listeners to the application's session."""
    if not event.contains(session_factory, "after_flush", _after_flush):
        event.listen(session_factory, "before_flush", _before_flush)
        event.listen(session_factory, "after_flush", _after_flush)
        event.listen(session_factory, "after_transaction_end", _end_change_set)


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


# --- account events --------------------------------------------------------------------

#: `actor` left out: whoever is acting now (the logged-in user, or the one `acting_as` names)
CURRENT: Any = object()


def _unproxied(record):
    """The record itself, when given through a proxy such as flask_login's current_user."""
    unwrap = getattr(record, "_get_current_object", None)
    return unwrap() if unwrap is not None else record


def explain(record, *columns: str) -> None:
    """Say that the coming change of these masked columns is told already, or is no change
    at all (a password hashed anew), so the trail adds no sentence for it."""
    record = _unproxied(record)
    explained = db.session.info.setdefault(EXPLAINED_KEY, set())
    key = (type(record).__name__, _record_id(record))
    explained.update((*key, column) for column in columns)


def record_event(
    action: str, target: User | None = None, *, actor: Any = CURRENT, details=None
) -> None:
    """Write an account event (a login, a password reset): who, to whom, when, from where.

    `target` is the account concerned, None when nobody has the username that was tried
    (give it in `details`). The event is written with the transaction, and it accounts for
    the masked columns its kind names, so their change adds no second sentence. Call it
    before the change is flushed.
    """
    session = db.session
    target = _unproxied(target)
    kind = EVENTS.get(action)
    if target is not None and kind is not None:
        explain(target, *kind.explains)
    actor_id = _actor_id(session) if actor is CURRENT else (actor.id if actor else None)
    session.add(
        AuditEvent(
            at=utcnow(),
            actor_id=actor_id,
            action=action,
            record_type=type(target).__name__ if target is not None else User.__name__,
            record_id=_record_id(target) if target is not None else "",
            record_label=_title(target) if target is not None else None,
            after=details or None,
            change_set=change_set(session),
            client_ip=_client_ip(),
        )
    )
