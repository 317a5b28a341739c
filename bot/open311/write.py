"""POST requests.json: another channel (e.g. the 12345 hotline) files a ticket with its api_key.

Form-encoded per the spec (a JSON object is accepted too). Identity fields the spec allows
(email, first_name, last_name, phone, device_id, account_id) are read by nobody and stored nowhere.
A retrying client sends the same `Idempotency-Key` header (or `idempotency_key` field) and gets the
same ticket back with 200 instead of a second ticket.

What we cannot keep as sent is refused with 400, never cut, moved or dropped: a body that is not
UTF-8, control characters in text, a description or address over its limit, an address_id (we
have no master address repository to resolve it), a media_url that is not a short http(s) link,
a location outside the district's bounds.
"""

import hashlib
import hmac
import logging
import math
from urllib.parse import parse_qsl, urlsplit

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
    address = limited(form, "address_string", MAX_ADDRESS) or None
    description = limited(form, "description", MAX_DESCRIPTION) or category.name
    media_url = checked_media_url(form.get("media_url", ""))
    ticket, created = tickets.create_ticket(
        db.session, category_code=category.code, description=description,
        source="open311", lat=lat, lng=lng, address=address, idempotency_key=idempotency_key(client, form),
        actor=client,
    )
    if created and media_url:
        db.session.add(TicketPhoto(ticket_id=ticket.id, pic_url=media_url))
        db.session.commit()
    log.info("open311: %s %s by %s", "created" if created else "replayed", ticket.number, client)
    notice = f"已受理，派往{ticket.department.name}"
    return respond([{"service_request_id": ticket.number, "service_notice": notice, "account_id": None}],
                   "service_requests", "request", 201 if created else 200)


MAX_DESCRIPTION, MAX_ADDRESS, MAX_MEDIA_URL = 2000, 200, 500  # what a ticket keeps (docs/open311.md)
TEXT_FIELDS = ("service_code", "description", "address_string", "media_url", "idempotency_key")


def submitted_fields():
    """The form (or a JSON object) as trimmed strings; 400 for what we could not store as sent."""
    if request.is_json:
        raw = request.get_json(silent=True)
        if not isinstance(raw, dict):
            raise Open311Error(400, "the body must be form-encoded fields (or a JSON object)")
    elif request.mimetype == "multipart/form-data":
        raw = request.form.to_dict()
    else:
        raw = _urlencoded(request.get_data(cache=True))
    raw.setdefault("api_key", request.args.get("api_key", ""))
    fields = {}
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        value = str(value)
        if not _encodable(value):  # JSON may carry lone surrogates, which no database can store
            raise Open311Error(400, f"{key} is not valid Unicode text")
        fields[str(key)] = value.strip()
    for key in TEXT_FIELDS:
        if CONTROL_CHARS.search(fields.get(key, "")):
            raise Open311Error(400, f"{key} contains control characters")
    return fields


def _urlencoded(body):
    """application/x-www-form-urlencoded, strictly UTF-8 (the spec's encoding): 400 otherwise."""
    try:
        text = body.decode("utf-8")
        return dict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError as error:
        raise Open311Error(400, "the body is not UTF-8 (form fields must be UTF-8, percent-encoded)") from error
    except ValueError as error:
        raise Open311Error(400, f"the body is not form-encoded: {error}") from error


def _encodable(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def limited(form, name, limit):
    """A text field, refused (never cut) when longer than what the ticket keeps."""
    value = form.get(name, "")
    if len(value) > limit:
        raise Open311Error(400, f"{name} is longer than {limit} characters ({len(value)})")
    return value


def checked_media_url(url):
    """An http(s) photo link of at most MAX_MEDIA_URL characters, or "" when none was sent."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url):
        raise Open311Error(400, "media_url must be an http or https URL")
    if len(url) > MAX_MEDIA_URL:
        raise Open311Error(400, f"media_url is longer than {MAX_MEDIA_URL} characters ({len(url)})")
    return url


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
    """WGS-84 lat & long in, GCJ-02 stored, inside the district's bounds; or an address alone."""
    if form.get("address_id"):
        raise Open311Error(400, "address_id is not supported (no master address repository here): "
                                "send lat & long, or address_string")
    raw_lat, raw_lng = form.get("lat", ""), form.get("long", "")
    if not raw_lat and not raw_lng:
        if not form.get("address_string"):
            raise Open311Error(400, "a location is required: lat & long, or address_string")
        return None, None
    try:
        lat, lng = float(raw_lat), float(raw_lng)
    except ValueError as error:
        raise Open311Error(400, "lat and long must both be decimal degrees (WGS-84)") from error
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        raise Open311Error(400, "lat/long out of range")
    gcj = geo.wgs84_to_gcj02(lat, lng)
    district = current_app.config["DISTRICT"]
    if not geo.within(district["bounds"], *gcj):
        raise Open311Error(400, f"lat/long {lat:g},{lng:g} is outside {district['city']}{district['name']}, "
                                "the area this service covers")
    return gcj


def idempotency_key(client, form):
    """Scoped to the calling channel, so two channels' keys never collide."""
    given = request.headers.get("Idempotency-Key", "").strip() or form.get("idempotency_key", "")
    if not given:
        return None
    return f"{client}:{hashlib.sha256(given.encode()).hexdigest()[:40]}"
