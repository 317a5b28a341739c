"""Build nlp/data/garbage_items.tsv from the three public lists in ../shared/data.

Merge rule (documented in the output's header too):
1. Sources: alexayan (A) and sunqiang25 (S) are both crawls of Shanghai's official lookup, so
   they count as ONE voice (A's label, or S's where A lacks the item); mtq851 (M) is the other
   voice (independent, and curated: ~40 label fixes at its HEAD).
2. Both voices agree, or only one knows the item: take it.
3. They disagree: a contested-class rule decides when the name matches one (below, from the
   national guidance 《生活垃圾分类标志》GB/T 19095-2019 and Chongqing's 四分类 practice);
   otherwise M wins (its fixes are newer than the 2019 crawl).
Contested classes:
   hard shells/pits/big bones (贝壳, 椰子壳, 榴莲壳, 桃核, 芒果核, 大骨头, 猪骨) → 其他垃圾 (they jam
   composters); soft ones (蛋壳, 虾壳, 鸡骨, 鱼骨, 瓜子壳, 果核 in general) → 厨余垃圾;
   rechargeable/button/lead batteries → 有害垃圾, ordinary dry cells (无汞) → 其他垃圾;
   fluorescent/energy-saving tubes → 有害垃圾, incandescent/LED bulbs → 其他垃圾;
   medicines and their blister packs with residue, paint, pesticides, mercury thermometers → 有害垃圾.
Usage: python scripts/build_garbage_items.py [../shared/data] > nlp/data/garbage_items.tsv
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path

CATEGORIES = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
RULES = [  # (pattern, category): first match wins, only for contested items
    (r"(贝|蚌|蛤|蚝|螺|扇贝|椰子|榴莲)壳|(桃|杏|芒果|榴莲|牛油果|椰)核|大骨|棒骨|猪骨|牛骨|羊骨|筒骨", "其他垃圾"),
    (r"蛋壳|虾壳|蟹壳|鸡骨|鱼骨|鸭骨|(瓜子|花生|核桃|开心果|松子|板栗|栗子)壳?|果核|核$", "厨余垃圾"),
    (r"(纽扣|充电|蓄|锂|镍|铅酸|手机)电池", "有害垃圾"),
    (r"(干|碱性|普通|5号|7号)电池", "其他垃圾"),
    (r"荧光|节能灯|灯管|日光灯", "有害垃圾"),
    (r"白炽|LED|灯泡", "其他垃圾"),
    (r"药|油漆|农药|杀虫|水银|温度计|血压计", "有害垃圾"),
]


def read(path):
    with open(path, encoding="utf-8") as handle:
        return {r["item"].strip(): r["category"].strip() for r in csv.DictReader(handle, delimiter="\t")}


def decide(name, shanghai, mtq):
    """The category and the rule that chose it."""
    if shanghai is None or mtq is None or shanghai == mtq:
        return shanghai or mtq, "agree" if shanghai == mtq else "single"
    for pattern, category in RULES:
        if re.search(pattern, name) and category in (shanghai, mtq):
            return category, "rule"
    return mtq, "newer"


def build(data_dir):
    alex, mtq, sun = (read(data_dir / f"garbage_{n}.tsv") for n in ("alexayan", "mtq851", "sunqiang25"))
    rows, reasons = [], Counter()
    for name in sorted(set(alex) | set(mtq) | set(sun)):
        if not name or len(name) > 20:
            continue
        shanghai = alex.get(name) or sun.get(name)
        category, reason = decide(name, shanghai, mtq.get(name))
        if category not in CATEGORIES:
            continue
        reasons[reason] += 1
        sources = ",".join(s for s, d in (("alexayan", alex), ("mtq851", mtq), ("sunqiang25", sun)) if name in d)
        rows.append((name, category, "", sources))
    return rows, reasons


def main():
    data_dir = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "data")
    rows, reasons = build(data_dir)
    out = sys.stdout
    out.write("# Garbage items merged from alexayan/garbage-classification-data, MTQ851/garbage-classification-roberta\n")
    out.write("# and sunqiang25/rubbish_classifier (see ../shared/data/SOURCES.md); rule: scripts/build_garbage_items.py.\n")
    out.write(f"# {len(rows)} items; decided by: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) + "\n")
    out.write("name\tcategory\taliases\tsources\n")
    for row in rows:
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
