"""Slow work (media download, WeChat notifications) goes to an RQ queue on the app's Redis.

A job that fails is retried with growing pauses (JOB_RETRY_INTERVALS); one that fails every
time lands in RQ's failed registry, the dead letters of bot/dead_letters.py.
"""

import logging
import threading
import time

import redis
from rq import Queue, Retry, SimpleWorker
from rq.scheduler import RQScheduler
from rq.timeouts import TimerDeathPenalty

log = logging.getLogger(__name__)


class AppWorker(SimpleWorker):
    """Runs each job on a database session of its own and counts its attempts."""

    def perform_job(self, job, queue, *args, **kwargs):
        from bot.extensions import db

        job.meta["attempts"] = job.meta.get("attempts", 0) + 1
        job.save_meta()
        try:
            return super().perform_job(job, queue, *args, **kwargs)
        finally:
            db.session.remove()  # a job that failed mid-transaction must not poison the next one


class ThreadWorker(AppWorker):
    """A SimpleWorker that can live in a thread (signals belong to the main thread)."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self):
        pass


class Jobs:
    """The app's job queue. With JOBS_ASYNC false, jobs run at once (tests of job bodies).

    With no REDIS_URL the queue lives in this process's Redis emulation, which no worker elsewhere
    can reach: `make run` works it in a thread (EMBEDDED_WORKER); any other process (a CLI command)
    runs its jobs at once, so that nothing it queues waits forever in a queue only it can see.
    """

    def __init__(self, app):
        client = app.extensions["redis"]
        self.embedded = not app.config.get("REDIS_URL")
        reachable = not self.embedded or app.config.get("EMBEDDED_WORKER")
        self.queue = Queue("default", connection=client, is_async=bool(app.config["JOBS_ASYNC"] and reachable))
        self.app = app
        intervals = app.config["JOB_RETRY_INTERVALS"]
        self.retry = Retry(max=len(intervals), interval=list(intervals))

    def enqueue(self, func, *args, **kwargs):
        """Queue func(*args, **kwargs) with retries and backoff; None when Redis is down."""
        try:
            return self.queue.enqueue(func, *args, retry=self.retry, **kwargs)
        except redis.RedisError:
            log.exception("Redis unavailable: job %s not queued", getattr(func, "__name__", func))
            return None

    def work(self, burst=True):
        """Run queued jobs inside this app's context (the `flask worker` command and tests).

        A burst first moves due retries onto the queue itself instead of forking RQ's scheduler.
        """
        with self.app.app_context():
            if burst:
                return self._burst(AppWorker([self.queue], connection=self.queue.connection))
            worker = AppWorker([self.queue], connection=self.queue.connection)
            return worker.work(burst=False, with_scheduler=True, logging_level="WARNING")

    def _burst(self, worker):
        scheduler = RQScheduler([self.queue], connection=self.queue.connection, logging_level="WARNING")
        if scheduler.acquire_locks():
            scheduler.enqueue_scheduled_jobs()
            scheduler.release_locks()
        return worker.work(burst=True, with_scheduler=False, logging_level="WARNING")

    def start_embedded_worker(self):
        """A worker thread for `make run` on fakeredis, where no separate worker can connect."""
        thread = threading.Thread(target=self._embedded_loop, name="rq-embedded", daemon=True)
        thread.start()
        return thread

    def _embedded_loop(self):
        """Bursts every half second: RQ's scheduler would fork, which an in-process Redis can't follow."""
        worker = ThreadWorker([self.queue], connection=self.queue.connection)
        while True:
            try:
                with self.app.app_context():
                    self._burst(worker)
            except Exception:  # keep the embedded worker alive whatever a job did
                log.exception("embedded worker loop failed")
            time.sleep(0.5)
