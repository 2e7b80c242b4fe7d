"""`flask holidays seed`: load the years a newer chinese-calendar package knows."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.flow import commit
from core.workdays.seed import seed_calendar

holidays_cli = AppGroup("holidays", help="The working-day calendar.")


@holidays_cli.command("seed")
def seed():
    """Load every year the chinese-calendar package knows and the table lacks."""
    years = seed_calendar()
    commit()
    click.echo(f"holidays: loaded {', '.join(map(str, years))}" if years else "holidays: none new")
