"""Hostile strings and the checks that say a staff page (HTML, CSV, XML) shows them inert."""

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

# One of each kind of trouble; TEMPLATE would read "tpl49tpl" if anything evaluated it.
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
TEMPLATE = "tpl{{7*7}}tpl"
FORMULA = '=HYPERLINK("http://evil.example","点我")'
SQL = "' OR 1=1 --"
RTL = "\u202egnp.exe\u202c"
CLOSE = "</textarea></dd><svg onload=alert(1)>"
PAYLOADS = [SCRIPT, ATTRIBUTE, JS_URL, TEMPLATE, FORMULA, SQL, RTL, CLOSE]
ALL = " ".join(PAYLOADS)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
OUR_SCRIPTS = ("/static/",)


class _Markup(HTMLParser):
    """Collects what an injected string could have turned into: handlers, script, js: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and "".join((value or "").split()).lower().startswith(
                    ("javascript:", "vbscript:", "data:text")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script" and not (attributes.get("type") == "application/json"
                                    or (attributes.get("src") or "").startswith(OUR_SCRIPTS)):
            self.problems.append("<script> that is not ours")
        if tag in ("svg", "iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}>")

    handle_startendtag = handle_starttag


def assert_inert_html(page, where=""):
    """No tag, attribute, script or URL in the page could have come from a payload."""
    parser = _Markup()
    parser.feed(page)
    assert not parser.problems, (where, parser.problems)
    assert "tpl49tpl" not in page, (where, "a template expression was evaluated")
    assert SCRIPT not in page and CLOSE not in page, where


def assert_formula_safe(body):
    """Every CSV cell is text to a spreadsheet: none starts with = + - @ (or tab / CR)."""
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    bad = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not bad, bad
    return rows


def parse_xml(body):
    """The body as an element tree; raises when it is not well-formed XML."""
    return ET.fromstring(body)
