"""What Open311 clients see: JSON or GeoReport XML, spec-shaped errors, records without identity."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta, timezone

from flask import Response, jsonify, request

from bot import geo, tickets

CHINA_TIME = timezone(timedelta(hours=8))
# Phone numbers (mobile, landline) and ID-card numbers a citizen may have typed into free text.
_IDENTITY = re.compile(r"(?<![\d.])(?:\d{17}[\dXx]|(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}|0\d{2,3}-?\d{7,8}|\d{7,8})(?!\d)")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Everything outside XML 1.0's Char production (control characters, U+FFFE/U+FFFF, lone surrogates).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    """A refusal with its HTTP status, answered as [{code, description}]."""

    def __init__(self, status, description):
        super().__init__(description)
        self.status, self.description = status, description


def wanted_format():
    """xml when the path ends in .xml, else json (also for errors outside any view)."""
    return "xml" if request.path.endswith(".xml") else "json"


def respond(items, root, item, status=200):
    """A JSON array, or <root><item>…</item></root> as GeoReport's XML."""
    if wanted_format() != "xml":
        response = jsonify(items)
        response.status_code = status
        return response
    top = ET.Element(root)
    for record in items:
        _fill(ET.SubElement(top, item), record)
    return xml_response(top, status)


def xml_response(top, status=200):
    """Serialise an element tree with the XML declaration."""
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(top, encoding="utf-8")
    return Response(body, status, content_type="text/xml; charset=utf-8")


def _fill(node, record):
    for key, value in record.items():
        ET.SubElement(node, key).text = _xml_text(value)


def _xml_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return NOT_XML.sub("", str(value))  # XML 1.0 cannot carry these: one would spoil the whole document


def errors(status, description):
    """The spec's error list with the matching HTTP status."""
    return respond([{"code": status, "description": description}], "errors", "error", status)


def masked(text):
    """Free text without phone or ID numbers, so no reporter can be reached through it."""
    return _IDENTITY.sub("[已隐去]", text) if text else text


def w3c(moment):
    """A W3C datetime in China time (+08:00), or None."""
    return moment.astimezone(CHINA_TIME).isoformat(timespec="seconds") if moment else None


def status_notes(ticket):
    """The Chinese state, and the reason when the ticket was not accepted."""
    if ticket.status == tickets.REJECTED and ticket.reject_reason:
        return f"{ticket.status}：{masked(ticket.reject_reason)}"
    return ticket.status


def request_record(ticket, names):
    """One ticket as a GeoReport service request — nothing about who reported it.

    names: ({category code: service name}, {department id: department name}).
    """
    service_name, department = names[0][ticket.category_code], names[1][ticket.department_id]
    lat, lng = geo.gcj02_to_wgs84(ticket.lat, ticket.lng) if ticket.lat is not None else (None, None)
    return {
        "service_request_id": ticket.number,
        "status": "open" if ticket.status in tickets.OPEN_STATES else "closed",
        "status_notes": status_notes(ticket),
        "service_name": service_name, "service_code": ticket.category_code,
        "description": masked(ticket.description), "agency_responsible": department,
        "service_notice": "", "requested_datetime": w3c(ticket.created_at),
        "updated_datetime": w3c(ticket.updated_at), "expected_datetime": w3c(ticket.due_at),
        "address": masked(ticket.address) or "", "address_id": "", "zipcode": "",
        "lat": round(lat, 7) if lat is not None else None, "long": round(lng, 7) if lng is not None else None,
        "media_url": _media_url(ticket),
    }


def _media_url(ticket):
    """A photo URL the calling channel gave us; citizens' WeChat photos stay private."""
    if ticket.source != "open311":
        return ""
    return next((p.pic_url for p in ticket.photos if p.pic_url), "")
