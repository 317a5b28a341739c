"""Dead letters: jobs that failed on every retry, kept in RQ's failed registry for staff.

`flask --app bot jobs failed` lists them, `jobs requeue` runs them again with a fresh retry
schedule, and /healthz counts them. A dead notification job leaves its outbox row pending, so
`tickets notify-pending` sends it as well; the row's status keeps either route from sending twice.
"""

from dataclasses import dataclass
from datetime import datetime

from rq.job import Job

ARGS_SHOWN = 80  # characters of a job's arguments in a listing


@dataclass
class DeadJob:
    id: str
    function: str
    arguments: str
    error: str
    attempts: int
    failed_at: datetime | None


def count(queue):
    """How many jobs are dead on this queue."""
    return queue.failed_job_registry.count


def listing(queue, limit=100):
    """The dead jobs, most recently failed first."""
    ids = queue.failed_job_registry.get_job_ids()
    jobs = [job for job in Job.fetch_many(ids, connection=queue.connection) if job is not None]
    jobs.sort(key=lambda job: job.ended_at or datetime.min, reverse=True)
    return [_describe(job) for job in jobs[:limit]]


def requeue(queue, retry, job_ids=None):
    """Queue dead jobs again (all when job_ids is None), each with the whole retry schedule."""
    registry = queue.failed_job_registry
    requeued = []
    for job_id in registry.get_job_ids() if job_ids is None else job_ids:
        job = Job.fetch(job_id, connection=queue.connection)
        job.retries_left, job.retry_intervals = retry.max, retry.intervals
        registry.requeue(job)
        requeued.append(job_id)
    return requeued


def _describe(job):
    arguments = ", ".join([repr(a) for a in job.args] + [f"{k}={v!r}" for k, v in job.kwargs.items()])
    if len(arguments) > ARGS_SHOWN:
        arguments = arguments[:ARGS_SHOWN - 1] + "…"
    return DeadJob(id=job.id, function=job.func_name, arguments=arguments, error=_last_error(job),
                   attempts=job.meta.get("attempts", 0), failed_at=job.ended_at)


def _last_error(job):
    """The last line of the final traceback ("RuntimeError: WeChat said no")."""
    result = job.latest_result()
    lines = (result.exc_string or "").strip().splitlines() if result is not None else []
    return lines[-1] if lines else "unknown"
