"""`flask --app bot …` commands, one module per feature: thin adapters over the same services."""

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


def register(app):
    """Add every feature's command group."""
    for module in MODULES:
        for command in module.COMMANDS:
            app.cli.add_command(command)
