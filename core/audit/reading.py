"""Reading the audit trail: raw events become sentences, one entry per action.

An action is a change set: every event one request, job run or command wrote. Its entry
says who did it, when (China time) and from where, then what: "planned the meeting
「2026年第四季度会议」", with the invitations nested under the meeting and, when there are many
alike, summed up ("invited 15 advisers") with each one behind a disclosure. Values read as
people read them: enum labels, names for references, local times. Names come from the event
(kept when it was written), from the record's shown values, or from one query over every
record the page mentions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app, g, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import String, cast, func, literal, select, union_all

from core.audit.registry import (
    EVENTS,
    RECORD_ACTIONS,
    TYPES,
    EventKind,
    RecordType,
    record_type,
)
from core.audit.writing import NEW_SECRET
from core.extensions import db
from core.i18n import local_time, request_translations
from core.models import AuditEvent, EnumText, LabelledEnum, User, UTCDateTime
from core.voiding import INCLUDE_VOIDED

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
    #: the field changes or a new record's values, when one sentence cannot hold them
    details: list[Markup] = field(default_factory=list)
    #: the changes to records that belong to this one in the same action
    children: list[Line | Group] = field(default_factory=list)
    #: who did it, when not the entry's actor
    actor: str | None = None


@dataclass
class Group:
    """Many alike changes summed up: "invited 15 advisers", each line behind a disclosure."""

    text: str
    lines: list[Line]


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

LABELS_KEY = "audit_labels"


def tr(text) -> str:
    """A label (often lazily translated) in the request's language, translated once a request:
    a page of the trail says the same few hundred labels thousands of times."""
    if isinstance(text, str):
        return text
    cache = g.setdefault(LABELS_KEY, {})
    held = cache.get(id(text))
    if held is None or held[0] is not text:
        held = cache[id(text)] = (text, str(text))
    return held[1]


def _(message: str, **values) -> str:
    """gettext through the request's translations (looked up once a request)."""
    text = request_translations().ugettext(message)
    return text % {key: tr(value) for key, value in values.items()} if values else text


def ngettext(singular: str, plural: str, num: int, **values) -> str:
    """ngettext through the request's translations, with `num` among the values."""
    text = request_translations().ungettext(singular, plural, num)
    return text % {"num": num, **{key: tr(value) for key, value in values.items()}}


class Shown(dict):
    """A record's values as shown; a placeholder a sentence names but the record lacks is a dash."""

    def __missing__(self, key: str) -> str:
        return EMPTY


# --- names -----------------------------------------------------------------------------------


def _ids_of(described: RecordType, ids: Iterable[str]) -> list:
    if described.model.__mapper__.primary_key[0].type.python_type is int:
        return sorted({int(i) for i in ids if i.isascii() and i.isdigit()})
    return sorted(set(ids))


class Names:
    """The current names of the records a page mentions, read in one query."""

    def __init__(self, found: Mapping[tuple[str, str], str], asked: set[str]):
        self.found = found
        self.asked = asked

    @classmethod
    def load(cls, wanted: Mapping[str, set[str]]) -> Names:
        selects = []
        for type_name, ids in wanted.items():
            described = TYPES[type_name]
            keys = _ids_of(described, ids)
            if not keys or described.names is None:
                continue
            stmt = described.names()
            id_column, name_column = stmt.selected_columns[:2]
            selects.append(
                stmt.with_only_columns(
                    literal(type_name, String).label("type"),
                    cast(id_column, String).label("id"),
                    cast(name_column, String).label("name"),
                ).where(id_column.in_(keys))
            )
        found = {}
        if selects:
            stmt = union_all(*selects) if len(selects) > 1 else selects[0]
            # a voided record is still named in the trail that tells it was voided
            rows = db.session.execute(stmt, execution_options={INCLUDE_VOIDED: True})
            found = {(row.type, row.id): row.name for row in rows}
        asked = {name for name in wanted if TYPES[name].names is not None}
        return cls(found, asked)

    def name(self, type_name: str, record_id: str) -> str | None:
        return self.found.get((type_name, record_id))

    def exists(self, type_name: str, record_id: str) -> bool:
        """Whether the record is still there; a type that cannot be asked is assumed to be."""
        return type_name not in self.asked or (type_name, record_id) in self.found


