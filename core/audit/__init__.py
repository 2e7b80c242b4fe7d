"""The audit trail: who changed which record, and who signed in, when and from where.

`writing` records every change to an audited model and every account event, in the same
transaction as the change; `registry` is where each package says how its records read;
`reading` turns a page of events into sentences, one entry per action.
"""

from core.audit.reading import Entry, Group, Line, TrailPage, read_change_sets, tr
from core.audit.registry import (
    ANY_VALUE,
    BOOKKEEPING,
    EVENTS,
    NO_VALUE,
    RECORD_ACTIONS,
    TYPES,
    EventKind,
    Page,
    RecordType,
    describe,
    describe_common,
    register_event,
)
from core.audit.writing import (
    MASK,
    NEW_SECRET,
    acting_as,
    change_set,
    explain,
    install,
    plain,
    record_event,
    snapshot,
)

__all__ = [
    "ANY_VALUE",
    "BOOKKEEPING",
    "EVENTS",
    "MASK",
    "NEW_SECRET",
    "NO_VALUE",
    "RECORD_ACTIONS",
    "TYPES",
    "Entry",
    "EventKind",
    "Group",
    "Line",
    "Page",
    "RecordType",
    "TrailPage",
    "acting_as",
    "change_set",
    "describe",
    "describe_common",
    "explain",
    "install",
    "plain",
    "read_change_sets",
    "record_event",
    "register_event",
    "snapshot",
    "tr",
]
