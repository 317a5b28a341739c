"""Report timings: one 随手拍 conversation per reporter through /wechat, then racing 确认 deliveries.

    python bench/report_bench.py
    BENCH_DATABASE_URL=postgresql+psycopg://…/throwaway BENCH_REDIS_URL=redis://127.0.0.1:6379/9 \
        python bench/report_bench.py

Builds a migrated, seeded database (SQLite temp file by default; a PostgreSQL one is emptied
first). Part 1 walks REPORTERS conversations (text, location, 跳过, 跳过, 确认) through Flask's
test client and gives median / 95th percentile milliseconds per step. Part 2 leaves RACERS drafts
at 确认 and delivers each one 1–4 times (WeChat's retries) from 8 threads, then checks that each
draft became exactly one ticket with a unique number.
"""

import json
import os
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import throwaway_app  # noqa: E402
from bot.extensions import db  # noqa: E402
from bot.models import Ticket  # noqa: E402
from tests.support.wechat_client import WeChatServer, message_xml  # noqa: E402

REPORTERS, RACERS, THREADS, TOKEN = 200, 300, 8, "bench-token"
TEXTS = ["井盖不见了", "路灯不亮", "垃圾桶满了没人收", "人行道地砖坏了", "占道摆摊堵路", "下水道堵了积水"]


def build_app():
    """A migrated, seeded app on a throwaway database."""
    app = throwaway_app(REDIS_URL=os.environ.get("BENCH_REDIS_URL"), WECHAT_TOKEN=TOKEN,
                        WECHAT_API_BASE_URL="http://127.0.0.1:9/cgi-bin/", RATE_LIMIT_PER_MINUTE=10_000)
    app.extensions["redis"].flushdb()
    return app


def conversations(app):
    """Milliseconds per step over REPORTERS full conversations."""
    wechat, rng = WeChatServer(app.test_client(), TOKEN), random.Random(5)
    steps = {"text": [], "location": [], "photos": [], "phone": [], "confirm": []}
    for i in range(REPORTERS):
        openid, lat, lng = f"o-bench-{i}", 28.5 + i * 0.002, 105.85 + rng.random() * 0.75  # inside 江津区
        for step, kind, value in (("text", "say", rng.choice(TEXTS)), ("location", "location", (lat, lng)),
                                  ("photos", "say", "跳过"), ("phone", "say", "跳过"), ("confirm", "say", "确认")):
            started = time.perf_counter()
            if kind == "location":
                wechat.location(openid, *value)
            else:
                wechat.say(openid, value)
            steps[step].append((time.perf_counter() - started) * 1000)
    return steps


def races(app):
    """Deliver RACERS drafts' 确认 1–4 times each from THREADS threads; (tickets, seconds)."""
    rng, deliveries = random.Random(7), []
    for i in range(RACERS):
        openid = f"o-race-{i}"
        data = {"draft": uuid.uuid4().hex, "photos": [], "asked": "confirm", "description": "井盖不见了",
                "category": "manhole_cover", "lat": 30.0 + i * 0.01, "lng": 107.0, "photos_done": True,
                "phone_done": True}
        app.extensions["redis"].set(f"state:{openid}", json.dumps({"name": "report", "data": data}), ex=600)
        deliveries += [message_xml(openid, "text", {"Content": "确认"}, msgid=900000 + i)] * rng.choice([1, 2, 3, 4])
    rng.shuffle(deliveries)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(lambda xml: WeChatServer(app.test_client(), TOKEN).post_xml(xml).status_code, deliveries))
    seconds = time.perf_counter() - started
    with app.app_context():
        count = db.session.execute(select(func.count(Ticket.id)).where(Ticket.lat >= 30.0)).scalar()
        numbers = db.session.execute(select(func.count(func.distinct(Ticket.number)))).scalar()
        total = db.session.execute(select(func.count(Ticket.id))).scalar()
    return count, numbers == total, len(deliveries), seconds


def main():
    app = build_app()
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, "
          f"redis: {'real' if os.environ.get('BENCH_REDIS_URL') else 'fakeredis'}")
    for step, ms in conversations(app).items():
        p95 = statistics.quantiles(ms, n=20)[-1]
        print(f"{step:9s} median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   (n={len(ms)})")
    count, unique, delivered, seconds = races(app)
    print(f"races: {delivered} deliveries of {RACERS} drafts from {THREADS} threads in {seconds:.1f} s -> "
          f"{count} tickets (expected {RACERS}), numbers unique: {unique}")


if __name__ == "__main__":
    main()
