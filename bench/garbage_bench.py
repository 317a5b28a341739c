"""Garbage answers: CPU time per answer, and lookup accuracy on the held-out questions.

    python bench/garbage_bench.py [--misses]

Accuracy reads tests/data/garbage_heldout.tsv (never used for tuning): a question is right when
its first item phrase is answered with the expected category; a "您是不是想问" or "暂未收录" is wrong.
"""

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.garbage import read_items_file  # noqa: E402
from handlers.garbage import _category, _known  # noqa: E402
from nlp.garbage_lookup import GarbageIndex, item_phrases  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "garbage_heldout.tsv"
MIX = ["电池是什么垃圾", "用过的纸巾属于什么垃圾", "陶瓷碗碎片扔哪个桶", "电弛是什么垃圾", "奶茶杯",
       "电池和塑料袋分别是什么垃圾", "请问一下咖啡渣算什么垃圾呀？", "湿垃圾是什么垃圾", "呜呜呜嗷是什么垃圾"]


def heldout():
    """(question, category, kind) rows of the held-out file."""
    lines = [line.split("\t") for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    return [(cells[0], cells[1], cells[2]) for cells in lines if len(cells) >= 3 and not cells[0].startswith("#")]


def answer_text(index, question):
    """The reply's text for known items (what the handler composes, without the database)."""
    blocks = []
    for match in map(index.lookup, item_phrases(question)):
        blocks.append(_category(match.category) if match.category else _known(match) if match.item else "?")
    return "\n\n".join(blocks)


def category_of(index, question):
    phrases = item_phrases(question)
    match = index.lookup(phrases[0]) if phrases else None
    return match and (match.item.category if match.item else match.category)


def accuracy(index, show_misses=False):
    """Right / total per kind of held-out question."""
    right, total = Counter(), Counter()
    for question, expected, kind in heldout():
        got = category_of(index, question)
        total[kind] += 1
        right[kind] += got == expected
        if show_misses and got != expected:
            print(f"  miss [{kind}] {question}: expected {expected}, got {got}")
    return right, total


def per_answer_us(index, questions=MIX, rounds=3000):
    """CPU microseconds per question (parse, look up, compose the reply)."""
    started = time.process_time()
    for _ in range(rounds):
        for question in questions:
            answer_text(index, question)
    return (time.process_time() - started) / (rounds * len(questions)) * 1e6


def main():
    started = time.process_time()
    index = GarbageIndex([(n, c, a, "", s) for n, c, a, s in read_items_file()])
    print(f"index build: {(time.process_time() - started) * 1000:.0f} ms CPU for {len(index)} items")
    print(f"answer: {per_answer_us(index):.1f} µs CPU per question (mix: exact, modifiers, fragment, homophone, "
          f"two items, category word, unknown with fuzzy search)")
    known = [q for q in MIX if "呜" not in q]
    print(f"answer, known items only: {per_answer_us(index, known):.1f} µs CPU per question")
    right, total = accuracy(index, "--misses" in sys.argv)
    for kind in total:
        print(f"held-out {kind}: {right[kind]}/{total[kind]} = {right[kind] / total[kind]:.1%}")
    print(f"held-out all: {sum(right.values())}/{sum(total.values())} = {sum(right.values()) / sum(total.values()):.1%}")


if __name__ == "__main__":
    main()
