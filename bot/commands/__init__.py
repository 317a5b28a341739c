"""`flask --app bot …` commands, one module per feature: thin adapters over the same services."""

import functools

import click
from flask.cli import ScriptInfo
from sqlalchemy import inspect

from bot.commands import (
    chat,
    garbage,
    jobs,
    menu,
    nlp,
    parking,
    quiz,
    setup,
    staff,
    supervisor,
    tickets,
    worker,
)

MODULES = (setup, chat, worker, jobs, menu, nlp, garbage, parking, supervisor, staff, quiz, tickets)
NO_DATABASE = (menu, nlp)  # commands that work before the database has its tables
NOT_MIGRATED = ("the database has no tables yet: `make run` creates them on start, or run "
                "`flask --app bot db upgrade heads` and then `flask --app bot seed`")


def register(app):
    """Add every feature's command group; those that read the database first check it has tables."""
    for module in MODULES:
        for command in module.COMMANDS:
            if module not in NO_DATABASE:
                _needs_tables(command)
            app.cli.add_command(command)


def _needs_tables(command):
    """Make command (and a group's subcommands) stop with one line on a database never migrated,
    instead of a 'no such table' traceback. Commands are module objects: wrapped once."""
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            _needs_tables(subcommand)
        return
    callback = command.callback
    if callback is None or getattr(callback, "checks_tables", False):
        return

    @functools.wraps(callback)
    def checked(*args, **kwargs):
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
        with app.app_context():
            from bot.extensions import db

            if not inspect(db.engine).has_table("alembic_version"):
                raise click.ClickException(NOT_MIGRATED)
        return callback(*args, **kwargs)

    checked.checks_tables = True
    command.callback = checked
