"""`make run`: migrate, load reference data and serve on 127.0.0.1 in one process.

With no REDIS_URL the Redis emulation lives inside this process, so migrations, seeding, the
job worker and the web server all run here, sharing it. With no WECHAT_SECRET the WeChat API
stand-in answers the jobs' calls, and the pushes show in the simulator.
"""

import argparse
import gc
import logging
import os

from flask_migrate import upgrade
from werkzeug.serving import WSGIRequestHandler, make_server

from bot import config as settings
from bot import create_app, warm_up
from bot.seed import seed_all

log = logging.getLogger("bot.serve")


class PlainRequestLog(WSGIRequestHandler):
    """One plain line per request in the app's log format (Werkzeug's own adds terminal colours)."""

    def log_request(self, code="-", size="-"):
        log.info("%s %s %s %s", self.address_string(), self.command, self.path, code)

    def log(self, type, message, *args):
        getattr(log, type if type in ("info", "warning", "error") else "info")(message.rstrip(), *args)


def main():
    """Prepare the database and serve the app with Werkzeug's threaded server."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    try:
        app = create_app({"EMBEDDED_WORKER": True})
    except settings.ConfigError as error:  # one line naming the setting, not a traceback
        raise SystemExit(f"津管家 cannot start: {error}") from None
    for note in settings.development_notes(app.config):
        log.info(note)
    with app.app_context():
        upgrade(revision="heads")
        seed_all()
    warm_up(app)  # again: the dictionary and keywords the migrations and the seed just wrote
    gc.freeze()  # the loaded dictionaries stay for the process's life: keep full collections short
    if not app.config.get("REDIS_URL"):
        app.extensions["jobs"].start_embedded_worker()
        log.info("jobs run in this process (embedded worker on the Redis emulation)")
    server = make_server(args.host, args.port, app, threaded=True, request_handler=PlainRequestLog)
    log.info("津管家 serving on http://%s:%s (simulator: /simulator, dashboard: /dashboard)", args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopped")


if __name__ == "__main__":
    main()
