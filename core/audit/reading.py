"""Reading the audit trail: raw events become sentences, one entry per action.

An action is a change set: every event one request, job run or command wrote. Its entry
says who did it, when (China time) and from where, then what: "planned the meeting
「2026年第四季度会议」", with the invitations nested under the meeting and, when there are many
alike, summed up ("invited 15 advisers") with each one behind a disclosure. Values read as
people read them: enum labels, names for references, local times. Names come from the event
(kept when it was written), from the record's shown values, or from one query over every
record the page mentions.

A page says the same few hundred words, links and kinds of values again and again: its
reader works each out once (a label in the page's language, how a field's values read, how a
page's links are built, whether the reader may open them), and a value only when a sentence
shows it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, partial
from types import MappingProxyType
from typing import Any, ClassVar

from flask import current_app, url_for
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import (
    String,
    Text,
    bindparam,
    cast,
    func,
    inspect,
    literal,
    select,
    type_coerce,
    union_all,
)
from werkzeug.routing.converters import BaseConverter, IntegerConverter, NumberConverter

from core.audit.registry import (
    BY_TABLE,
    EVENTS,
    RECORD_ACTIONS,
    TYPES,
    EventKind,
    RecordType,
    record_type,
)
from core.audit.writing import NEW_SECRET
from core.extensions import db
from core.i18n import N_, local_time, request_translations
from core.models import AuditEvent, EnumText, LabelledEnum, User, UTCDateTime

#: this many alike changes in one action are summed up, each one behind a disclosure
MANY = 4
#: longer texts are cut in a sentence
TEXT_LENGTH = 60
EMPTY = "—"


@dataclass
class Line:
    """One sentence, without its actor: "changed the category of 法律顾问「张三」 from … to …"."""

    text: Markup
    #: (record type, action): alike lines are summed up together
    kind: tuple[str, str]
    #: how to say the field changes or a new record's values, when one sentence cannot hold
    #: them; said when first shown (a summed-up line is shown without them)
    say_details: Callable[[], list[Markup]] | None = None
    #: the changes to records that belong to this one in the same action
    children: list[Line | Group] = field(default_factory=list)
    #: who did it, when not the entry's actor
    actor: str | None = None
    #: a line is said on its own, not summed up (templates tell lines from groups by it)
    summed_up: ClassVar[bool] = False

    @cached_property
    def details(self) -> list[Markup]:
        """The field changes or a new record's values."""
        return self.say_details() if self.say_details is not None else []


@dataclass
class Group:
    """Many alike changes summed up: "invited 15 advisers", each line behind a disclosure."""

    text: str
    lines: list[Line]
    summed_up: ClassVar[bool] = True


@dataclass
class Entry:
    """One action: who, when, from where, and its sentences."""

    change_set: str
    at: datetime
    actor: str
    client_ip: str | None
    items: list[Line | Group]
    #: the action's further changes, counted but not read (a bulk load's thousands)
    more: int = 0

    @property
    def headline(self) -> Line | Group:
        return self.items[0]

    @property
    def rest(self) -> list[Line | Group]:
        return self.items[1:]


# --- words --------------------------------------------------------------------------------------

#: (translations, label) → the label in that language. Labels are made once, when a package
#: describes its records, and said on every page; a lazy label looks its language up anew
#: each time it is said. Bounded, in case something hands in labels made afresh.
_SAID: dict[tuple[int, int], tuple[Any, Any, str]] = {}
_SAID_SIZE = 5_000


def tr(text) -> str:
    """A label (often lazily translated) in the request's language."""
    if isinstance(text, str):
        return text
    translations = request_translations()
    key = (id(translations), id(text))
    held = _SAID.get(key)
    if held is None or held[0] is not translations or held[1] is not text:
        if len(_SAID) >= _SAID_SIZE:
            _SAID.clear()
        held = _SAID[key] = (translations, text, str(text))
    return held[2]


def _(message: str, **values) -> str:
    """gettext through the request's translations (looked up once a request)."""
    text = request_translations().ugettext(message)
    return text % {key: tr(value) for key, value in values.items()} if values else text


def ngettext(singular: str, plural: str, num: int, **values) -> str:
    """ngettext through the request's translations, with `num` among the values."""
    text = request_translations().ungettext(singular, plural, num)
    return text % {"num": num, **{key: tr(value) for key, value in values.items()}}


