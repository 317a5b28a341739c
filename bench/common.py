"""What several benchmarks share: a migrated, seeded app on a throwaway database."""

import os
import tempfile

from sqlalchemy import text

from bot import create_app
from bot.extensions import db


def throwaway_app(**settings):
    """An app on BENCH_DATABASE_URL (its schema emptied first) or a temporary SQLite file."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "JOBS_ASYNC": False, **settings})
    with app.app_context():
        from flask_migrate import upgrade

        from bot.seed import seed_all

        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(revision="heads")
        seed_all()
    return app
