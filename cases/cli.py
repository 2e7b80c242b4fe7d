"""`flask deadlines`: count a statutory period on the calendar, and print the rule table.

flask deadlines due 2025-09-30 15d     # 2025-10-15
flask deadlines due 2027-03-01 10wd    # 2027-03-15 provisional (2027 not loaded)
flask deadlines rules
"""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from cases.statutes import PARTY_LABELS, RULES, TRIGGER_LABELS
from core.workdays import current_calendar
from core.workdays.periods import Period, period_end

deadlines_cli = AppGroup("deadlines", help="Statutory deadlines on the working-day calendar.")


class PeriodType(click.ParamType):
    name = "period"

    def convert(self, value, param, ctx) -> Period:
        if isinstance(value, Period):
            return value
        try:
            return Period.parse(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


class DayType(click.ParamType):
    name = "date"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"not a date: {value!r} (YYYY-MM-DD)", param, ctx)


@deadlines_cli.command("due")
@click.argument("start", type=DayType())
@click.argument("period", type=PeriodType())
def due(start: date, period: Period):
    """Print the day a PERIOD (15d, 10wd, 6m, 2y) from START ends, and whether it is
    provisional (a year on the way is not loaded)."""
    end = period_end(current_calendar(), start, period)
    click.echo(end.day.isoformat() + (" provisional" if end.is_provisional else ""))


@deadlines_cli.command("rules")
def rules():
    """Print the statutory periods the product counts, with their articles."""
    for rule in RULES:
        click.echo(
            "\t".join(
                (
                    rule.code,
                    str(rule.period) + (f" +{rule.extension}" if rule.extension else ""),
                    TRIGGER_LABELS[rule.trigger],
                    PARTY_LABELS[rule.party],
                    ",".join(rule.kinds),
                    "automatic" if rule.automatic else "reference",
                    rule.label,
                    rule.article,
                )
            )
        )