class Shown(Mapping):
    """A record's values as shown, each worked out when first asked for; a placeholder a
    sentence names but the record lacks is a dash.

    `stored` are the record's values as the trail keeps them; `show(key, value)` says one,
    and without it they are shown as they are. `extra` values (the record's linked name) are
    shown as given.
    """

    __slots__ = ("_done", "_extra", "_show", "stored")

    def __init__(
        self,
        stored: Mapping | None,
        show: Callable[[str, Any], str] | None = None,
        done: dict | None = None,
        /,
        **extra,
    ):
        self.stored = stored or {}
        self._show = show
        self._done = {} if done is None else done
        self._extra = extra

    def give(self, **extra) -> None:
        """Add values shown as given (the record's linked name, once it is made)."""
        self._extra.update(extra)

    def with_values(self, **extra) -> Shown:
        """These values, with some more (values worked out already are shared)."""
        return Shown(self.stored, self._show, self._done, **self._extra, **extra)

    def __getitem__(self, key: str):
        if key in self._extra:
            return self._extra[key]
        done = self._done
        if key in done:
            return done[key]
        if key not in self.stored:
            return EMPTY
        value = self.stored[key]
        shown = done[key] = self._show(key, value) if self._show is not None else value
        return shown

    def get(self, key: str, default=None):
        """The value as shown, or the default (not a dash) when the record lacks it."""
        if key not in self:
            return default
        return self[key]

    def __contains__(self, key) -> bool:
        return key in self._extra or key in self.stored

    def __iter__(self) -> Iterator[str]:
        yield from self._extra
        yield from (key for key in self.stored if key not in self._extra)

    def __len__(self) -> int:
        return len(self._extra.keys() | self.stored.keys())


# --- names -----------------------------------------------------------------------------------


def _ids_of(described: RecordType, ids: Iterable[str]) -> list:
    if described.model.__mapper__.primary_key[0].type.python_type is int:
        return sorted({int(i) for i in ids if i.isascii() and i.isdigit()})
    return sorted(set(ids))


#: the types a page names records of → the select naming them (one list of ids for each
#: type), built once: building and keying a union of selects costs more than running it
_NAMES_SELECTS: dict[tuple[str, ...], tuple[tuple[RecordType, ...], Any]] = {}


def _names_select(types: tuple[RecordType, ...]):
    key = tuple(described.name for described in types)
    held = _NAMES_SELECTS.get(key)
    if held is None or any(a is not b for a, b in zip(held[0], types, strict=True)):
        selects = []
        for n, described in enumerate(types):
            stmt = described.names()
            id_column, name_column = stmt.selected_columns[:2]
            selects.append(
                stmt.with_only_columns(
                    literal(described.name, String).label("type"),
                    cast(id_column, String).label("id"),
                    cast(name_column, String).label("name"),
                ).where(id_column.in_(bindparam(f"ids_{n}", expanding=True)))
            )
        stmt = union_all(*selects) if len(selects) > 1 else selects[0]
        if len(_NAMES_SELECTS) >= 256:
            _NAMES_SELECTS.clear()
        held = _NAMES_SELECTS[key] = (types, stmt)
    return held[1]


class Names:
    """The current names of the records a page mentions, read in one query."""

    def __init__(self, found: Mapping[tuple[str, str], str], asked: set[str]):
        self.found = found
        self.asked = asked

    @classmethod
    def load(cls, wanted: Mapping[str, set[str]]) -> Names:
        types, params = [], {}
        for type_name in sorted(wanted):
            described = TYPES[type_name]
            keys = _ids_of(described, wanted[type_name])
            if not keys or described.names is None:
                continue
            params[f"ids_{len(types)}"] = keys
            types.append(described)
        found = {}
        if types:
            # a voided record is still named in the trail that tells it was voided: the
            # query goes past the session's hook that leaves voided records out
            rows = db.session.connection().execute(_names_select(tuple(types)), params)
            found = {(type_name, record_id): name for type_name, record_id, name in rows}
        asked = {name for name in wanted if TYPES[name].names is not None}
        return cls(found, asked)

    def name(self, type_name: str, record_id: str) -> str | None:
        return self.found.get((type_name, record_id))

    def exists(self, type_name: str, record_id: str) -> bool:
        """Whether the record is still there; a type that cannot be asked is assumed to be."""
        return type_name not in self.asked or (type_name, record_id) in self.found


# --- values --------------------------------------------------------------------------------


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LENGTH else text[: TEXT_LENGTH - 1] + "…"


