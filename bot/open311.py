"""Open311 GeoReport v2 under /open311/v2/: services, requests (read, and POST with api_key).

service_request_id is the ticket number; agency_responsible the department; coordinates go out
in WGS-84 (stored GCJ-02, as WeChat sends them) and come in WGS-84; no reporter identity ever.
"""

import hmac
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy import select

from bot import geo, tickets
from bot.extensions import db
from bot.models import Category, Ticket

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
DEFAULT_WINDOW, MAX_RESULTS = timedelta(days=90), 1000


class Open311Error(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.status, self.description = status, description


@bp.errorhandler(Open311Error)
def _error(error):
    return respond([{"code": error.status, "description": error.description}], "errors", "error", error.status)


@bp.app_errorhandler(404)
def _not_found(error):
    if request.path.startswith(bp.url_prefix):
        return _error(Open311Error(404, "not found"))
    return error


def respond(items, root, item, status=200, fmt=None):
    """JSON array, or GeoReport's XML when the path ends in .xml."""
    fmt = fmt or (request.view_args or {}).get("fmt", "json")
    if fmt == "xml":
        top = ET.Element(root)
        for record in items:
            node = ET.SubElement(top, item)
            for key, value in record.items():
                ET.SubElement(node, key).text = "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
        return Response(body, status, content_type="text/xml; charset=utf-8")
    response = jsonify(items)
    response.status_code = status
    return response


def _fmt(fmt):
    if fmt not in ("json", "xml"):
        raise Open311Error(404, f"unsupported format: {fmt}")
    return fmt


def service(category):
    return {"service_code": category.code, "service_name": category.name, "description": category.name,
            "metadata": False, "type": "realtime", "keywords": "", "group": category.department.name}


@bp.get("/services.<fmt>")
def services(fmt):
    _fmt(fmt)
    rows = db.session.execute(select(Category).filter_by(active=True).order_by(Category.code)).scalars()
    return respond([service(c) for c in rows], "services", "service")


@bp.get("/services/<code>.<fmt>")
def service_definition(code, fmt):
    _fmt(fmt)
    category = db.session.get(Category, code)
    if category is None:
        raise Open311Error(404, f"unknown service_code: {code}")
    definition = {"service_code": code, "attributes": []}
    if fmt == "xml":
        return respond([{"service_code": code}], "service_definition", "service")
    return jsonify(definition)


def request_record(ticket):
    """One ticket as a GeoReport service request (no reporter identity)."""
    lat, lng = geo.gcj02_to_wgs84(ticket.lat, ticket.lng) if ticket.lat is not None else (None, None)
    notes = ticket.status + (f"：{ticket.reject_reason}" if ticket.status == tickets.REJECTED and ticket.reject_reason else "")
    return {
        "service_request_id": ticket.number, "status": "open" if ticket.status in tickets.OPEN_STATES else "closed",
        "status_notes": notes, "service_name": ticket.category.name, "service_code": ticket.category_code,
        "description": ticket.description, "agency_responsible": ticket.department.name, "service_notice": "",
        "requested_datetime": _w3c(ticket.created_at), "updated_datetime": _w3c(ticket.updated_at),
        "expected_datetime": _w3c(ticket.due_at), "address": ticket.address or "", "address_id": "", "zipcode": "",
        "lat": round(lat, 7) if lat is not None else None, "long": round(lng, 7) if lng is not None else None,
        "media_url": "",
    }


def _w3c(moment):
    return moment.astimezone(timezone(timedelta(hours=8))).isoformat(timespec="seconds") if moment else None


def _date(name):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as error:
        raise Open311Error(400, f"{name} is not a w3c datetime: {raw}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone(timedelta(hours=8)))


@bp.get("/requests.<fmt>")
def list_requests(fmt):
    _fmt(fmt)
    query = select(Ticket).order_by(Ticket.created_at.desc())
    ids = [i.strip() for i in request.args.get("service_request_id", "").split(",") if i.strip()]
    query = query.where(Ticket.number.in_(ids)) if ids else _filtered(query)
    rows = db.session.execute(query.limit(MAX_RESULTS)).scalars()
    return respond([request_record(t) for t in rows], "service_requests", "request")


def _filtered(query):
    codes = [c.strip() for c in request.args.get("service_code", "").split(",") if c.strip()]
    if codes:
        query = query.where(Ticket.category_code.in_(codes))
    end = _date("end_date") or datetime.now(UTC)
    start = _date("start_date") or end - DEFAULT_WINDOW
    query = query.where(Ticket.created_at >= start, Ticket.created_at <= end)
    status = request.args.get("status")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, "status must be open or closed")
        states = [s for s in tickets.STATES if ("open" if s in tickets.OPEN_STATES else "closed") in wanted]
        query = query.where(Ticket.status.in_(states))
    return query


@bp.get("/requests/<number>.<fmt>")
def get_request(number, fmt):
    _fmt(fmt)
    ticket = db.session.execute(select(Ticket).filter_by(number=number)).scalar_one_or_none()
    if ticket is None:
        raise Open311Error(404, f"unknown service_request_id: {number}")
    return respond([request_record(ticket)], "service_requests", "request")


@bp.post("/requests.<fmt>")
def create_request(fmt):
    _fmt(fmt)
    key = _api_key()
    form = request.form if request.form else (request.get_json(silent=True) or {})
    category = db.session.get(Category, (form.get("service_code") or "").strip())
    if category is None:
        raise Open311Error(404 if form.get("service_code") else 400, "service_code missing or unknown")
    lat, lng = _location(form)
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description is required")
    idempotency = request.headers.get("Idempotency-Key") or form.get("token")
    ticket, _ = tickets.create_ticket(
        db.session, category_code=category.code, description=description[:2000], source="open311",
        lat=lat, lng=lng, address=(form.get("address_string") or "")[:200] or None,
        idempotency_key=f"open311:{key[:8]}:{idempotency}"[:128] if idempotency else None,
        actor=f"open311:{key[:4]}…",
    )
    return respond([{"service_request_id": ticket.number, "service_notice": f"已派往{ticket.department.name}",
                     "account_id": ""}], "service_requests", "request", 201)


def _api_key():
    key = request.values.get("api_key") or (request.get_json(silent=True) or {}).get("api_key") or ""
    allowed = current_app.config.get("OPEN311_API_KEYS") or []
    if not key or not any(hmac.compare_digest(key, k) for k in allowed):
        raise Open311Error(403, "api_key missing or invalid")
    return key


def _location(form):
    """WGS-84 lat/long in, GCJ-02 stored; an address alone is also a location."""
    raw_lat, raw_lng = form.get("lat"), form.get("long")
    if raw_lat in (None, "") and raw_lng in (None, ""):
        if not (form.get("address_string") or "").strip():
            raise Open311Error(400, "a location is required: lat & long, or address_string")
        return None, None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except (TypeError, ValueError) as error:
        raise Open311Error(400, "lat and long must be numbers") from error
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise Open311Error(400, "lat/long out of range")
    return geo.wgs84_to_gcj02(lat, lng)
