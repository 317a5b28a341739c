"""Occupancy API for lot operators: POST /api/parking/occupancy with their key.

    curl -H "Authorization: Bearer jjp_…" -H "Content-Type: application/json" \
         -d '{"lot_id": 3, "free_spaces": 12}' http://…/api/parking/occupancy
"""

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from bot.extensions import db
from bot.models.core import utcnow
from bot.models.parking import ParkingLot, ParkingOperator
from bot.parking_data import hash_key

bp = Blueprint("parking_api", __name__, url_prefix="/api/parking")


def _operator():
    header = request.headers.get("Authorization", "")
    key = header.removeprefix("Bearer ").strip() or request.headers.get("X-API-Key", "")
    if not key:
        return None
    operator = db.session.execute(select(ParkingOperator).filter_by(key_hash=hash_key(key))).scalar_one_or_none()
    return operator if operator is not None and operator.active else None


@bp.post("/occupancy")
def occupancy():
    """One update {lot_id, free_spaces} or a list of them; only the operator's own lots."""
    operator = _operator()
    if operator is None:
        return jsonify(error="missing or invalid API key"), 401
    payload = request.get_json(silent=True)
    updates = payload if isinstance(payload, list) else [payload]
    results = []
    for update in updates:
        if not isinstance(update, dict):
            return jsonify(error="body must be {lot_id, free_spaces} or a list of them"), 400
        lot = db.session.get(ParkingLot, update.get("lot_id")) if isinstance(update.get("lot_id"), int) else None
        if lot is None or lot.operator_id != operator.id:
            return jsonify(error=f"lot {update.get('lot_id')} is not yours"), 403
        free = update.get("free_spaces")
        if not isinstance(free, int) or isinstance(free, bool) or not 0 <= free <= lot.spaces:
            return jsonify(error=f"free_spaces must be an integer 0..{lot.spaces}"), 400
        lot.free_spaces, lot.free_updated_at = free, utcnow()
        results.append({"lot_id": lot.id, "free_spaces": free})
    db.session.commit()
    return jsonify(updated=results)