def _enum_of(column_type) -> type[LabelledEnum] | None:
    """The labelled enum a column holds, if it holds one."""
    enum_class = getattr(column_type, "enum_class", None)
    if isinstance(column_type, EnumText) and issubclass(enum_class, LabelledEnum):
        return enum_class
    return None


#: id of a described type → (the type, how many types were described, its fields that refer
#: to described types with those types): the same for every page while the registry stands
_REFERENCES: dict[int, tuple[RecordType, int, dict[str, RecordType]]] = {}


def _references_of(described: RecordType) -> dict[str, RecordType]:
    """The fields of a type that refer to a described record type, and those types."""
    held = _REFERENCES.get(id(described))
    if held is None or held[0] is not described or held[1] != len(BY_TABLE):
        if len(_REFERENCES) >= 1_000:
            _REFERENCES.clear()
        keys = inspect(described.model).column_attrs.keys()
        targets = {key: target for key in keys if (target := described.reference(key))}
        held = _REFERENCES[id(described)] = (described, len(BY_TABLE), targets)
    return held[2]


# --- links ---------------------------------------------------------------------------------


def may_open(endpoint: str) -> bool:
    """Whether the current user may open pages of this endpoint."""
    from core.policy import can  # core.policy imports the trail to name a service's actor

    view = current_app.view_functions.get(endpoint)
    action = getattr(view, "access_action", None)
    return action is not None and can(current_user, action)


#: stands for a record's id in a link built once for a page, then replaced by each id
_SOME_ID = "8642097531864209753"


def _keeps_numbers(rule, argument: str) -> bool:
    """Whether an address writes a plain number ("42") given for the argument as it is, or
    is never the one built for it (the address's default for the argument is not text)."""
    defaults = rule.defaults or {}
    if argument in defaults:
        return not isinstance(defaults[argument], str)
    converter = getattr(rule, "_converters", {}).get(argument)
    if converter is None:
        return False
    to_url = type(converter).to_url
    if to_url is BaseConverter.to_url:  # text: quoted, which leaves digits alone
        return True
    return (
        to_url is NumberConverter.to_url
        and isinstance(converter, IntegerConverter)
        and not converter.fixed_digits
    )


def _link_maker(endpoint: str, argument: str | None) -> Callable[[str], str]:
    """How to build the links to an endpoint's pages, one id after another.

    `url_for` is slow for hundreds of links. When the endpoint's addresses write an id as it
    is, a link is the address built once with a stand-in id, the stand-in replaced; an id
    that would read differently (leading zeros, other characters) still goes through
    `url_for`.
    """
    if argument is None:
        url = url_for(endpoint)
        return lambda _value: url

    def build(value: str) -> str:
        return url_for(endpoint, **{argument: value})

    rules = current_app.url_map.iter_rules(endpoint)
    if not all(_keeps_numbers(rule, argument) for rule in rules):
        return build
    head, found, tail = build(_SOME_ID).partition(_SOME_ID)
    if not found or _SOME_ID in tail:
        return build

    def fill(value: str) -> str:
        if value.isascii() and value.isdigit() and (value == "0" or value[0] != "0"):
            return head + value + tail
        return build(value)

    return fill


# --- sentences ------------------------------------------------------------------------------


#: the characters `escape` replaces; most values have none, and need no new Markup
_NEEDS_ESCAPE = re.compile(r"[&<>'\"]")


def _html(value) -> str:
    """A value as HTML, as `escape` gives it: markup as it is, anything else escaped."""
    if type(value) is str:
        return value if _NEEDS_ESCAPE.search(value) is None else escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _html(str(value))


#: a sentence's placeholders; one whose placeholders are all `%(name)s` (or `%%`) is filled
#: with its escaped values by plain `%`, much faster than `Markup %`, with the same result
_PLACEHOLDER = re.compile(r"%\(([^)]*)\)s|%%")


def _text_placeholders(template: str) -> tuple[str, ...] | None:
    """The names of a sentence's placeholders, or None if some are not plain `%(name)s`."""
    if "%" in _PLACEHOLDER.sub("", template):
        return None
    found = (match.group(1) for match in _PLACEHOLDER.finditer(template))
    return tuple(dict.fromkeys(name for name in found if name is not None))


