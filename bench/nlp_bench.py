"""nlp/ benchmark: process start-up (cold cache vs warm cache) and CPU time per message.

    python bench/nlp_bench.py [--rounds N]

Start-up is `import nlp; nlp.load()` in a fresh interpreter (what a worker pays once), measured
as wall and CPU time; "cold" uses an empty cache directory each time, "warm" the one the cold run
filled. Per-message time is CPU time of nlp.understand() on every labelled chat message (and,
separately, on the long public letters), after start-up.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTUP = ("import time; w=time.perf_counter(); c=time.process_time(); import nlp; nlp.load(); "
           "print(time.perf_counter()-w, time.process_time()-c)")


def startup(cache_dir):
    """(wall, cpu) seconds of importing and loading nlp in a new process."""
    env = {**os.environ, "JJ_NLP_CACHE": cache_dir, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True)
    wall, cpu = out.stdout.split()
    return float(wall), float(cpu)


def startups(runs):
    """Best and median (wall, cpu) for cold and warm caches."""
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(startup(cache))
            warm.extend(startup(cache) for _ in range(2))
    return cold, warm


def per_message(texts, rounds):
    """CPU microseconds of each text's classification (best of rounds, to shed noise)."""
    import nlp

    nlp.load()
    times = []
    for text in texts:
        best = float("inf")
        for _ in range(rounds):
            started = time.process_time_ns()
            nlp.understand(text)
            best = min(best, time.process_time_ns() - started)
        times.append(best / 1000)
    return times


def _summary(label, values, unit, scale=1.0):
    values = sorted(v * scale for v in values)
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    print(f"{label:34} median {statistics.median(values):8.1f} {unit}   mean {statistics.mean(values):8.1f} {unit}"
          f"   p99 {p99:8.1f} {unit}   max {values[-1]:8.1f} {unit}   (n={len(values)})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cold, warm = startups(args.rounds)
    for name, runs in (("cold cache", cold), ("warm cache", warm)):
        _summary(f"start-up, {name}, wall", [w for w, _ in runs], "ms", 1000)
        _summary(f"start-up, {name}, CPU", [c for _, c in runs], "ms", 1000)
    sys.path.insert(0, str(ROOT))
    from nlp import evaluate

    chats = [text for path in evaluate.sets().values() for text, _, _ in evaluate.read_set(path)]
    _summary("per chat message, CPU", per_message(chats, args.rounds), "µs")
    letters = [text for _, text in evaluate.letter_rows(evaluate.LETTER_FILES[0])]
    if letters:
        lengths = statistics.median(len(t) for t in letters)
        _summary(f"per letter (median {lengths:.0f} chars), CPU", per_message(letters, 2), "µs")


if __name__ == "__main__":
    main()
