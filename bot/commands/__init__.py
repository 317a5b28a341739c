"""`flask --app bot …` commands, one module per feature."""

import importlib

MODULES = (
    "setup", "chat", "worker", "jobs", "menu", "nlp", "garbage", "parking", "supervisor", "staff", "quiz", "tickets",
)


def register(app):
    """Add every feature's command group that exists in this checkout."""
    for name in MODULES:
        try:
            module = importlib.import_module(f"bot.commands.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"bot.commands.{name}":
                raise
            continue
        for command in module.COMMANDS:
            app.cli.add_command(command)