class Reader:
    """Turns one page's events into sentences, with the names they mention.

    Each label, field, link and enum value is worked out once for the page.
    """

    def __init__(self, names: Names | None = None):
        self.names = names if names is not None else Names({}, set())
        self.translations = request_translations()
        #: message → its translation; id of a label → (the label, its translation)
        self._said: dict[str, str] = {}
        self._tr: dict[int, tuple[Any, str]] = {}
        #: id of a sentence → (the sentence, its translation, its placeholders if all plain)
        self._fills: dict[int, tuple[Any, str, tuple[str, ...] | None]] = {}
        #: described types are keyed by id: the registry holds them while a page is read
        #: (type, field) → its label; (type, field, new value) → the sentence for the update
        self._field_labels: dict[tuple[int, str], str] = {}
        #: type → "%(type)s %(name)s" with its label filled in (and values left to fill)
        self._names_of: dict[int, tuple[str, dict]] = {}
        self._transitions: dict[tuple, Any] = {}
        #: type → how its fields' values read; (type, field) → the type it refers to, or None
        self._show_of: dict[int, Callable[[str, Any], str]] = {}
        self._references: dict[tuple[int, str], RecordType | None] = {}
        #: (enum, value) → its label, None if no member has the value
        self._labels: dict[tuple[type, Any], str | None] = {}
        #: type → how to link its records (see _how_to_link)
        self._link_of: dict[int, tuple] = {}

    # words

    def say(self, message: str) -> str:
        """A message in the page's language (marked with `N_` where it is written)."""
        text = self._said.get(message)
        if text is None:
            text = self._said[message] = self.translations.ugettext(message)
        return text

    def tr(self, text) -> str:
        """A label in the page's language."""
        if isinstance(text, str):
            return text
        held = self._tr.get(id(text))
        if held is None or held[0] is not text:
            held = self._tr[id(text)] = (text, tr(text))
        return held[1]

    def _wording(self, template) -> tuple[str, tuple[str, ...] | None]:
        """A sentence in the page's language, and its placeholders if all are plain."""
        held = self._fills.get(id(template))
        if held is None or held[0] is not template:
            text = self.tr(template)
            held = self._fills[id(template)] = (template, text, _text_placeholders(text))
        return held[1], held[2]

    def fill(self, template, values: Mapping) -> Markup:
        """Fill a sentence (a label or text); the values are escaped, links are kept."""
        text, keys = self._wording(template)
        if keys is None:
            return Markup(text) % values
        return Markup(str.__mod__(text, {key: _html(values[key]) for key in keys}))

    def _names_record(self, template) -> bool:
        """Whether a sentence names its record (most name it; some name its adviser)."""
        keys = self._wording(template)[1]
        return keys is None or "record" in keys

    def field_label(self, described: RecordType, key: str) -> str:
        """A field's label in the page's language (a lazy label is said anew each time it is
        so much as tested for being empty)."""
        held = (id(described), key)
        label = self._field_labels.get(held)
        if label is None:
            label = self._field_labels[held] = self.tr(described.field_label(key))
        return label

    def _transition(self, described: RecordType, key: str, value):
        """The sentence for an update that brings the field to this value, if there is one."""
        if not isinstance(value, str | int | float | bool | None):
            return described.transition(key, value)
        held = (id(described), key, type(value), value)
        if held not in self._transitions:
            self._transitions[held] = described.transition(key, value)
        return self._transitions[held]

    def _named(self, described: RecordType, name: str) -> str:
        """A record of this type by its name, in the page's language ("%(type)s %(name)s")."""
        named = self._names_of.get(id(described))
        if named is None:
            template = self.say(N_("%(type)s %(name)s"))
            label = self.tr(described.label)
            if _text_placeholders(template) is None:
                named = template, {"type": label}
            else:  # the type filled in once; only the name is left
                named = template.replace("%(type)s", label.replace("%", "%%")), {}
            self._names_of[id(described)] = named
        template, values = named
        return template % {**values, "name": name}

    def _type_and_id(self, described: RecordType | None, type_name: str, record_id) -> str:
        label = self.tr(described.label) if described is not None else type_name
        return self.say(N_("%(type)s #%(id)s")) % {"type": label, "id": record_id}

    # values

    def reference(self, described: RecordType, key: str) -> RecordType | None:
        """The described record type a field refers to, if any."""
        held = (id(described), key)
        if held not in self._references:
            self._references[held] = described.reference(key)
        return self._references[held]

    def wanted(self, events: Iterable, extra: Iterable[tuple[str, str]] = ()) -> dict:
        """Every described record the events mention: their own and those their fields
        refer to."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for type_name, record_id in extra:
            if type_name in TYPES and record_id:
                wanted[type_name].add(record_id)
        for event in events:
            described = TYPES.get(event.record_type)
            if described is None:
                continue
            if event.record_id:
                wanted[event.record_type].add(event.record_id)
            references = _references_of(described)
            for values in (event.before, event.after):
                if not values:
                    continue
                for key, target in references.items():
                    value = values.get(key)
                    if value is not None:
                        wanted[target.name].add(str(value))
        return wanted

    def _field_show(self, described: RecordType, key: str) -> Callable[[Any], str]:
        """How a field's values read: by the field's format, as the name of the record it
        refers to, by its column's type (an enum's label, a local time) or as plain text."""
        if key in described.formats:
            formatted = described.formats[key]
            said: dict[tuple[type, Any], str] = {}

            def show(value):
                if not isinstance(value, str | int | float):
                    return str(formatted(value))
                held = (type(value), value)  # True and 1 are alike as keys, not as values
                if held not in said:
                    said[held] = str(formatted(value))
                return said[held]

        elif (target := self.reference(described, key)) is not None:
            target_name = target.name

            def show(value):
                record_id = str(value)
                return self.names.name(target_name, record_id) or self._type_and_id(
                    target, target_name, record_id
                )

        else:
            column = described.column(key)
            column_type = column.type if column is not None else None
            enum_class = _enum_of(column_type)
            if enum_class is not None:
                show = partial(self._enum_label, enum_class)
            elif isinstance(column_type, UTCDateTime):
                show = self._time
            else:
                show = self._plain
        return show

    def show(self, described: RecordType, key: str, value: Any) -> str:
        """A field's value as a person reads it."""
        return self._show_of_type(described)(key, value)

    def _show_of_type(self, described: RecordType) -> Callable[[str, Any], str]:
        """How the values of a type's fields read: `show` for one type, worked out once."""
        show = self._show_of.get(id(described))
        if show is None:
            shows: dict[str, Callable[[Any], str]] = {}

            def show(key: str, value: Any) -> str:
                if value is None or value == "":
                    return EMPTY
                field_show = shows.get(key)
                if field_show is None:
                    field_show = shows[key] = self._field_show(described, key)
                return field_show(value)

            self._show_of[id(described)] = show
        return show

    def shown(self, described: RecordType, values: Mapping | None) -> Shown:
        """A record's values as shown."""
        return Shown(values, self._show_of_type(described))

    def _enum_label(self, enum_class: type[LabelledEnum], value) -> str:
        held = (enum_class, value) if type(value) is str else None
        if held is None or held not in self._labels:
            try:
                label = enum_class(value).label
            except ValueError:
                label = None
            if held is None:
                return label if label is not None else self._plain(value)
            self._labels[held] = label
        label = self._labels[held]
        return label if label is not None else self._plain(value)

    def _time(self, value) -> str:
        if isinstance(value, str):
            try:
                return local_time(datetime.fromisoformat(value))
            except ValueError:
                pass
        return self._plain(value)

    def _plain(self, value) -> str:
        if isinstance(value, bool):
            return self.say(N_("Yes")) if value else self.say(N_("No"))
        if isinstance(value, dict | list):
            return self.say(N_("(details)"))
        return shorten(str(value))

    # links

    def link(self, event: Event, described: RecordType) -> str | None:
        """The page of the event's record, when it still exists and the reader may open it."""
        how = self._link_of.get(id(described))
        if how is None:
            how = self._link_of[id(described)] = self._how_to_link(described)
        build, field, target = how
        if build is None:
            return None
        if field is None:  # a page without arguments
            return build("")
        if field == "id":
            value = event.record_id
        else:
            value = str((event.after or event.before or {}).get(field) or "")
        if not value or (target is not None and not self.names.exists(target.name, value)):
            return None
        return build(value)

    def _how_to_link(self, described: RecordType):
        """(how to build a link, the field that fills it, the type it names) for a type's
        records; no way to build one if it has no page or the reader may not open it."""
        page = described.page
        if page is None or not may_open(page.endpoint):
            return None, None, None
        if page.argument is None:
            return _link_maker(page.endpoint, None), None, None
        target = described if page.field == "id" else self.reference(described, page.field)
        return _link_maker(page.endpoint, page.argument), page.field, target

    # sentences

    def record(self, event: Event, described: RecordType | None, shown: Mapping) -> Markup:
        """The record an event is about, by type and name, linked to its page."""
        if described is None:
            return escape(self._type_and_id(None, event.record_type, event.record_id))
        name = (
            event.record_label
            or (described.display_name(shown) if described.display_name else None)
            or self.names.name(event.record_type, event.record_id)
        )
        if name:
            text = self._named(described, self.tr(name))
        else:
            text = self._type_and_id(described, event.record_type, event.record_id)
        url = self.link(event, described)
        if url is None:
            return escape(text)
        return Markup(f'<a href="{_html(url)}">{_html(text)}</a>')

    def lines(self, event: Event) -> list[Line]:
        """The sentences for one event."""
        described = TYPES.get(event.record_type)
        if event.action not in RECORD_ACTIONS:
            return [self._account_event(event, described)]
        if described is None:
            record = self.record(event, None, {})
            text = self.fill(self.say(N_("changed %(record)s")), {"record": record})
            return [Line(text, (event.record_type, event.action))]
        shown = self.shown(described, event.after or event.before)
        if event.action == "update":
            return self._update(event, described, self.record(event, described, shown))
        kind = (event.record_type, event.action)
        template = described.phrases.get(event.action)
        details = None
        if template is None:
            created = event.action == "create"
            template = self.say(N_("created %(record)s") if created else N_("deleted %(record)s"))
            details = partial(self._values, described, shown if event.after else None)
        if self._names_record(template):
            shown.give(record=self.record(event, described, shown))
        return [Line(self.fill(template, shown), kind, details)]

    def _values(self, described: RecordType, shown: Shown | None) -> list[Markup]:
        """A new record's values, field by field."""
        if shown is None:
            return []
        template = self.say(N_("%(field)s: %(value)s"))
        return [
            self.fill(template, {"field": self.field_label(described, key), "value": v})
            for key, value in shown.stored.items()
            if key not in described.quiet and value not in (None, "") and (v := shown[key]) != EMPTY
        ]

    def _update(self, event: Event, described: RecordType, record: Markup) -> list[Line]:
        """A changed secret says only that it changed; other fields say from what to what."""
        before, after = event.before or {}, event.after or {}
        kind = (described.name, "update")
        secret = self.say(N_("changed a secret of %(record)s"))
        renewed = [key for key, value in after.items() if value == NEW_SECRET]
        lines = [
            Line(self.fill(described.secrets.get(key, secret), {"record": record}), kind)
            for key in renewed
        ]
        changed = [
            key
            for key in after
            if key not in described.quiet and key not in renewed and before.get(key) != after[key]
        ]
        if changed:
            lines.append(self._changes(described, record, before, after, changed))
        return lines

    def _first_transition(self, described: RecordType, after: Mapping, changed: list[str]):
        """The first changed field whose new value has a sentence of its own, and the sentence."""
        for key in changed:
            template = self._transition(described, key, after[key])
            if template is not None:
                return key, template
        return None

    def _changes(self, described, record, before, after, changed: list[str]) -> Line:
        kind = (described.name, "update")
        moved = self._first_transition(described, after, changed)
        if moved is not None:
            key, template = moved
            text = self.fill(template, self.shown(described, after).with_values(record=record))
            rest = [other for other in changed if other != key]
            return Line(text, kind, partial(self._change_list, described, rest, before, after))
        if len(changed) == 1:
            return Line(self._sentence(described, record, changed[0], before, after), kind)
        text = self.fill(self.say(N_("changed %(record)s")), {"record": record})
        return Line(text, kind, partial(self._change_list, described, changed, before, after))

    def _pair(self, described, key, before, after) -> dict:
        return {
            "field": self.field_label(described, key),
            "before": self.show(described, key, before.get(key)),
            "after": self.show(described, key, after.get(key)),
        }

    def _sentence(self, described, record, key, before, after) -> Markup:
        values = {**self._pair(described, key, before, after), "record": record}
        if values["before"] == EMPTY:
            return self.fill(self.say(N_("set the %(field)s of %(record)s to %(after)s")), values)
        if values["after"] == EMPTY:
            return self.fill(
                self.say(N_("cleared the %(field)s of %(record)s (was %(before)s)")), values
            )
        return self.fill(
            self.say(N_("changed the %(field)s of %(record)s from %(before)s to %(after)s")), values
        )

    def _change_list(self, described, keys: list[str], before, after) -> list[Markup]:
        return [self._change(described, key, before, after) for key in keys]

    def _change(self, described, key, before, after) -> Markup:
        values = self._pair(described, key, before, after)
        if values["before"] == EMPTY:
            return self.fill(self.say(N_("%(field)s: set to %(after)s")), values)
        if values["after"] == EMPTY:
            return self.fill(self.say(N_("%(field)s: cleared (was %(before)s)")), values)
        return self.fill(self.say(N_("%(field)s: from %(before)s to %(after)s")), values)

    def _account_event(self, event: Event, described: RecordType | None) -> Line:
        kind = EVENTS.get(event.action)
        details = event.after or {}
        if not event.record_id:
            unknown = kind.unknown if kind is not None else None
            template = unknown if unknown is not None else _("%(action)s: %(username)s")
            text = self.fill(template, Shown(details, action=event.action))
        else:
            values = Shown(details, record=self.record(event, described, {}), action=event.action)
            own = kind is not None and kind.own is not None
            own = own and str(event.actor_id) == event.record_id
            default = _("%(action)s: %(record)s")
            template = (kind.own if own else kind.other) if kind is not None else default
            text = self.fill(template, values)
        return Line(text, (event.record_type, event.action))


