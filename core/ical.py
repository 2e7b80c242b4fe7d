"""The iCalendar (RFC 5545) writing every feed shares, and the registry of what goes in a
user's feed: meetings put their meetings there, consultations their matters' due dates."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]

#: provider(user, host, stamp) -> the VEVENTs (each a list of content lines) for that user
EventProvider = Callable[[object, str, str], Iterable[list[str]]]
_PROVIDERS: list[EventProvider] = []


def register(provider: EventProvider) -> None:
    """Add a source of events to every user's feed (once per process)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def events_for(user, host: str, stamp: str) -> list[list[str]]:
    """Every registered source's events for this user."""
    return [event for provider in _PROVIDERS for event in provider(user, host, stamp)]


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    parts, current = [], ""
    for char in line:
        limit = 75 if not parts else 74
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def all_day_event(
    uid: str, day: date, summary: str, description: str, stamp: str, sequence: int = 0
) -> list[str]:
    """A whole-day event (a due date): DTSTART is the day, DTEND the day after."""
    after = date.fromordinal(day.toordinal() + 1)
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{sequence}",
        f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{after.strftime('%Y%m%d')}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def document(name: str, events: Iterable[list[str]]) -> str:
    """The whole feed as text with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Counsel//Legal Adviser Office//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        *VTIMEZONE,
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
