"""GeoReport's service discovery document: where this endpoint is and what it speaks."""

import xml.etree.ElementTree as ET

from flask import current_app, url_for

from bot.open311.blueprint import bp
from bot.open311.read import checked_format
from bot.open311.render import xml_response

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-24T00:00:00+08:00"


@bp.get("/discovery.<fmt>")
def discovery(fmt):
    """This one production endpoint, JSON or XML."""
    checked_format(fmt)
    district = current_app.config["DISTRICT"]
    contact = f"{district['bureau']}（政务服务便民热线 {district['hotline']}）"
    key_service = f"提交工单需要 api_key，请向{district['bureau']}申请"
    base = url_for("open311.services", fmt="json", _external=True).rsplit("/", 1)[0]
    endpoint = {"specification": SPEC, "url": base, "changeset": CHANGESET, "type": "production",
                "formats": ["application/json", "text/xml"]}
    if fmt == "json":
        return {"changeset": CHANGESET, "contact": contact, "key_service": key_service, "endpoints": [endpoint]}
    top = ET.Element("discovery")
    for key, text in (("changeset", CHANGESET), ("contact", contact), ("key_service", key_service)):
        ET.SubElement(top, key).text = text
    node = ET.SubElement(ET.SubElement(top, "endpoints"), "endpoint")
    for key in ("specification", "url", "changeset", "type"):
        ET.SubElement(node, key).text = endpoint[key]
    formats = ET.SubElement(node, "formats")
    for mime in endpoint["formats"]:
        ET.SubElement(formats, "format").text = mime
    return xml_response(top)