# --- grouping -----------------------------------------------------------------------------


def _many(kind: tuple[str, str], count: int) -> str:
    type_name, action = kind
    described = record_type(type_name)
    if described is not None and action in described.many:
        return described.many[action](count)
    label = described.label if described else type_name
    if action == "create":
        return ngettext(
            "created %(num)d record of the type %(type)s",
            "created %(num)d records of the type %(type)s",
            count,
            type=label,
        )
    if action == "delete":
        return ngettext(
            "deleted %(num)d record of the type %(type)s",
            "deleted %(num)d records of the type %(type)s",
            count,
            type=label,
        )
    return ngettext(
        "changed %(num)d record of the type %(type)s",
        "changed %(num)d records of the type %(type)s",
        count,
        type=label,
    )


def summarise(lines: list[Line]) -> list[Line | Group]:
    """Sum up alike changes to records when there are many; keep the rest as they are."""
    alike: dict[tuple[str, str], list[Line]] = {}
    for line in lines:
        alike.setdefault(line.kind, []).append(line)
    items: list[Line | Group] = []
    for kind, group in alike.items():
        if len(group) >= MANY and kind[1] in RECORD_ACTIONS:
            items.append(Group(_many(kind, len(group)), group))
        else:
            items.extend(group)
    return items


def _actor_name(event: Event, name: str | None) -> str:
    if name:
        return name
    kind: EventKind | None = EVENTS.get(event.action)
    return tr(kind.nobody) if kind is not None and kind.nobody is not None else _("System")


