"""nlp/ benchmark: process start-up (cold cache vs warm cache) and CPU time per message.

    python bench/nlp_bench.py
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP = "import time; t=time.perf_counter(); import nlp; nlp.load(); print(time.perf_counter()-t)"
MESSAGES = ["小区垃圾桶满了没人收", "几江街道滨江路那个井盖不见了好危险", "电池是什么垃圾", "鼎山公园附近哪里停车",
            "社保卡怎么补办", "查询 JJ202611240007", "工地半夜还在施工 吵得睡不着", "嗯嗯"]


def startup(cache_dir):
    env = {**os.environ, "JJ_NLP_CACHE": cache_dir, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def per_message(rounds=3000):
    sys.path.insert(0, str(ROOT))
    import nlp

    nlp.load()
    started = time.process_time()
    for _ in range(rounds):
        for message in MESSAGES:
            nlp.understand(message)
    return (time.process_time() - started) / (rounds * len(MESSAGES))


def main():
    with tempfile.TemporaryDirectory() as cache:
        cold = startup(cache)
        warm = min(startup(cache) for _ in range(3))
    print(f"start-up, cold cache:  {cold * 1000:7.0f} ms")
    print(f"start-up, warm cache:  {warm * 1000:7.0f} ms  ({cold / warm:.1f}x faster)")
    print(f"classification:        {per_message() * 1e6:7.1f} µs CPU per message ({len(MESSAGES)} typical messages)")


if __name__ == "__main__":
    main()
