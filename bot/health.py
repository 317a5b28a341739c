"""GET /healthz: can the app serve, and how are its database, Redis and job queue?"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.extensions import db
from bot.outbound import dead_letters

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 while the database answers ("degraded" when Redis is down: answers still go out);
    503 without the database: /wechat still answers kindly, but nothing can be filed."""
    database = _check(_ping_database)
    redis_state = _check(lambda: current_app.extensions["redis"].ping())
    if database != "ok":
        db.session.rollback()
    status = "unavailable" if database != "ok" else "ok" if redis_state == "ok" else "degraded"
    body = {
        "status": status,
        "database": {"state": database, "backend": db.engine.dialect.name},
        "redis": {"state": redis_state, "embedded": not current_app.config.get("REDIS_URL")},
        "jobs": {"dead": _dead_jobs() if redis_state == "ok" else None},
    }
    return jsonify(body), 503 if status == "unavailable" else 200


def _ping_database():
    """SELECT 1, once more on a new connection if the pooled one died (the server restarted)."""
    try:
        db.session.execute(text("SELECT 1"))
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        db.session.rollback()
        db.session.execute(text("SELECT 1"))


def _dead_jobs():
    """Jobs that failed on every retry (`flask --app bot jobs failed` lists them)."""
    try:
        return dead_letters.count(current_app.extensions["jobs"].queue)
    except Exception:  # Redis went away between the two probes
        return None


def _check(probe):
    try:
        probe()
        return "ok"
    except Exception as error:  # any failure of the probe is the state we report
        return f"error: {type(error).__name__}"
