"""GET /healthz: can the app serve, and how are its database and Redis?"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from bot.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 while the app can answer citizens (Redis down only degrades it); 503 without a database."""
    database = _check(lambda: db.session.execute(text("SELECT 1")))
    redis_state = _check(lambda: current_app.extensions["redis"].ping())
    if database != "ok":
        db.session.rollback()
    body = {
        "status": "ok" if database == "ok" else "unavailable",
        "database": {"state": database, "backend": db.engine.dialect.name},
        "redis": {"state": redis_state, "embedded": not current_app.config.get("REDIS_URL")},
    }
    return jsonify(body), 200 if database == "ok" else 503


def _check(probe):
    try:
        probe()
        return "ok"
    except Exception as error:  # any failure of the probe is the state we report
        return f"error: {type(error).__name__}"
