"""`make run`: migrate, load reference data and serve on 127.0.0.1 in one process.

With no REDIS_URL the Redis emulation lives inside this process, so migrations, seeding, the
job worker and the web server all run here, sharing it.
"""

import argparse
import gc
import logging
import os

from flask_migrate import upgrade

from bot import create_app, warm_up
from bot.seed import seed_all

log = logging.getLogger("bot.serve")


def main():
    """Prepare the database and serve the app with Werkzeug's threaded server."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        seed_all()
    warm_up(app)  # again: the dictionary and keywords the migrations and the seed just wrote
    gc.freeze()  # the loaded dictionaries stay for the process's life: keep full collections short
    if not app.config.get("REDIS_URL"):
        app.extensions["jobs"].start_embedded_worker()
        log.info("jobs run in this process (embedded worker on the Redis emulation)")
    log.info("津管家 serving on http://%s:%s (simulator: /simulator)", args.host, args.port)
    app.run(host=args.host, port=args.port, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
