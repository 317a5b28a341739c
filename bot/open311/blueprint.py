"""The open311 blueprint and what it needs before its views register on it."""


import logging

from flask import Blueprint, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from bot.extensions import db
from bot.open311.render import Open311Error, errors

log = logging.getLogger(__name__)
bp = Blueprint("open311", __name__, url_prefix="/open311/v2")


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
        return errors(error.code, "not found" if error.code == 404 else f"method {request.method} not allowed")
    return error


bp.record_once(lambda state: [state.app.register_error_handler(code, _routing_error) for code in (404, 405)])

