"""`flask demo load` and `flask demo logins`: the demo district for trying the product."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.flow import commit
from core.i18n import today
from demo import panel as demo
from demo.consultations import MORE_USERS

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has users.")
def load(if_empty: bool):
    """Load the demo district, panel and users."""
    if not demo.is_empty():
        if if_empty:
            click.echo("demo: the database has data already; left as it is")
            return
        raise click.ClickException("the database is not empty; demo data goes into a new one")
    demo.load_demo(today())
    commit()
    click.echo("demo: loaded")


@demo_cli.command("logins")
def logins():
    """Print the demo logins."""
    click.echo(f"Demo logins (password for all: {demo.DEMO_PASSWORD}):")
    for username, role, display in demo.DEMO_USERS:
        click.echo(f"  {username:<8} {role.value:<8} {display}")
    click.echo("More liaisons and advisers, with the same password:")
    for username, role, display in MORE_USERS:
        click.echo(f"  {username:<13} {role.value:<8} {display}")
