"""`flask --app bot supervisor …`: invite, list and disable 群众监督员."""

import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.extensions import db
from bot.models import Supervisor

supervisor = AppGroup("supervisor", help="Volunteer supervisors (群众监督员).")
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


NAME_MAX, PHONE_MAX = 64, 32  # the columns' sizes: PostgreSQL refuses longer values


def invite(session, name, phone=None):
    """A new supervisor with a fresh invite code (ValueError when the name or phone won't fit)."""
    if not name or len(name) > NAME_MAX or len(phone or "") > PHONE_MAX:
        raise ValueError(f"姓名需为 1–{NAME_MAX} 个字，电话最多 {PHONE_MAX} 位")
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        if session.execute(select(Supervisor).filter_by(invite_code=code)).first() is None:
            break
    row = Supervisor(name=name, phone=phone, invite_code=code)
    session.add(row)
    session.commit()
    return row


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