def _wanted(events: Iterable[AuditEvent], extra: Iterable[tuple[str, str]] = ()) -> dict:
    """Every described record the events mention: their own and those their fields refer to."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for type_name, record_id in extra:
        if type_name in TYPES and record_id:
            wanted[type_name].add(record_id)
    for event in events:
        described = TYPES.get(event.record_type)
        if described is None:
            continue
        if event.record_id:
            wanted[described.name].add(event.record_id)
        for values in (event.before, event.after):
            for key, value in (values or {}).items():
                target = described.reference(key) if value is not None else None
                if target is not None:
                    wanted[target.name].add(str(value))
    return wanted


# --- values --------------------------------------------------------------------------------


def shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_LENGTH else text[: TEXT_LENGTH - 1] + "…"


def _typed(column_type, value) -> str | None:
    """A value shown by its column's type: an enum's label, a local time; None if neither."""
    enum_class = getattr(column_type, "enum_class", None)
    if isinstance(column_type, EnumText) and issubclass(enum_class, LabelledEnum):
        try:
            return enum_class(value).label
        except ValueError:
            return None
    if isinstance(column_type, UTCDateTime) and isinstance(value, str):
        try:
            return local_time(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def record_name(described: RecordType, record_id: str, names: Names) -> str:
    """What a record is called now, or its type and number."""
    return names.name(described.name, record_id) or _(
        "%(type)s #%(id)s", type=described.label, id=record_id
    )


def show_value(described: RecordType, key: str, value: Any, names: Names) -> str:
    """A field's value as a person reads it."""
    if value is None or value == "":
        return EMPTY
    if key in described.formats:
        return str(described.formats[key](value))
    target = described.reference(key)
    if target is not None:
        return record_name(target, str(value), names)
    column = described.column(key)
    shown = _typed(column.type, value) if column is not None else None
    if shown is not None:
        return shown
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict | list):
        return _("(details)")
    return shorten(str(value))


def _shown_values(described: RecordType, values: Mapping | None, names: Names) -> Shown:
    return Shown({key: show_value(described, key, v, names) for key, v in (values or {}).items()})


# --- links ---------------------------------------------------------------------------------


def may_open(endpoint: str) -> bool:
    """Whether the current user may open pages of this endpoint."""
    from core.policy import can  # core.policy imports the trail to name a service's actor

    view = current_app.view_functions.get(endpoint)
    action = getattr(view, "access_action", None)
    return action is not None and can(current_user, action)


def record_url(event: AuditEvent, described: RecordType, names: Names) -> str | None:
    """The page of the event's record, when it still exists and the reader may open it."""
    page = described.page
    if page is None or not may_open(page.endpoint):
        return None
    if page.argument is None:
        return url_for(page.endpoint)
    if page.field == "id":
        target, value = described, event.record_id
    else:
        target = described.reference(page.field)
        value = str((event.after or event.before or {}).get(page.field) or "")
    if not value or (target is not None and not names.exists(target.name, value)):
        return None
    return url_for(page.endpoint, **{page.argument: value})


# --- sentences ------------------------------------------------------------------------------


def _phrase(template, values: Mapping) -> Markup:
    """Fill a translated sentence; the values are escaped, the record's link is kept."""
    return Markup(tr(template)) % values


