"""Open311 GeoReport v2 under /open311/v2/ (JSON, and XML for the same paths ending in .xml).

service_request_id is the ticket number and agency_responsible its department. Coordinates go
out in WGS-84 (tickets store GCJ-02, as WeChat sends them) and come in as WGS-84. No reporter
identity ever appears: no openid, phone or name, and phone-like numbers in free text are masked.
Docs: docs/open311.md.
"""

from bot.open311 import discovery, read, write  # noqa: F401  (views register on bp)
from bot.open311.blueprint import bp  # noqa: F401
