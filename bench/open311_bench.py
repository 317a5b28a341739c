"""Open311 read and write timings on a district-sized ticket table (5,000 tickets).

    python bench/open311_bench.py
    BENCH_DATABASE_URL=postgresql+psycopg://…/throwaway python bench/open311_bench.py

Builds a migrated, seeded database (SQLite temp file by default; the PostgreSQL one is emptied
first), fills it with tickets spread over 60 days and times the endpoints through Flask's
test client (no network): median and 95th percentile milliseconds.
"""

import logging
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import throwaway_app  # noqa: E402
from bot.extensions import db  # noqa: E402
from bot.models import Category, Ticket  # noqa: E402

TICKETS, KEY = 5_000, "bench-key"
STATES = ["已受理", "已派遣", "处置中", "已办结", "不予受理"]


def build_app():
    """A migrated, seeded app on a throwaway database, filled with tickets."""
    app = throwaway_app(REDIS_URL=None, OPEN311_API_KEYS=[KEY])
    with app.app_context():
        fill()
    return app


def fill():
    """TICKETS tickets over the last 60 days, in all states and categories (JB… numbers never clash)."""
    categories = db.session.query(Category).all()
    now, rows = datetime.now(UTC), []
    for i in range(TICKETS):
        category, at = random.choice(categories), now - timedelta(minutes=random.randint(0, 60 * 24 * 60))
        rows.append(dict(number=f"JB{i:012d}", category_code=category.code,
                         department_id=category.department_id, status=random.choice(STATES), source="resident",
                         description="路灯不亮，晚上很黑，电话13811112222", lat=29.29 + random.uniform(-0.05, 0.05),
                         lng=106.26 + random.uniform(-0.05, 0.05), created_at=at, updated_at=at, due_at=at))
    db.session.execute(Ticket.__table__.insert(), rows)
    db.session.commit()


def timed(runs, call):
    """Median and 95th percentile milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 201), response.get_data(as_text=True)[:200]
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main():
    logging.getLogger("bot.open311").setLevel(logging.WARNING)
    app = build_app()
    client = app.test_client()
    one = client.get("/open311/v2/requests.json?service_code=street_light").get_json()[0]["service_request_id"]
    cases = {
        "GET services.json": (200, lambda: client.get("/open311/v2/services.json")),
        "GET requests.json (1000 records)": (20, lambda: client.get("/open311/v2/requests.json")),
        "GET requests.xml (1000 records)": (20, lambda: client.get("/open311/v2/requests.xml")),
        "GET requests.json?service_code&status": (100, lambda: client.get(
            "/open311/v2/requests.json?service_code=manhole_cover&status=open")),
        "GET requests/{id}.json": (200, lambda: client.get(f"/open311/v2/requests/{one}.json")),
        "POST requests.json": (200, lambda: client.post("/open311/v2/requests.json", data={
            "api_key": KEY, "service_code": "noise", "lat": "29.29", "long": "106.25", "description": "夜间施工"})),
    }
    print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, {TICKETS} tickets")
    for name, (runs, call) in cases.items():
        median, p95 = timed(runs, call)
        print(f"{name:42s} median {median:7.2f} ms   p95 {p95:7.2f} ms")


if __name__ == "__main__":
    main()
