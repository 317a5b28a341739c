"""`flask --app bot supervisor …`: invite, list and disable 群众监督员."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.extensions import db
from bot.models import Supervisor
from bot.supervisors import invite

supervisor = AppGroup("supervisor", help="Volunteer supervisors (群众监督员).")


@supervisor.command("invite")
@click.option("--name", required=True, help="The supervisor's name.")
@click.option("--phone", default=None, help="Phone number (kept for staff only).")
def invite_command(name, phone):
    """Print an invite code; the chat text `绑定 CODE` binds the sender."""
    try:
        click.echo(invite(db.session, name, phone).invite_code)
    except ValueError as error:
        raise click.ClickException(str(error)) from error


@supervisor.command("list")
def list_command():
    """Supervisors with their codes, points and whether they are bound."""
    for row in db.session.execute(select(Supervisor).order_by(Supervisor.id)).scalars():
        state = "bound" if row.bound_at else "not bound"
        click.echo(f"{row.invite_code}\t{row.name}\t{row.points}\t{state}\t{'active' if row.active else 'disabled'}")


@supervisor.command("disable")
@click.argument("code")
def disable_command(code):
    """Disable a supervisor's code."""
    row = db.session.execute(select(Supervisor).filter_by(invite_code=code.upper())).scalar_one_or_none()
    if row is None:
        raise click.ClickException(f"no supervisor with code {code}")
    row.active = False
    db.session.commit()
    click.echo(f"disabled {row.invite_code} {row.name}")


COMMANDS = [supervisor]
