"""`flask --app bot tickets …`: staff work tickets from the shell (the dashboard does the same)."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot import tickets as service
from bot.extensions import db
from bot.models import Ticket

tickets = AppGroup("tickets", help="Citizen tickets.")


@tickets.command("list")
@click.option("--status", default=None, help="Only this state (已受理, 已派遣, 处置中, 已办结, 不予受理).")
@click.option("--limit", default=20, show_default=True)
def list_command(status, limit):
    """Newest tickets first."""
    query = select(Ticket).order_by(Ticket.created_at.desc()).limit(limit)
    if status:
        query = query.filter_by(status=status)
    for t in db.session.execute(query).scalars():
        click.echo(f"{t.number}\t{t.status}\t{t.category.name}\t{t.department.name}\t{t.description[:30]}")


@tickets.command("status")
@click.argument("number")
@click.argument("state", type=click.Choice(service.STATES))
@click.option("--note", default=None, help="What was done (shown to the reporter).")
@click.option("--reason", default=None, help="Why (needed for 不予受理).")
@click.option("--by", "actor", default="cli", help="Who is making the change.")
def status_command(number, state, note, reason, actor):
    """Change a ticket's state; the reporter and followers are notified."""
    ticket = db.session.execute(select(Ticket).filter_by(number=number)).scalar_one_or_none()
    if ticket is None:
        raise click.ClickException(f"no ticket {number}")
    try:
        service.change_status(db.session, ticket, state, actor=f"staff:{actor}", note=note, reason=reason,
                              enqueue=current_app.extensions["jobs"].enqueue)
    except service.TicketError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{ticket.number}\t{ticket.status}")


COMMANDS = [tickets]
