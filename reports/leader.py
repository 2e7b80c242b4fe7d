"""The leader's page: this year's key figures against last year's, each leading to the part of
the report it comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports import overview


@dataclass(frozen=True)
class Trend:
    """A figure this year so far, and the same figure for the whole of last year."""

    figure: overview.KeyFigure
    previous: Decimal | int | None

    @property
    def is_rate(self) -> bool:
        return self.figure.unit == "%"

    @property
    def change(self) -> Decimal | int | None:
        """Points up or down; only for a rate, as a count of part of a year is not comparable
        with a whole year's."""
        if not self.is_rate or self.figure.value is None or self.previous is None:
            return None
        return self.figure.value - self.previous

    @property
    def good_news(self) -> bool | None:
        if not self.change:
            return None
        return (self.change > 0) == self.figure.higher_is_better


def trends(current: overview.Overview, previous: overview.Overview) -> list[Trend]:
    before = {f.key: f.value for f in overview.key_figures(previous)}
    return [Trend(f, before.get(f.key)) for f in overview.key_figures(current)]


def leader_overviews(day: date) -> tuple[overview.Overview, overview.Overview]:
    """This year so far, and last year as a whole."""
    return (
        overview.overview(day.year, None, day, every_adviser=False),
        overview.overview(day.year - 1, None, day, every_adviser=False),
    )
