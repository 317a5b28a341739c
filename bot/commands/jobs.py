"""`flask --app bot jobs …`: the jobs that failed on every retry (dead letters), and running them again."""

from datetime import UTC

import click
from flask import current_app
from flask.cli import AppGroup
from rq.exceptions import InvalidJobOperation, NoSuchJobError

from bot.config import TZ
from bot.outbound import dead_letters

jobs = AppGroup("jobs", help="Background jobs (notifications, photo downloads).")


@jobs.command("failed")
@click.option("--limit", default=100, show_default=True)
def failed_command(limit):
    """Dead jobs, most recent first: id, time (Beijing), function, attempts, error, arguments."""
    queue = _visible_queue().queue
    dead = dead_letters.listing(queue, limit)
    for job in dead:
        when = f"{job.failed_at.replace(tzinfo=UTC).astimezone(TZ):%Y-%m-%d %H:%M:%S}" if job.failed_at else "-"
        click.echo(f"{job.id}\t{when}\t{job.function}\t{job.attempts} attempt(s)\t{job.error}\t({job.arguments})")
    click.echo(f"{dead_letters.count(queue)} dead job(s)")


@jobs.command("requeue")
@click.argument("job_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every dead job.")
def requeue_command(job_ids, everything):
    """Queue dead jobs again, each with the whole retry schedule (run after fixing the cause)."""
    if bool(job_ids) == everything:
        raise click.UsageError("give job ids or --all")
    service = _visible_queue()
    try:
        requeued = dead_letters.requeue(service.queue, service.retry, None if everything else list(job_ids))
    except (NoSuchJobError, InvalidJobOperation) as error:
        raise click.ClickException(f"not a dead job: {error}") from error
    click.echo(f"requeued {len(requeued)} job(s)")


def _visible_queue():
    service = current_app.extensions["jobs"]
    if service.embedded:
        raise click.ClickException(
            "REDIS_URL is not set, so the job queue lives inside the `make run` process (its Redis "
            "emulation) and this command cannot see it. Failed jobs are in that process's log; set "
            "REDIS_URL (and run `make worker`) to see them here.")
    return service


COMMANDS = [jobs]
