"""Shared helpers for the Open311 tests: a valid POST, tickets made directly, ids of a query."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot import tickets
from bot.extensions import db
from bot.models import User

KEY = "hotline-12345-key"
BASE = "/open311/v2"
CHINA = ZoneInfo("Asia/Shanghai")


def post(api, fmt="json", headers=None, **fields):
    """POST requests.<fmt> with a valid request, fields overriding it (None drops one)."""
    data = {"api_key": KEY, "service_code": "street_light", "lat": "29.29", "long": "106.25",
            "description": "路灯不亮（12345 热线转来）", **fields}
    return api.post(f"{BASE}/requests.{fmt}", headers=headers or {},
                    data={k: v for k, v in data.items() if v is not None})


def make_ticket(app, category="street_light", days_ago=0, status=None, reason=None, openid=None, **fields):
    """A ticket filed directly (as the chat would), optionally moved to a state; returns its number."""
    with app.app_context():
        reporter = None
        if openid:
            reporter = User(openid=openid, display_name="张小明")
            db.session.add(reporter)
        ticket, _ = tickets.create_ticket(db.session, category_code=category, source="resident", reporter=reporter,
                                          description=fields.pop("description", "路灯坏了"),
                                          now=datetime.now(CHINA) - timedelta(days=days_ago), **fields)
        if status:
            tickets.change_status(db.session, ticket, status, actor="staff:test", reason=reason)
        return ticket.number


def ids(api, **query):
    """service_request_ids that GET requests.json returns for this query."""
    response = api.get(f"{BASE}/requests.json", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["service_request_id"] for r in response.get_json()]
