"""How audited records and account events read in the audit trail.

Core knows no domain package, so each package describes its own models here from its
`init_app` (`describe`): what the record type is called, how to name one record, what its
fields are called, which page shows it, and the words for its usual changes. The trail's
reader turns raw events into sentences with nothing but this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select

#: fields that change with every save and say nothing to a reader
BOOKKEEPING = frozenset({"id", "version"})


@dataclass(frozen=True)
class Page:
    """The page that shows a record: an endpoint, its id argument and the field that fills it.

    `argument=None` is a page without arguments (the settings page); `field="id"` is the
    record's own id, another field is a reference (a term is shown on its adviser's page).
    """

    endpoint: str
    argument: str | None = None
    field: str = "id"


@dataclass(frozen=True)
class RecordType:
    """The words and links for one audited model."""

    model: type
    #: what one record of this type is called ("Adviser"), lazily translated
    label: Any
    #: field → its label; a field left out reads as its column name
    fields: Mapping[str, Any] = field(default_factory=dict)
    #: the record's name when it is written, kept with the event (deleted records keep it)
    title: Callable[[Any], str | None] | None = None
    #: a select of (id, name) over the model, to name references and events older than names
    names: Callable[[], Any] | None = None
    #: a name made of the record's own shown values, for records with no name of their own
    display_name: Callable[[Mapping[str, str]], str] | None = None
    #: the record this one belongs to (a field naming it, or obj → (type name, id)), so the
    #: parent's history shows it and an action's entry nests it under the parent
    parent: str | Callable[[Any], tuple[str, Any] | None] | None = None
    page: Page | None = None
    #: "create" / "delete" → a sentence with %(record)s and the shown fields as placeholders
    phrases: Mapping[str, Any] = field(default_factory=dict)
    #: (field, new value) → the sentence for an update that brings the field to that value
    transitions: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    #: action → n → the sentence for n such changes in one action ("invited 15 advisers")
    many: Mapping[str, Callable[[int], str]] = field(default_factory=dict)
    #: masked column → the sentence when it changed ("reset the password of %(record)s")
    secrets: Mapping[str, Any] = field(default_factory=dict)
    #: field → value → shown text, for values the column type cannot tell how to show
    formats: Mapping[str, Callable[[Any], str]] = field(default_factory=dict)
    #: fields never shown (bookkeeping)
    quiet: frozenset[str] = BOOKKEEPING

    @property
    def name(self) -> str:
        """The key events are stored under: the class name."""
        return self.model.__name__

    def field_label(self, key: str):
        """A field's label; a field of a shared mixin reads as `describe_common` says."""
        return self.fields.get(key) or COMMON_FIELDS.get(key) or key

    def transition(self, key: str, value: Any):
        """The sentence for an update that brings the field to this value, if there is one.

        A sentence may be keyed by the exact value, by ANY_VALUE (set to anything) or by
        NO_VALUE (emptied): a record is voided when `voided_at` is set, whatever the time.
        """
        empty = value is None or value == ""
        keys = [(key, NO_VALUE)] if empty else [(key, str(value)), (key, ANY_VALUE)]
        for wanted in keys:
            found = self.transitions.get(wanted) or COMMON_TRANSITIONS.get(wanted)
            if found is not None:
                return found
        return None

    def column(self, key: str):
        """The table column behind an attribute, or None."""
        if (self.name, key) not in _COLUMNS:
            attr = inspect(self.model).column_attrs.get(key)
            _COLUMNS[self.name, key] = attr.columns[0] if attr is not None else None
        return _COLUMNS[self.name, key]

    def reference(self, key: str) -> RecordType | None:
        """The described record type a field refers to, if it is a foreign key to one."""
        column = self.column(key)
        for foreign_key in column.foreign_keys if column is not None else ():
            described = BY_TABLE.get(foreign_key.column.table.name)
            if described is not None:
                return described
        return None

    def parent_of(self, obj) -> tuple[str, str] | None:
        """(type name, id) of the record this one belongs to, when it is known."""
        if self.parent is None:
            return None
        if callable(self.parent):
            found = self.parent(obj)
        else:
            target = self.reference(self.parent)
            value = getattr(obj, self.parent)
            found = (target.name, value) if target is not None else None
        if found is None or found[1] is None:
            return None
        return found[0], str(found[1])


TYPES: dict[str, RecordType] = {}
BY_TABLE: dict[str, RecordType] = {}
#: (type, field) → its column: asked for every value on a page of the trail
_COLUMNS: dict[tuple[str, str], Any] = {}
#: labels and sentences of fields every model with a shared mixin has (voiding)
COMMON_FIELDS: dict[str, Any] = {}
COMMON_TRANSITIONS: dict[tuple[str, str], Any] = {}
#: transition keys: a field set to any value, or emptied
ANY_VALUE, NO_VALUE = "*", ""


def describe_common(fields: Mapping[str, Any], transitions: Mapping | None = None) -> None:
    """Labels and sentences for fields that several models share through a mixin."""
    COMMON_FIELDS.update(fields)
    COMMON_TRANSITIONS.update(transitions or {})


def describe(model: type, label, *, name=None, **options) -> RecordType:
    """Say how a model reads in the audit trail; `name=Model.column` names its records."""
    if name is not None:
        options.setdefault("title", lambda obj: getattr(obj, name.key))
        options.setdefault("names", lambda: _names_by_column(model, name))
    described = RecordType(model=model, label=label, **options)
    TYPES[described.name] = described
    BY_TABLE[model.__table__.name] = described
    return described


def _names_by_column(model, column):
    return select(model.id, column)


def record_type(name: str) -> RecordType | None:
    return TYPES.get(name)


# --- account events --------------------------------------------------------------------

#: the actions the trail's listener writes for records; every other action is an event
RECORD_ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class EventKind:
    """An account event (a login, a password reset) and its sentences.

    `own` is said when the actor is the target ("changed their own password"), `other`
    otherwise, with %(record)s for the target and %(username)s for an attempted username.
    """

    own: Any
    other: Any
    #: said when the target is unknown (a failed login under a username nobody has)
    unknown: Any = None
    #: the masked columns the event accounts for: their change needs no sentence of its own
    explains: tuple[str, ...] = ()
    #: who did it when no user is known ("Someone")
    nobody: Any = None


EVENTS: dict[str, EventKind] = {}


def register_event(action: str, kind: EventKind) -> None:
    """Add an account event that `record_event` may write."""
    EVENTS[action] = kind
