"""The open311 blueprint and what it needs before its views register on it."""


import logging

from flask import Blueprint, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from bot.extensions import db
from bot.open311.render import Open311Error, errors

log = logging.getLogger(__name__)
class StrictPaths(Blueprint):
    """A doubled slash names nothing here: a 404 in the spec's shape, not Werkzeug's 308 HTML redirect
    (machine clients do not follow it with their POST body, and it is not the spec's answer)."""

    def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
        options.setdefault("merge_slashes", False)
        super().add_url_rule(rule, endpoint, view_func, **options)


bp = StrictPaths("open311", __name__, url_prefix="/open311/v2")


@bp.errorhandler(Open311Error)
def _open311_error(error):
    return errors(error.status, error.description)


@bp.errorhandler(HTTPException)
def _http_error(error):
    """Werkzeug's own refusals (a malformed body, too large…) in the spec's error shape."""
    return errors(error.code or 400, error.description or error.name)


@bp.errorhandler(SQLAlchemyError)
def _database_error(error):
    """The database is down or refused: say so in the spec's shape instead of an HTML 500."""
    db.session.rollback()
    log.exception("open311: database error on %s", request.path)
    return errors(503, "service temporarily unavailable, please retry")


def _routing_error(error):
    """404/405 raised before any view is chosen: Open311's shape under our prefix only."""
    if request.path.startswith(bp.url_prefix + "/"):
        if error.code == 404 or "//" in request.path:  # Werkzeug says 405 for a "//" a GET route would take
            return errors(404, "not found")
        return errors(error.code, f"method {request.method} not allowed")
    return error


bp.record_once(lambda state: [state.app.register_error_handler(code, _routing_error) for code in (404, 405)])

