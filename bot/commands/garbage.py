"""`flask --app bot garbage …`: staff maintain the sorting dictionary."""

import click
from flask.cli import AppGroup

from bot import garbage_data
from bot.extensions import db

garbage = AppGroup("garbage", help="Garbage-sorting dictionary.")


@garbage.command("add")
@click.argument("name")
@click.argument("category", type=click.Choice(garbage_data.CATEGORIES))
@click.option("--alias", "aliases", multiple=True, help="Another name residents use (repeatable).")
@click.option("--by", "actor", default="staff", help="Who made the change (kept in the item's sources).")
def add_command(name, category, aliases, actor):
    """Add an item or change its category."""
    item = garbage_data.upsert_item(db.session, name.strip(), category, [a.strip() for a in aliases], f"staff:{actor}")
    click.echo(f"{item.name}\t{item.category}\t{item.aliases}")


@garbage.command("unknown")
@click.option("--top", default=20, show_default=True, help="How many to list.")
def unknown_command(top):
    """Items residents asked about that the dictionary lacks, most asked first."""
    for row in garbage_data.top_unknown(db.session, top):
        click.echo(f"{row.count}\t{row.phrase}\t{row.suggestion or ''}")


@garbage.command("lookup")
@click.argument("text")
def lookup_command(text):
    """Show how a question is read (item phrases, match kind, category)."""
    from nlp.garbage_lookup import item_phrases

    index = garbage_data.index(db.session)
    for phrase in item_phrases(text):
        match = index.lookup(phrase)
        category = match.item.category if match.item else "-"
        name = match.item.name if match.item else "/".join(match.suggestions)
        click.echo(f"{phrase}\t{match.how}\t{name}\t{category}")


COMMANDS = [garbage]
