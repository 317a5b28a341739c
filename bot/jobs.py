"""Slow work (media download, WeChat notifications) goes to an RQ queue on the app's Redis."""

import logging
import threading

import redis
from rq import Queue, Retry, SimpleWorker

log = logging.getLogger(__name__)
RETRY = Retry(max=5, interval=[10, 30, 60, 300, 900])


class Jobs:
    """The app's job queue. With JOBS_ASYNC false, jobs run at once (tests of job bodies)."""

    def __init__(self, app):
        client = app.extensions["redis"]
        self.queue = Queue("default", connection=client, is_async=app.config["JOBS_ASYNC"])
        self.app = app

    def enqueue(self, func, *args, **kwargs):
        """Queue func(*args, **kwargs) with retries and backoff; None when Redis is down."""
        try:
            return self.queue.enqueue(func, *args, retry=RETRY, **kwargs)
        except redis.RedisError:
            log.exception("Redis unavailable: job %s not queued", getattr(func, "__name__", func))
            return None

    def work(self, burst=True):
        """Run queued jobs inside this app's context (the `flask worker` command and tests)."""
        with self.app.app_context():
            worker = SimpleWorker([self.queue], connection=self.queue.connection)
            return worker.work(burst=burst, with_scheduler=True, logging_level="WARNING")

    def start_embedded_worker(self):
        """A worker thread for `make run` on fakeredis, where no separate worker can connect."""
        thread = threading.Thread(target=self._embedded_loop, name="rq-embedded", daemon=True)
        thread.start()
        return thread

    def _embedded_loop(self):
        with self.app.app_context():
            worker = SimpleWorker([self.queue], connection=self.queue.connection)
            worker.work(burst=False, with_scheduler=True, logging_level="WARNING")
