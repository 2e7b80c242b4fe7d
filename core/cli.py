"""Commands: `flask scheduler run`, `flask scheduler run-job`, `flask users create`,
`flask secrets reseal`."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from core import scheduler as scheduling
from core import services
from core.errors import DomainError
from core.flow import commit
from core.models import Role
from core.schema import SchemaOutOfDate, require_current_schema

scheduler_cli = AppGroup("scheduler", help="Run the job scheduler.")
users_cli = AppGroup("users", help="Manage login accounts.")
secrets_cli = AppGroup("secrets", help="The secrets stored sealed under SECRET_KEY.")


@scheduler_cli.command("run")
def run_scheduler():
    """Run the scheduler in the foreground until stopped (its own process)."""
    app = current_app._get_current_object()
    try:
        require_current_schema(app)
    except SchemaOutOfDate as error:
        raise click.ClickException(str(error)) from None
    sched = scheduling.build_scheduler(app)
    click.echo(f"scheduler: {', '.join(scheduling.JOBS)} (Asia/Shanghai)")
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("scheduler stopped")


@scheduler_cli.command("run-job")
@click.argument("name")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="Slot to run for (default today).")
def run_job(name: str, day):
    """Run one job now, once for its slot."""
    if name not in scheduling.JOBS:
        raise click.BadParameter(f"choose one of {', '.join(scheduling.JOBS)}")
    slot: date | None = day.date() if day else None
    ran = scheduling.run_job(current_app._get_current_object(), name, slot)
    click.echo("ran" if ran else "already ran for this slot")


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    type=click.Choice([r.value for r in Role]),
    multiple=True,
    default=[Role.ADMIN.value],
    help="A role; repeat for several.",
)
@click.option("--name", "display_name", default=None)
@click.password_option()
def create_user(username: str, roles: tuple[str, ...], display_name: str | None, password: str):
    """Create a login account; the password must meet the password policy."""
    try:
        services.create_user(
            None,
            username=username,
            password=password,
            display_name=display_name or username,
            roles=[Role(role) for role in roles],
        )
    except DomainError as error:
        raise click.ClickException(error.message) from None
    commit()
    click.echo(f"created {username} ({', '.join(roles)})")


@secrets_cli.command("reseal")
def reseal_secrets():
    """Seal the stored secrets again under SECRET_KEY, after the key was rotated (the old key
    in SECRET_KEY_FALLBACKS). Exits with 1 when some could not be opened with any key."""
    unreadable = services.reseal_secrets()
    commit()
    if unreadable:
        raise click.ClickException(
            f"no key opens the secrets of {', '.join(unreadable)}: put the key they were sealed "
            "with in SECRET_KEY_FALLBACKS and run this again, or have those users make a new "
            "calendar address and an administrator reset their second factor"
        )
    click.echo("every stored secret is sealed under the current SECRET_KEY")


def register_cli(app: Flask) -> None:
    app.cli.add_command(scheduler_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(secrets_cli)
