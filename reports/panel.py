"""The panel in a period: its size at each month's end, who joined and who left, and its
members by category and post on the period's last day (or today, while it runs)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import aliased

from advisers.models import Adviser, Category, Post, Term
from core.extensions import db


@dataclass(frozen=True)
class TermSpan:
    start_on: date
    last_day: date
    renewal_of_id: int | None
    post: Post
    category: Category
    #: a renewal follows it, so the member serves on when it ends
    renewed: bool

    def serves_on(self, day: date) -> bool:
        return self.start_on <= day <= self.last_day


@dataclass
class PanelReport:
    first: date
    last: date
    #: the day the members are counted on: the period's last day, or today while it runs
    as_of: date
    #: (month's last day, members serving), up to `as_of`
    size: list[tuple[date, int]]
    #: appointed in the period (a renewal is not a new member)
    joined: int
    #: whose service ended in the period without a renewal
    left: int
    #: {(category, post): members} on `as_of`
    members: dict[tuple[Category, Post], int]

    @property
    def total(self) -> int:
        return sum(self.members.values())

    def count(self, category: Category | None = None, post: Post | None = None) -> int:
        return sum(
            n
            for (c, p), n in self.members.items()
            if (category is None or c is category) and (post is None or p is post)
        )

    def chart_data(self) -> dict:
        """The panel's size at each month's end, and its members by category."""
        return {
            "panelSize": {
                "labels": [day.strftime("%Y-%m") for day, _n in self.size],
                "series": [
                    {
                        "label": _("Members serving"),
                        "values": [n for _day, n in self.size],
                        "colour": "--bs-primary",
                    }
                ],
            },
            "byCategory": {
                "labels": [str(c.label) for c in Category],
                "series": [
                    {
                        "label": _("Members"),
                        "values": [self.count(category=c) for c in Category],
                        "colour": "--bs-success",
                    }
                ],
            },
        }


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from `first` to `last`, and `last` itself if it falls
    within a month."""
    days, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        end = date(year, month, calendar.monthrange(year, month)[1])
        days.append(min(end, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def _spans(first: date, last: date) -> list[TermSpan]:
    """The terms served in the period; a renewal withdrawn before it began was never served."""
    successor = aliased(Term)
    renewed = (
        select(successor.id)
        .where(successor.renewal_of_id == Term.id, successor.last_day >= successor.start_on)
        .exists()
    )
    stmt = (
        select(
            Term.start_on,
            Term.last_day,
            Term.renewal_of_id,
            Term.post,
            Adviser.category,
            renewed,
        )
        .join(Adviser, Adviser.id == Term.adviser_id)
        .where(Term.start_on <= last, Term.last_day >= first, Term.last_day >= Term.start_on)
    )
    return [TermSpan(*row) for row in db.session.execute(stmt)]


def panel_report(first: date, last: date, today: date) -> PanelReport:
    """The panel over the period, counted up to today while it runs; one query."""
    as_of = min(last, max(today, first))
    spans = _spans(first, as_of)
    members: dict[tuple[Category, Post], int] = {}
    for span in spans:
        if span.serves_on(as_of):
            key = (span.category, span.post)
            members[key] = members.get(key, 0) + 1
    return PanelReport(
        first=first,
        last=last,
        as_of=as_of,
        size=[(day, sum(s.serves_on(day) for s in spans)) for day in month_ends(first, as_of)],
        joined=sum(1 for s in spans if s.renewal_of_id is None and s.start_on >= first),
        left=sum(1 for s in spans if first <= s.last_day < as_of and not s.renewed),
        members=members,
    )
