"""gunicorn settings for production: `make serve` or `gunicorn -c gunicorn.conf.py "bot:create_app()"`."""

import gc
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# Load the app (jieba, dictionaries, indexes) in the master before forking, so every worker
# starts warm and shares the read-only memory copy-on-write.
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()


def post_fork(server, worker):
    """Connections opened in the master must not be shared with workers."""
    app = server.app.wsgi()
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        return
    from bot.extensions import db

    with app.app_context():
        db.engine.dispose()
        if "read_engine" in app.extensions:
            app.extensions["read_engine"].dispose()


def when_ready(server):
    """The preloaded app (jieba, dictionaries, indexes: ~170,000 objects) never changes again:
    move it out of the garbage collector's sight before forking. A full collection over it cost
    ~80 ms, stalling every thread of a worker; it was most of the benchmark's p99."""
    gc.freeze()