def _entry(events: list, reader: Reader) -> Entry | None:
    """One change set's events as an entry; records nest under the record they belong to."""
    first = events[0]
    read = [(event, reader.lines(event)) for event in events]
    own_lines: dict[tuple[str, str], Line] = {}
    for event, lines in read:
        if event.action in RECORD_ACTIONS and lines:
            own_lines.setdefault((event.record_type, event.record_id), lines[0])
    nested: dict[tuple[str, str], list[Line]] = defaultdict(list)
    top: list[Line] = []
    for event, lines in read:
        if event.actor_id != first.actor_id:
            for line in lines:
                line.actor = _actor_name(event, event.actor_name)
        parent = (event.parent_type, event.parent_id)
        if parent in own_lines and parent != (event.record_type, event.record_id):
            nested[parent].extend(lines)
        else:
            top.extend(lines)
    for parent, lines in nested.items():
        own_lines[parent].children = summarise(lines)
    if not top:
        return None  # only bookkeeping changed
    return Entry(
        change_set=first.change_set,
        at=first.at,
        actor=_actor_name(first, first.actor_name),
        client_ip=first.client_ip,
        items=summarise(top),
        more=first.total - len(events),
    )


@dataclass
class TrailPage:
    """A page of the trail: its entries, and the name of the record it is narrowed to."""

    entries: list[Entry]
    record: str | None = None


