"""Garbage lookup: CPU time per answer and accuracy on a held-out list of items.

    python bench/garbage_bench.py
"""

import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from nlp.garbage_lookup import GarbageIndex, item_phrases  # noqa: E402

QUESTIONS = ["电池是什么垃圾", "用过的纸巾属于什么垃圾", "陶瓷碗碎片扔哪个桶", "电弛是什么垃圾",
             "奶茶杯", "电池和塑料袋分别是什么垃圾", "呜呜呜嗷是什么垃圾"]


def load_index():
    from bot.garbage_data import read_items_file

    return GarbageIndex([(n, c, a) for n, c, a, _ in read_items_file()])


def accuracy(index):
    """Share of held-out questions answered with the labelled category."""
    path = ROOT / "tests" / "data" / "garbage_heldout.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = [r for r in csv.reader(lines, delimiter="\t") if r]
    hits = 0
    for question, category in rows:
        phrases = item_phrases(question)
        match = index.lookup(phrases[0]) if phrases else None
        hits += bool(match and match.item and match.item.category == category)
    return hits, len(rows)


def main():
    started = time.perf_counter()
    index = load_index()
    print(f"index build: {(time.perf_counter() - started) * 1000:.0f} ms for {len(index)} items")
    rounds = 2000
    started = time.process_time()
    for _ in range(rounds):
        for question in QUESTIONS:
            [index.lookup(p) for p in item_phrases(question)]
    per = (time.process_time() - started) / (rounds * len(QUESTIONS))
    print(f"lookup: {per * 1e6:.1f} µs CPU per question (mix incl. homophone, fuzzy miss, two items)")
    hits, total = accuracy(index)
    print(f"held-out accuracy: {hits}/{total} = {hits / total:.1%}")


if __name__ == "__main__":
    main()
