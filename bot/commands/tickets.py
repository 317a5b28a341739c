"""`flask --app bot tickets …`: staff work tickets from the shell (the dashboard does the same)."""

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from bot import tickets as service
from bot.config import TZ
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
    ticket = _ticket(number)
    try:
        service.change_status(db.session, ticket, state, actor=f"staff:{actor}", note=note, reason=reason,
                              enqueue=current_app.extensions["jobs"].enqueue)
    except service.TicketError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{ticket.number}\t{ticket.status}")


@tickets.command("show")
@click.argument("number")
def show_command(number):
    """One ticket with its history (staff only: it includes the phone number)."""
    t = _ticket(number)
    click.echo(f"{t.number}\t{t.status}\t{t.category.name}\t{t.department.name}\tdue {_local(t.due_at)}")
    click.echo(f"{t.address or ''} ({t.lat}, {t.lng})\tphone {t.phone or '-'}\t{len(t.photos)} photo(s)")
    click.echo(t.description)
    for h in t.history:
        click.echo(f"  {_local(h.at)}\t{service.actor_name(h.actor)}\t{service.ACTION_NAMES.get(h.action, h.action)}\t{h.to_status or ''}\t{h.note or ''}")


@tickets.command("notify-pending")
@click.option("--minutes", default=10, show_default=True, help="Only rows pending at least this long.")
def notify_pending_command(minutes):
    """Queue again the notifications whose job never finished (run from cron after an outage)."""
    from datetime import timedelta

    from bot.tickets import notify

    rows = notify.pending(db.session, older_than=timedelta(minutes=minutes))
    notify.queue(current_app.extensions["jobs"].enqueue, rows)
    click.echo(f"queued {len(rows)} notification(s)")


def _local(moment):
    """A stored time as Beijing time, as staff read it everywhere."""
    return f"{moment.astimezone(TZ):%Y-%m-%d %H:%M}" if moment else "-"


def _ticket(number):
    ticket = db.session.execute(select(Ticket).filter_by(number=number.strip().upper())).scalar_one_or_none()
    if ticket is None:
        raise click.ClickException(f"no ticket {number}")
    return ticket


COMMANDS = [tickets]