#: the changes read for one entry: a meeting of the largest panel (15 invitations and its
#: topics) fits; an action that wrote more (a bulk load, an import of hundreds of rows) shows
#: these and counts the rest, so a page of 20 entries reads at most 500 changes
EVENTS_PER_ENTRY = 25

#: the columns that hold an event's values, as JSON; they come last in an Event
STORED = ("before", "after")
#: an event as a page reads it: its columns, `actor_name` and the `total` of events in its
#: change set. A plain tuple: a page reads each event's fields a few dozen times.
Event = namedtuple(
    "Event",
    [column.key for column in AuditEvent.__table__.columns if column.key not in STORED]
    + ["actor_name", "total", *STORED],
)

#: JSON text → the values it holds. The trail never changes an event and its pages are read
#: again and again, while decoding is the costliest part of reading an event. The values are
#: shared between pages: read-only. Bounded.
_DECODED: dict[str, Any] = {}
_DECODED_SIZE = 2_000


def _decoded(stored):
    """An event's values from their JSON text (or as a driver that decodes JSON gives them)."""
    if not isinstance(stored, str):
        return stored
    try:
        return _DECODED[stored]
    except KeyError:
        if len(_DECODED) >= _DECODED_SIZE:
            _DECODED.clear()
        values = json.loads(stored)
        values = _DECODED[stored] = MappingProxyType(values) if type(values) is dict else values
        return values


