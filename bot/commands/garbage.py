"""`flask --app bot garbage …`: staff maintain the sorting dictionary."""

import click
from flask import current_app
from flask.cli import AppGroup

from bot import garbage as garbage_data
from bot.extensions import db

garbage = AppGroup("garbage", help="Garbage-sorting dictionary.")


@garbage.command("add")
@click.argument("name")
@click.argument("category")
@click.option("--alias", "aliases", multiple=True, help="Another name residents use (repeatable).")
@click.option("--tip", default=None, help="A practical tip shown with this item's answer.")
@click.option("--by", "actor", default="cli", help="Who made the change (kept as added_by).")
def add_command(name, category, aliases, tip, actor):
    """Add an item or change its category (可回收物/有害垃圾/厨余垃圾/其他垃圾, or 湿垃圾/干垃圾)."""
    try:
        item = garbage_data.upsert_item(db.session, name, category, [a.strip() for a in aliases], f"staff:{actor}", tip)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    current_app.extensions["garbage"].refresh_soon()  # other processes see it within GARBAGE_CHECK_SECONDS
    click.echo(f"{item.name}\t{item.category}\t{item.aliases}\t{item.tip or ''}")


@garbage.command("unknown")
@click.option("--top", default=20, show_default=True, help="How many to list.")
def unknown_command(top):
    """Items residents asked about that the dictionary lacks, most asked first."""
    for row in garbage_data.top_unknown(db.session, top):
        click.echo(f"{row.count}\t{row.phrase}\t{row.suggestion or ''}\t{row.last_seen:%Y-%m-%d}")


@garbage.command("lookup")
@click.argument("text")
def lookup_command(text):
    """Show how a question is read (item phrase, match kind, item, category)."""
    from nlp.garbage_lookup import item_phrases

    index = current_app.extensions["garbage"].index(db.session)
    for phrase in item_phrases(text) or [text]:
        match = index.lookup(phrase)
        name = match.item.name if match.item else "/".join(s.name for s in match.suggestions)
        click.echo(f"{phrase}\t{match.how}\t{name}\t{match.item.category if match.item else match.category or '-'}")


COMMANDS = [garbage]
