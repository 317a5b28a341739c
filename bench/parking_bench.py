"""Nearest-lot lookup for 10,000 lots: Redis GEOSEARCH vs the scan used when Redis is down.

    python bench/parking_bench.py
    BENCH_DATABASE_URL=postgresql+psycopg://…/throwaway python bench/parking_bench.py

Two levels: (1) the index alone — GEOSEARCH against a pure-Python scan of an in-memory list;
(2) the bot's own `ParkingSearch.nearest()` with the lots in a database (SQLite temp file by
default), through Redis and with Redis down. Uses BENCH_REDIS_URL (default db 4), touching
only its own keys; bench lots are named `bench-…` and removed afterwards.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot import geo  # noqa: E402

N, QUERIES = 10_000, 2_000
CENTRE = (29.29, 106.26)  # 几江街道
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")


def points(count, spread):
    """Random points around the district centre."""
    return [(CENTRE[0] + random.uniform(-spread, spread), CENTRE[1] + random.uniform(-spread, spread))
            for _ in range(count)]


def timed(queries, lookup):
    """Median and 95th percentile milliseconds of lookup(lat, lng) over the queries."""
    times = []
    for lat, lng in queries:
        started = time.perf_counter()
        lookup(lat, lng)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def index_only(lots, queries):
    """GEOSEARCH vs a Python scan of a list: the cost of the index itself."""
    client, key = redis.Redis.from_url(REDIS_URL), "bench:parking:geo"
    client.delete(key)
    for start in range(0, N, 1000):
        client.geoadd(key, [v for i, lat, lng in lots[start:start + 1000] for v in (lng, lat, i)])
    box = 5000 / 111_000

    def scan(lat, lng):
        near = [(geo.distance_m(lat, lng, a, b), i) for i, a, b in lots if abs(a - lat) <= box and abs(b - lng) <= box * 1.2]
        return sorted(near)[:8]

    results = {"Redis GEOSEARCH (index only)": timed(queries, lambda lat, lng: client.geosearch(
        key, longitude=lng, latitude=lat, radius=5000, unit="m", sort="ASC", count=8)),
        "in-memory list scan (index only)": timed(queries, scan)}
    client.delete(key)
    return results


def full_path(lots, queries):
    """The bot's nearest(): signature check + GEOSEARCH + fetch by id, or the table scan."""
    from bot import create_app
    from bot.config import utcnow
    from bot.extensions import db
    from bot.models.parking import ParkingLot
    from bot.parking import search as parking_search

    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": REDIS_URL, "WECHAT_TOKEN": "bench",
                      "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        db.create_all()
        db.session.execute(ParkingLot.__table__.insert(), [
            {"name": f"bench-{i}", "address": "bench", "lat": lat, "lng": lng, "spaces": 50,
             "schedule": "daily 00:00-24:00", "fee": "", "phone": "", "kind": "shared", "sample": False,
             "updated_at": utcnow()} for i, lat, lng in lots])
        db.session.commit()
        client = app.extensions["redis"]
        search = app.extensions["parking"]
        down = parking_search.ParkingSearch(
            redis.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=1.0, socket_connect_timeout=1.0))
        search.nearest(db.session, *CENTRE)  # builds the GEO key once
        results = {
            f"nearest() via Redis GEO ({db.engine.dialect.name})": timed(
                queries, lambda lat, lng: search.nearest(db.session, lat, lng, limit=8)),
            f"nearest() table scan, no Redis ({db.engine.dialect.name})": timed(
                queries[:300], lambda lat, lng: parking_search.scan(db.session, lat, lng, limit=8)),
        }
        results[f"nearest() with Redis refusing connections ({db.engine.dialect.name})"] = timed(
            queries[:300], lambda lat, lng: down.nearest(db.session, lat, lng, limit=8))
        ParkingLot.query.filter(ParkingLot.name.like("bench-%")).delete(synchronize_session=False)
        db.session.commit()
        client.delete(parking_search.GEO_KEY, parking_search.SIG_KEY)
    return results


def main():
    random.seed(7)
    lots = [(i, *point) for i, point in enumerate(points(N, 0.3))]  # ~60 × 60 km, the size of the district
    queries = points(QUERIES, 0.2)
    print(f"{N} lots spread over ~60 km, {QUERIES} random queries, 8 nearest within 5 km")
    for name, (median, p95) in {**index_only(lots, queries), **full_path(lots, queries)}.items():
        print(f"  {name:<58} median {median:7.3f} ms   p95 {p95:7.3f} ms")


if __name__ == "__main__":
    main()
