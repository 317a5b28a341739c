"""The job queue: real Redis with a burst worker, and the embedded worker of `make run`."""

import operator
import time

import pytest

from bot import create_app
from tests.conftest import BACKENDS


def test_queued_job_runs_in_a_burst_worker(make_app):
    app = make_app(JOBS_ASYNC=True)
    jobs = app.extensions["jobs"]
    job = jobs.enqueue(operator.mul, 6, 7)
    assert job.get_status() == "queued"
    jobs.work(burst=True)
    assert job.return_value() == 42


def test_embedded_worker_runs_jobs_on_fakeredis(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.db'}", "REDIS_URL": None, "EMBEDDED_WORKER": True})
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


_fixed = {}


def fails_until_fixed(key):
    """Fails until the test 'fixes the cause'."""
    _attempts.append(key)
    if not _fixed.get(key):
        raise RuntimeError("WeChat said no")
    return "sent"


@pytest.mark.parametrize("backend", BACKENDS[-1:])  # the queue is the subject, not the database
def test_job_failing_every_time_backs_off_then_is_dead_until_requeued(make_app, backend):
    app = make_app(JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[1, 2])
    jobs, key = app.extensions["jobs"], "backoff"
    job = jobs.enqueue(fails_until_fixed, key)
    delays = []
    for _ in range(2):
        jobs.work(burst=True)
        job.refresh()
        scheduled = jobs.queue.scheduled_job_registry.get_scheduled_time(job).timestamp()
        delays.append(scheduled - job.ended_at.timestamp())  # from the failure to the next attempt
        time.sleep(max(scheduled - time.time(), 0) + 0.05)
    jobs.work(burst=True)
    assert 0 < delays[0] < delays[1] <= 2  # RQ keeps whole seconds: 1 s, then 2 s
    assert _attempts.count(key) == 3 and job.get_status(refresh=True) == "failed"
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["jobs", "failed"]).output
    assert job.id in listing and "fails_until_fixed" in listing and "'backoff'" in listing
    assert "3 attempt(s)" in listing and "RuntimeError: WeChat said no" in listing
    assert "1 dead job(s)" in listing
    assert app.test_client().get("/healthz").get_json()["jobs"] == {"dead": 1}
    _fixed[key] = True
    assert "requeued 1" in runner.invoke(args=["jobs", "requeue", job.id]).output
    jobs.work(burst=True)
    assert job.return_value(refresh=True) == "sent" and _attempts.count(key) == 4
    assert "0 dead job(s)" in runner.invoke(args=["jobs", "failed"]).output


@pytest.mark.parametrize("backend", BACKENDS[-1:])
def test_requeued_dead_job_gets_the_whole_retry_schedule_again(make_app, backend):
    app = make_app(JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[0, 0])
    jobs, key = app.extensions["jobs"], "again"
    job = jobs.enqueue(fails_until_fixed, key)
    jobs.work(burst=True)
    assert _attempts.count(key) == 3
    runner = app.test_cli_runner()
    assert runner.invoke(args=["jobs", "requeue"]).exit_code != 0  # neither ids nor --all
    assert "not a dead job" in runner.invoke(args=["jobs", "requeue", "no-such-job"]).output
    assert "requeued 1" in runner.invoke(args=["jobs", "requeue", "--all"]).output
    jobs.work(burst=True)
    assert _attempts.count(key) == 6 and job.get_status(refresh=True) == "failed"


def add_twice(openid):
    """Leaves the job's session needing a rollback (a duplicate key on flush)."""
    from bot.extensions import db
    from bot.models import User

    db.session.add_all([User(openid=openid), User(openid=openid)])
    db.session.commit()


def count_users():
    from bot.extensions import db
    from bot.models import User

    return db.session.query(User).count()


def test_a_job_that_broke_its_session_does_not_break_the_next(make_app):
    app = make_app(JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[60])
    jobs = app.extensions["jobs"]
    jobs.enqueue(add_twice, "o-dup")
    counted = jobs.enqueue(count_users)
    jobs.work(burst=True)
    assert counted.return_value() == 0
