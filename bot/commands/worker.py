"""`flask --app bot worker`: an RQ worker that runs jobs inside the app's context."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
@with_appcontext
def worker_command(burst):
    """Run notification and media jobs from the Redis queue."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("the worker needs REDIS_URL (the embedded Redis lives inside `make run`)")
    current_app.extensions["jobs"].work(burst=burst)


COMMANDS = [worker_command]
