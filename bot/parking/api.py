"""Occupancy API for lot operators: each operator pushes free-space counts for its own lots.

    curl -H "Authorization: Bearer jjp_…" -H "Content-Type: application/json" \
         -d '{"lot_id": 3, "free_spaces": 12}' http://…/api/parking/occupancy
    curl -H "Authorization: Bearer jjp_…" http://…/api/parking/lots      (the operator's lots)

Keys come from `flask --app bot parking operator NAME --lot ID`. A count is shown in the chat
as live for PARKING_LIVE_MAX_AGE_MINUTES (default 15) after it was pushed.
"""

from datetime import UTC

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from bot.extensions import db
from bot.models.parking import ParkingLot, ParkingOperator
from bot.parking.lots import hash_key

bp = Blueprint("parking_api", __name__, url_prefix="/api/parking")
BAD_BODY = "body must be {lot_id, free_spaces} or a list of them"


def _operator():
    """The active operator whose key the request carries (Bearer or X-API-Key), else None."""
    header = request.headers.get("Authorization", "")
    key = header.removeprefix("Bearer ").strip() or request.headers.get("X-API-Key", "").strip()
    if not key:
        return None
    operator = db.session.execute(select(ParkingOperator).filter_by(key_hash=hash_key(key))).scalar_one_or_none()
    return operator if operator is not None and operator.active else None


def _now():
    """The app's clock (tests fix it), in UTC like every stored time."""
    return current_app.config["CLOCK"]().astimezone(UTC)


def _apply(operator, update, now):
    """Apply one update to the operator's lot: (result, None) or (None, (error, status))."""
    if not isinstance(update, dict):
        return None, (BAD_BODY, 400)
    lot_id = update.get("lot_id")
    lot = db.session.get(ParkingLot, lot_id) if isinstance(lot_id, int) and not isinstance(lot_id, bool) else None
    if lot is None or lot.operator_id != operator.id:
        return None, (f"lot {lot_id!r} is not yours", 403)
    free = update.get("free_spaces")
    if not isinstance(free, int) or isinstance(free, bool) or not 0 <= free <= lot.spaces:
        return None, (f"free_spaces must be an integer 0..{lot.spaces}", 400)
    lot.free_spaces, lot.free_updated_at = free, now
    return {"lot_id": lot.id, "free_spaces": free, "updated_at": now.isoformat()}, None


@bp.post("/occupancy")
def occupancy():
    """One update {lot_id, free_spaces} or a list of them; all applied, or none if one is bad."""
    operator = _operator()
    if operator is None:
        return jsonify(error="missing or invalid API key"), 401
    payload = request.get_json(silent=True)
    updates = payload if isinstance(payload, list) else [payload]
    if not updates or len(updates) > 1000:
        return jsonify(error=BAD_BODY + " (at most 1000)"), 400
    now, results = _now(), []
    for update in updates:
        result, error = _apply(operator, update, now)
        if error:
            db.session.rollback()
            return jsonify(error=error[0]), error[1]
        results.append(result)
    db.session.commit()
    current_app.extensions["parking"].changed()  # every process answers with the new counts
    return jsonify(updated=results)


@bp.get("/lots")
def lots():
    """The operator's lots with their ids and last counts."""
    operator = _operator()
    if operator is None:
        return jsonify(error="missing or invalid API key"), 401
    rows = db.session.execute(select(ParkingLot).filter_by(operator_id=operator.id).order_by(ParkingLot.id)).scalars()
    return jsonify(lots=[{"lot_id": lot.id, "name": lot.name, "spaces": lot.spaces, "free_spaces": lot.free_spaces,
                          "updated_at": lot.free_updated_at.isoformat() if lot.free_updated_at else None}
                         for lot in rows])
