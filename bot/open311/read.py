"""GET endpoints: services and their definitions, requests (by id or filtered)."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

import nlp.tables
from bot import tickets
from bot.extensions import db
from bot.models import Category, Department, Ticket
from bot.open311.blueprint import bp
from bot.open311.render import CHINA_TIME, Open311Error, request_record, respond, xml_response

MAX_WINDOW, MAX_RESULTS = timedelta(days=90), 1000  # the spec caps a date range at 90 days
# A record needs its photos: load them with the page, not per ticket (names: category_names).
EAGER = (selectinload(Ticket.photos),)
# An unencoded "+08:00" in a query string arrives as " 08:00".
_PLUS_AS_SPACE = re.compile(r"(T[\d:.]+) (\d\d:?\d\d)$")


def checked_format(fmt):
    """Only .json and .xml exist; anything else is an unknown resource."""
    if fmt not in ("json", "xml"):
        raise Open311Error(404, f"unsupported format: {fmt}")


def path_value(value, what):
    """A code or number from the URL; control characters can name nothing we have."""
    if not value or any(ord(ch) < 32 for ch in value) or len(value) > 64:
        raise Open311Error(404, f"unknown {what}: {value!r}")
    return value


def query_list(name):
    """A comma-separated query parameter as clean, non-empty items."""
    raw = request.args.get(name, "")
    if any(ord(ch) < 32 for ch in raw):
        raise Open311Error(400, f"{name} contains control characters")
    return [item.strip() for item in raw.split(",") if item.strip()]


@cache
def _keywords():
    """category code -> its strongest report keywords (nlp's table), loaded once."""
    ranked = {}
    for keyword, claims in nlp.tables.keywords("category_keywords.tsv").items():
        for code, weight in claims:
            ranked.setdefault(code, []).append((-weight, keyword))
    return {code: ",".join(k for _, k in sorted(pairs)[:8]) for code, pairs in ranked.items()}


def service(category):
    """One category as a GeoReport service (group = its department)."""
    department = category.department.name
    return {"service_code": category.code, "service_name": category.name,
            "description": f"{category.name}：由{department}办理，{category.sla_hours}个工作小时内处置",
            "metadata": False, "type": "realtime", "keywords": _keywords().get(category.code, ""),
            "group": department}


@bp.get("/services.<fmt>")
def services(fmt):
    checked_format(fmt)
    query = select(Category).options(joinedload(Category.department)).filter_by(active=True).order_by(Category.code)
    rows = db.session.execute(query).scalars()
    return respond([service(c) for c in rows], "services", "service")


@bp.get("/services/<code>.<fmt>")
def service_definition(code, fmt):
    """No extra attributes are needed: description and location are the whole request."""
    checked_format(fmt)
    category = db.session.get(Category, path_value(code, "service_code"))
    if category is None or not category.active:
        raise Open311Error(404, f"unknown service_code: {code}")
    definition = {"service_code": category.code, "attributes": []}
    if fmt == "json":
        return definition
    top = ET.Element("service_definition")
    ET.SubElement(top, "service_code").text = category.code
    ET.SubElement(top, "attributes")
    return xml_response(top)


@bp.get("/requests.<fmt>")
def list_requests(fmt):
    """Requests by id (overrides every other filter), or filtered within a 90-day default window."""
    checked_format(fmt)
    ids = query_list("service_request_id")
    if len(ids) > MAX_RESULTS:
        raise Open311Error(400, f"at most {MAX_RESULTS} service_request_id values")
    query = select(Ticket).options(*EAGER).order_by(Ticket.created_at.desc(), Ticket.id.desc())
    query = query.where(Ticket.number.in_(ids)) if ids else filtered(query)
    rows = db.session.execute(query.limit(MAX_RESULTS)).scalars()
    names = category_names()
    return respond([request_record(t, names) for t in rows], "service_requests", "request")


def category_names():
    """({code: service name}, {department id: name}): two small queries instead of lazy loads per ticket."""
    services = dict(db.session.execute(select(Category.code, Category.name)).all())
    return services, dict(db.session.execute(select(Department.id, Department.name)).all())


def filtered(query):
    """service_code, start_date/end_date (default: the last 90 days) and status open/closed."""
    codes = query_list("service_code")
    if codes:
        query = query.where(Ticket.category_code.in_(codes))
    start, end = window()
    query = query.where(Ticket.created_at >= start, Ticket.created_at <= end)
    wanted = set(query_list("status"))
    if wanted - {"open", "closed"}:
        raise Open311Error(400, "status must be open or closed")
    if wanted:
        states = [s for s in tickets.STATES if ("open" if s in tickets.OPEN_STATES else "closed") in wanted]
        query = query.where(Ticket.status.in_(states))
    return query


def window():
    """(start, end) in UTC, at most 90 days apart: the spec's cap. Either end defaults from the
    other (90 days), and both from now; a range the wrong way round or wider is refused."""
    start, end = w3c_arg("start_date"), w3c_arg("end_date")
    try:
        if start is None:
            end = end or datetime.now(UTC)
            return end - MAX_WINDOW, end
        if end is None:
            return start, min(start + MAX_WINDOW, max(start, datetime.now(UTC)))
    except OverflowError as error:
        raise Open311Error(400, "start_date/end_date out of range") from error
    if start > end:
        raise Open311Error(400, "start_date is after end_date")
    if end - start > MAX_WINDOW:
        raise Open311Error(400, f"start_date to end_date spans {(end - start).days} days; at most 90 are allowed")
    return start, end


def w3c_arg(name):
    """A W3C datetime query parameter (a date alone is midnight; no zone means China time), in UTC."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(_PLUS_AS_SPACE.sub(r"\1+\2", raw.replace("Z", "+00:00")))
        return (moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TIME)).astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise Open311Error(400, f"{name} is not a W3C datetime (e.g. 2026-11-24T08:00:00+08:00)") from error


@bp.get("/tokens/<token>.<fmt>")
def get_token(token, fmt):
    """GeoReport's token lookup. A POST files its ticket at once and answers its service_request_id,
    so no separate token is ever issued: the ticket number is its own token."""
    checked_format(fmt)
    number = db.session.execute(
        select(Ticket.number).filter_by(number=path_value(token, "token"))).scalar_one_or_none()
    if number is None:
        raise Open311Error(404, f"unknown token: {token}")
    return respond([{"service_request_id": number, "token": number}], "service_requests", "request")


@bp.get("/requests/<number>.<fmt>")
def get_request(number, fmt):
    checked_format(fmt)
    ticket = db.session.execute(
        select(Ticket).options(*EAGER).filter_by(number=path_value(number, "service_request_id"))).scalar_one_or_none()
    if ticket is None:
        raise Open311Error(404, f"unknown service_request_id: {number}")
    return respond([request_record(ticket, category_names())], "service_requests", "request")
