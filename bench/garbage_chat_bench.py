"""Garbage questions through the whole bot: the real /wechat route, nlp's routing, the dictionary.

    python bench/garbage_chat_bench.py [FILE.tsv …] [--misses]

Each question of the held-out sets (tests/data/garbage_heldout*.tsv: question, category, kind) is
sent by a new resident to an app on a temporary SQLite database; it is right when the first
official category in the reply is the expected one (a report prompt, 「没太明白」 or another
bureau's answer is wrong). Prints bare names and questions apart, totals only unless --misses
(held-out errors are not to be studied).
"""

import logging
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot import create_app  # noqa: E402
from bot.chat.messages import exchange  # noqa: E402

CATEGORY = re.compile("可回收物|有害垃圾|厨余垃圾|其他垃圾")


def app():
    """A migrated, seeded app on a throwaway SQLite file and the embedded Redis."""
    from flask_migrate import upgrade

    from bot.seed import seed_all

    folder = tempfile.mkdtemp()
    built = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "INSTANCE_DIR": folder,
                        "REDIS_URL": None, "JOBS_ASYNC": False, "RATE_LIMIT_PER_MINUTE": 0, "SECRET_KEY": "bench"})
    with built.app_context():
        upgrade(revision="heads")
        seed_all()
    return built


def rows(path):
    """(question, category, bare?) of one held-out file."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) >= 3 and not line.startswith("#"):
            found.append((cells[0], cells[1], "bare" in cells[2]))
    return found


def score(bot, questions, misses=False):
    """Right and total, bare names and questions apart."""
    right, total = Counter(), Counter()
    for number, (question, expected, bare) in enumerate(questions):
        reply = exchange(bot, f"o-bench-{number}", "text", {"content": question})["content"]
        found = CATEGORY.search(reply)
        kind = "bare names" if bare else "questions"
        total[kind] += 1
        right[kind] += bool(found) and found.group() == expected
        if misses and not (found and found.group() == expected):
            print(f"  miss: {question} expected {expected}: {reply[:50]!r}")
    return right, total


def main():
    logging.disable(logging.WARNING)
    paths = [Path(a) for a in sys.argv[1:] if not a.startswith("--")] or sorted(
        (ROOT / "tests" / "data").glob("garbage_heldout*.tsv"))
    bot = app()
    for path in paths:
        right, total = score(bot, rows(path), "--misses" in sys.argv)
        parts = [f"{kind} {right[kind]}/{total[kind]} = {right[kind] / total[kind]:.1%}" for kind in sorted(total)]
        everything = sum(right.values()) / max(sum(total.values()), 1)
        print(f"{path.name}: {', '.join(parts)}; all {sum(right.values())}/{sum(total.values())} = {everything:.1%}")


if __name__ == "__main__":
    main()
