"""`flask --app bot seed`: load the reference data."""

import click
from flask.cli import with_appcontext


@click.command("seed")
@with_appcontext
def seed_command():
    """Load departments, categories and each feature's reference data (idempotent)."""
    from bot.seed import seed_all

    seed_all()
    click.echo("reference data loaded")


COMMANDS = [seed_command]
