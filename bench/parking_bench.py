"""Nearest-lot lookup for 10,000 lots: Redis GEOSEARCH vs the in-memory bounding-box scan.

    python bench/parking_bench.py     (needs Redis on 127.0.0.1; uses database 10, flushed)
"""

import math
import random
import sys
import time
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot import geo  # noqa: E402

N, QUERIES = 10_000, 2_000


def main():
    random.seed(7)
    lots = [(i, 29.29 + random.uniform(-0.3, 0.3), 106.26 + random.uniform(-0.3, 0.3)) for i in range(N)]
    client = redis.Redis(db=10)
    client.flushdb()
    client.geoadd("bench:geo", [v for i, lat, lng in lots for v in (lng, lat, i)])
    points = [(29.29 + random.uniform(-0.2, 0.2), 106.26 + random.uniform(-0.2, 0.2)) for _ in range(QUERIES)]
    started = time.perf_counter()
    for lat, lng in points:
        client.geosearch("bench:geo", longitude=lng, latitude=lat, radius=5000, unit="m", sort="ASC", count=3)
    redis_ms = (time.perf_counter() - started) / QUERIES * 1000
    started = time.perf_counter()
    for lat, lng in points:
        box = 5000 / 111_000
        near = [(geo.distance_m(lat, lng, a, b), i) for i, a, b in lots
                if abs(a - lat) <= box and abs(b - lng) <= box * 1.2]
        sorted(near)[:3]
    scan_ms = (time.perf_counter() - started) / QUERIES * 1000
    client.flushdb()
    print(f"{N} lots, {QUERIES} queries, 3 nearest within 5 km")
    print(f"Redis GEOSEARCH:        {redis_ms:.3f} ms per lookup")
    print(f"in-memory scan (no Redis): {scan_ms:.3f} ms per lookup ({scan_ms / redis_ms:.0f}x slower)")
    assert math.isfinite(redis_ms)


if __name__ == "__main__":
    main()
