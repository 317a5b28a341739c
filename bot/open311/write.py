"""POST requests.json: another channel (e.g. the 12345 hotline) files a ticket with its api_key.

Form-encoded per the spec (a JSON object is accepted too). Identity fields the spec allows
(email, first_name, last_name, phone, device_id, account_id) are read by nobody and stored nowhere.
A retrying client sends the same `Idempotency-Key` header (or `idempotency_key` field) and gets the
same ticket back with 200 instead of a second ticket.
"""

import hashlib
import hmac
import logging
import math

from flask import current_app, request

from bot import geo, tickets
from bot.extensions import db
from bot.models import Category, TicketPhoto
from bot.open311.blueprint import bp
from bot.open311.read import checked_format
from bot.open311.render import CONTROL_CHARS, Open311Error, respond

log = logging.getLogger(__name__)


@bp.post("/requests.<fmt>")
def create_request(fmt):
    """Check the key, then the fields, then file (or find again) the ticket."""
    checked_format(fmt)
    form = submitted_fields()
    client = client_label(form.get("api_key", ""))
    category = service_category(form.get("service_code", ""))
    lat, lng = location(form)
    address = form.get("address_string") or form.get("address_id") or None
    ticket, created = tickets.create_ticket(
        db.session, category_code=category.code, description=form.get("description") or category.name,
        source="open311", lat=lat, lng=lng, address=address, idempotency_key=idempotency_key(client, form),
        actor=client,
    )
    if created:
        attach_media(ticket, form.get("media_url", ""))
    log.info("open311: %s %s by %s", "created" if created else "replayed", ticket.number, client)
    notice = f"已受理，派往{ticket.department.name}"
    return respond([{"service_request_id": ticket.number, "service_notice": notice, "account_id": None}],
                   "service_requests", "request", 201 if created else 200)


def submitted_fields():
    """The form (or a JSON object) as trimmed strings, without control characters in the text."""
    if request.form or not request.is_json:
        raw = request.form.to_dict()
    else:
        raw = request.get_json(silent=True)
        if not isinstance(raw, dict):
            raise Open311Error(400, "the body must be form-encoded fields (or a JSON object)")
    raw.setdefault("api_key", request.args.get("api_key", ""))
    # JSON may carry lone surrogates, which no database can store: they become "?".
    fields = {str(k): str(v).encode("utf-8", "replace").decode().strip() for k, v in raw.items()
              if isinstance(v, str | int | float) and not isinstance(v, bool)}
    # Text is stored (PostgreSQL refuses NUL); the key is compared exactly as sent.
    return {k: v if k == "api_key" else CONTROL_CHARS.sub("", v) for k, v in fields.items()}


def client_label(key):
    """The calling channel as open311:<hash> (the key itself is never stored); 403 if not allowed."""
    allowed = current_app.config.get("OPEN311_API_KEYS") or []
    if isinstance(allowed, str):
        allowed = [k.strip() for k in allowed.split(",") if k.strip()]
    given = key.encode()
    if not key or not any(hmac.compare_digest(given, k.encode()) for k in allowed):
        raise Open311Error(403, "api_key missing or invalid")
    return "open311:" + hashlib.sha256(given).hexdigest()[:8]


def service_category(code):
    """The active category this service_code names: 400 when missing, 404 when unknown."""
    if not code:
        raise Open311Error(400, "service_code is required")
    category = db.session.get(Category, code) if len(code) <= 32 else None
    if category is None or not category.active:
        raise Open311Error(404, f"unknown service_code: {code}")
    return category


def location(form):
    """WGS-84 lat & long in, GCJ-02 stored; an address alone is also a location."""
    raw_lat, raw_lng = form.get("lat", ""), form.get("long", "")
    if not raw_lat and not raw_lng:
        if not (form.get("address_string") or form.get("address_id")):
            raise Open311Error(400, "a location is required: lat & long, or address_string")
        return None, None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except ValueError as error:
        raise Open311Error(400, "lat and long must both be decimal degrees (WGS-84)") from error
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise Open311Error(400, "lat/long out of range")
    return geo.wgs84_to_gcj02(lat, lng)


def idempotency_key(client, form):
    """Scoped to the calling channel, so two channels' keys never collide."""
    given = request.headers.get("Idempotency-Key", "").strip() or form.get("idempotency_key", "")
    if not given:
        return None
    return f"{client}:{hashlib.sha256(given.encode()).hexdigest()[:40]}"


def attach_media(ticket, url):
    """Keep the channel's photo link (http/https only); it is shown back as media_url."""
    if url.lower().startswith(("http://", "https://")) and len(url) <= 500:
        db.session.add(TicketPhoto(ticket_id=ticket.id, pic_url=url))
        db.session.commit()

