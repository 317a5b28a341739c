"""The job queue: real Redis with a burst worker, and the embedded worker of `make run`."""

import operator
import time

from bot import create_app


def test_queued_job_runs_in_a_burst_worker(make_app):
    app = make_app(JOBS_ASYNC=True)
    jobs = app.extensions["jobs"]
    job = jobs.enqueue(operator.mul, 6, 7)
    assert job.get_status() == "queued"
    jobs.work(burst=True)
    assert job.return_value() == 42


def test_embedded_worker_runs_jobs_on_fakeredis(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}", "REDIS_URL": None})
    jobs = app.extensions["jobs"]
    jobs.start_embedded_worker()
    job = jobs.enqueue(operator.add, 2, 3)
    deadline = time.monotonic() + 10
    while job.get_status() != "finished" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.return_value() == 5


def test_enqueue_with_redis_down_returns_none(app):
    down = create_app({**app.config, "REDIS_URL": "redis://127.0.0.1:1/0", "JOBS_ASYNC": True})
    assert down.extensions["jobs"].enqueue(operator.add, 1, 1) is None


_attempts = []


def flaky(key):
    """Fails on its first attempt, succeeds on the second."""
    _attempts.append(key)
    if _attempts.count(key) == 1:
        raise RuntimeError("WeChat said no")
    return "sent"


def test_failed_job_is_retried(make_app, backend):
    app = make_app(JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[0, 0])
    jobs = app.extensions["jobs"]
    job = jobs.enqueue(flaky, backend)
    jobs.work(burst=True)
    jobs.work(burst=True)
    assert job.return_value() == "sent"
    assert _attempts.count(backend) == 2
