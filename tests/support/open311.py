"""Shared helpers for the Open311 tests: a valid POST, tickets made directly, ids of a query."""

from zoneinfo import ZoneInfo

KEY = "hotline-12345-key"
BASE = "/open311/v2"
CHINA = ZoneInfo("Asia/Shanghai")


def post(api, fmt="json", headers=None, **fields):
    """POST requests.<fmt> with a valid request, fields overriding it (None drops one)."""
    data = {"api_key": KEY, "service_code": "street_light", "lat": "29.29", "long": "106.25",
            "description": "路灯不亮（12345 热线转来）", **fields}
    return api.post(f"{BASE}/requests.{fmt}", headers=headers or {},
                    data={k: v for k, v in data.items() if v is not None})


def ids(api, **query):
    """service_request_ids that GET requests.json returns for this query."""
    response = api.get(f"{BASE}/requests.json", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["service_request_id"] for r in response.get_json()]