#: (change sets, events per entry) → the select of their first events, built once
_FIRST_EVENTS: dict[tuple[int, int], Any] = {}


def _first_events_select(count: int, limit: int):
    """The first `limit` events of each of `count` change sets (bound as set_0, set_1, …),
    each with its actor's name and how many events its change set has.

    Each change set's first events come from the change-set index, so an action of
    thousands of changes costs no more than one of `limit`, and its count one index range.
    A select of plain table columns: rows, not objects, which a page only reads.
    """
    held = _FIRST_EVENTS.get((count, limit))
    if held is None:
        events, users = AuditEvent.__table__, User.__table__
        firsts = []
        for n in range(count):
            change_set = bindparam(f"set_{n}")
            ids = (
                select(events.c.id)
                .where(events.c.change_set == change_set)
                .order_by(events.c.id)
                .limit(limit)
                .subquery()
            )
            total = (
                select(func.count()).select_from(events).where(events.c.change_set == change_set)
            )
            firsts.append(select(ids.c.id, total.scalar_subquery().label("total")))
        first = (union_all(*firsts) if count > 1 else firsts[0]).subquery()
        plain = [column for column in events.columns if column.key not in STORED]
        stored = [type_coerce(events.c[key], Text).label(key) for key in STORED]
        held = (
            select(*plain, users.c.display_name.label("actor_name"), first.c.total, *stored)
            .join(first, first.c.id == events.c.id)
            .outerjoin(users, users.c.id == events.c.actor_id)
            .order_by(events.c.id)
        )
        if len(_FIRST_EVENTS) >= 256:
            _FIRST_EVENTS.clear()
        _FIRST_EVENTS[(count, limit)] = held
    return held


def _first_events(change_sets: list[str]) -> list[Event]:
    """The first EVENTS_PER_ENTRY events of each change set."""
    stmt = _first_events_select(len(change_sets), EVENTS_PER_ENTRY)
    params = {f"set_{n}": change_set for n, change_set in enumerate(change_sets)}
    # rows of the trail only, none of a voidable record: no session hook has anything to add
    rows = db.session.connection().execute(stmt, params)
    return [Event(*row[:-2], _decoded(row[-2]), _decoded(row[-1])) for row in rows]


def read_change_sets(change_sets: list[str], record: tuple[str, str] | None = None) -> TrailPage:
    """The entries of these change sets, in the order given; and the record's name, if asked."""
    events = _first_events(change_sets) if change_sets else []
    by_set: dict[str, list] = defaultdict(list)
    for event in events:
        by_set[event.change_set].append(event)
    reader = Reader()
    reader.names = Names.load(reader.wanted(events, [record] if record else []))
    entries = [_entry(by_set[cs], reader) for cs in change_sets if by_set.get(cs)]
    title = _record_title(record, reader, events) if record else None
    return TrailPage([entry for entry in entries if entry is not None], title)


def _record_title(record: tuple[str, str], reader: Reader, events: list[Event]) -> str:
    """The record a page is narrowed to, by its current name or the last one the trail kept."""
    type_name, record_id = record
    described = record_type(type_name)
    if described is None:
        return _("%(type)s #%(id)s", type=type_name, id=record_id)
    kept = [e.record_label for e in events if (e.record_type, e.record_id) == record]
    name = reader.names.name(type_name, record_id) or next(filter(None, reversed(kept)), None)
    text = (
        _("%(type)s %(name)s", type=described.label, name=name)
        if name
        else _("%(type)s #%(id)s", type=described.label, id=record_id)
    )
    return text