class Reader:
    """Turns one page's events into sentences, with the names they mention."""

    def __init__(self, names: Names):
        self.names = names

    def record(self, event: AuditEvent, described: RecordType | None, shown: Mapping) -> Markup:
        """The record an event is about, by type and name, linked to its page."""
        if described is None:
            return Markup.escape(_("%(type)s #%(id)s", type=event.record_type, id=event.record_id))
        name = (
            event.record_label
            or (described.display_name(shown) if described.display_name else None)
            or self.names.name(described.name, event.record_id)
        )
        text = (
            _("%(type)s %(name)s", type=described.label, name=name)
            if name
            else _("%(type)s #%(id)s", type=described.label, id=event.record_id)
        )
        url = record_url(event, described, self.names)
        return Markup('<a href="{}">{}</a>').format(url, text) if url else Markup.escape(text)

    def lines(self, event: AuditEvent) -> list[Line]:
        """The sentences for one event."""
        described = record_type(event.record_type)
        if event.action not in RECORD_ACTIONS:
            return [self._account_event(event, described)]
        if described is None:
            text = Markup(_("changed %(record)s")) % {"record": self.record(event, None, {})}
            return [Line(text, (event.record_type, event.action))]
        shown = _shown_values(described, event.after or event.before, self.names)
        record = self.record(event, described, shown)
        if event.action == "update":
            return self._update(event, described, record)
        default = _("created %(record)s") if event.action == "create" else _("deleted %(record)s")
        template = described.phrases.get(event.action, default)
        details = self._values(event, described) if event.action not in described.phrases else []
        text = _phrase(template, Shown(shown, record=record))
        return [Line(text, (described.name, event.action), details)]

    def _values(self, event: AuditEvent, described: RecordType) -> list[Markup]:
        """A new record's values, field by field."""
        return [
            _phrase(
                _("%(field)s: %(value)s"), {"field": tr(described.field_label(key)), "value": v}
            )
            for key, value in (event.after or {}).items()
            if key not in described.quiet
            and value not in (None, "")
            and (v := show_value(described, key, value, self.names)) != EMPTY
        ]

    def _update(self, event: AuditEvent, described: RecordType, record: Markup) -> list[Line]:
        """A changed secret says only that it changed; other fields say from what to what."""
        before, after = event.before or {}, event.after or {}
        kind = (described.name, "update")
        secret = _("changed a secret of %(record)s")
        renewed = [key for key, value in after.items() if value == NEW_SECRET]
        lines = [
            Line(_phrase(described.secrets.get(key, secret), {"record": record}), kind)
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
            template = described.transition(key, after[key])
            if template is not None:
                return key, template
        return None

    def _changes(self, described, record, before, after, changed: list[str]) -> Line:
        kind = (described.name, "update")
        moved = self._first_transition(described, after, changed)
        if moved is not None:
            key, template = moved
            shown = _shown_values(described, after, self.names)
            text = _phrase(template, Shown(shown, record=record))
            rest = [other for other in changed if other != key]
            return Line(text, kind, [self._change(described, k, before, after) for k in rest])
        if len(changed) == 1:
            return Line(self._sentence(described, record, changed[0], before, after), kind)
        details = [self._change(described, key, before, after) for key in changed]
        return Line(_phrase(_("changed %(record)s"), {"record": record}), kind, details)

    def _pair(self, described, key, before, after) -> dict:
        return {
            "field": tr(described.field_label(key)),
            "before": show_value(described, key, before.get(key), self.names),
            "after": show_value(described, key, after.get(key), self.names),
        }

    def _sentence(self, described, record, key, before, after) -> Markup:
        values = {**self._pair(described, key, before, after), "record": record}
        if values["before"] == EMPTY:
            return _phrase(_("set the %(field)s of %(record)s to %(after)s"), values)
        if values["after"] == EMPTY:
            return _phrase(_("cleared the %(field)s of %(record)s (was %(before)s)"), values)
        return _phrase(
            _("changed the %(field)s of %(record)s from %(before)s to %(after)s"), values
        )

    def _change(self, described, key, before, after) -> Markup:
        values = self._pair(described, key, before, after)
        if values["before"] == EMPTY:
            return _phrase(_("%(field)s: set to %(after)s"), values)
        if values["after"] == EMPTY:
            return _phrase(_("%(field)s: cleared (was %(before)s)"), values)
        return _phrase(_("%(field)s: from %(before)s to %(after)s"), values)

    def _account_event(self, event: AuditEvent, described: RecordType | None) -> Line:
        kind = EVENTS.get(event.action)
        details = Shown(event.after or {})
        if not event.record_id:
            template = kind.unknown if kind and kind.unknown else _("%(action)s: %(username)s")
            text = _phrase(template, Shown(details, action=event.action))
        else:
            values = Shown(details, record=self.record(event, described, {}), action=event.action)
            own = kind is not None and kind.own and str(event.actor_id) == event.record_id
            template = (kind.own if own else kind.other) if kind else _("%(action)s: %(record)s")
            text = _phrase(template, values)
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


def _actor_name(event: AuditEvent, name: str | None) -> str:
    if name:
        return name
    kind: EventKind | None = EVENTS.get(event.action)
    return tr(kind.nobody) if kind and kind.nobody else _("System")


def _entry(rows: list, reader: Reader, total: int) -> Entry | None:
    """One change set's events as an entry; records nest under the record they belong to."""
    first, first_actor = rows[0]
    read = [(event, actor, reader.lines(event)) for event, actor in rows]
    own_lines: dict[tuple[str, str], Line] = {}
    for event, _actor, lines in read:
        if event.action in RECORD_ACTIONS and lines:
            own_lines.setdefault((event.record_type, event.record_id), lines[0])
    nested: dict[tuple[str, str], list[Line]] = defaultdict(list)
    top: list[Line] = []
    for event, actor, lines in read:
        if event.actor_id != first.actor_id:
            for line in lines:
                line.actor = _actor_name(event, actor)
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
        actor=_actor_name(first, first_actor),
        client_ip=first.client_ip,
        items=summarise(top),
        more=total - len(rows),
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


def _first_events(change_sets: list[str]):
    """The first EVENTS_PER_ENTRY events of each change set, with their actors' names."""
    numbered = (
        select(
            AuditEvent.id,
            func.row_number()
            .over(partition_by=AuditEvent.change_set, order_by=AuditEvent.id)
            .label("n"),
        )
        .where(AuditEvent.change_set.in_(change_sets))
        .subquery()
    )
    return db.session.execute(
        select(AuditEvent, User.display_name)
        .join(numbered, numbered.c.id == AuditEvent.id)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(numbered.c.n <= EVENTS_PER_ENTRY)
        .order_by(AuditEvent.id)
    ).all()


def _event_counts(change_sets: list[str]) -> dict[str, int]:
    return dict(
        db.session.execute(
            select(AuditEvent.change_set, func.count(AuditEvent.id))
            .where(AuditEvent.change_set.in_(change_sets))
            .group_by(AuditEvent.change_set)
        ).all()
    )


def read_change_sets(change_sets: list[str], record: tuple[str, str] | None = None) -> TrailPage:
    """The entries of these change sets, in the order given; and the record's name, if asked."""
    rows, counts = [], {}
    if change_sets:
        rows, counts = _first_events(change_sets), _event_counts(change_sets)
    reader = Reader(Names.load(_wanted((e for e, _n in rows), [record] if record else [])))
    by_set: dict[str, list] = defaultdict(list)
    for row in rows:
        by_set[row[0].change_set].append(tuple(row))
    entries = [_entry(by_set[cs], reader, counts[cs]) for cs in change_sets if by_set.get(cs)]
    title = _record_title(record, reader, [e for e, _n in rows]) if record else None
    return TrailPage([entry for entry in entries if entry is not None], title)


def _record_title(record: tuple[str, str], reader: Reader, events: list[AuditEvent]) -> str:
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
