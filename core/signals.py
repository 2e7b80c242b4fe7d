"""Signals that let a higher package join a lower one's pages and react to its events.

A lower package never imports a higher one. Instead it sends a signal, and the higher package
connects to it in its `init_app`: the adviser's page asks for `page_sections` and the
evaluation package adds the attendance card; meetings send `attendance_changed` and the
evaluation package re-checks the dismissal rule.
"""

from __future__ import annotations

from blinker import Namespace
from markupsafe import Markup

_signals = Namespace()

#: sender: a page name such as "advisers.adviser"; receivers return Markup or None
page_sections = _signals.signal("page-sections")

#: sender: the year whose holidays were entered or replaced; the lawsuits register recounts
#: the statutory deadlines the change may move
calendar_changed = _signals.signal("calendar-changed")


def sections(page: str, **context) -> list[Markup]:
    """The HTML that other packages add to a page, in the order they connected."""
    return [html for _receiver, html in page_sections.send(page, **context) if html]
