"""Build nlp/data/garbage_items.tsv from the three public lists in ../shared/data.

Names: NFKC (full-width brackets and letters to ASCII), spaces next to Chinese removed, a bracket
left open closed ("7号电池(无汞" is a cut-off "7号电池(无汞)"), typos and junk rows fixed or dropped
(FIXES). Spellings that become equal are one item.

Merge rule. alexayan (A) and sunqiang25 (S) are both crawls of Shanghai's official lookup (96.9%
agreement, SOURCES.md): together they are ONE voice. mtq851 (M) is the other, independent voice.
Counting A and S as two votes would let one crawl outvote M every time. Steps, first that applies
(each item's step is counted in the file's header):
  override       OVERRIDES: a one-voice item contradicting its own sibling and the class rule
                 (alexayan: 干电池 有害垃圾 beside 干电池(无汞) 其他垃圾). Bare 灯泡/电灯泡 stay 有害垃圾 as
                 listed (the safer bin when the bulb may be an energy-saving one).
  agree / single every list that has the item gives one category (both voices / one voice).
  majority       A and S differ (noise inside the Shanghai voice) and M sides with one: 2 of 3.
  class          a contested class decides (CLASS_RULES), picking among the labels given. China's four
                 categories as Chongqing uses them (《重庆市生活垃圾管理条例》): 有害垃圾 is the listed
                 hazardous wastes; 厨余垃圾 is 剩菜剩饭, 瓜果皮核, 菜叶, 花草; what a composter cannot break
                 goes to 其他垃圾:
                   hard shells (贝, 螺, 蚌, 蚝, 蛤, 椰子壳, 榴莲壳), big bones (大骨, 棒骨, 筒骨, 猪/牛/羊骨),
                   "(特硬)" -> 其他垃圾;
                   fruit pits (核), nut and seed shells, egg/shrimp/crab shells, small bones, fish bones,
                   leaves, flowers, corn cobs, bamboo-shoot husks -> 厨余垃圾;
                   rechargeable, button, lithium, lead-acid, Ni-Cd, mercury batteries -> 有害垃圾;
                   干电池, 碱性电池, anything marked 无汞 -> 其他垃圾;
                   fluorescent tubes, energy-saving lamps, anything with mercury -> 有害垃圾;
                   incandescent, tungsten and LED bulbs -> 其他垃圾;
                   medicines, paint and solvents, pesticides, insecticides, disinfectants,
                   thermometers, film and photo paper -> 有害垃圾.
  shanghai       A and S differ, M lacks the item: A's label (the later crawl).
  not-hazardous  the voices differ, one says 有害垃圾 for an item in no hazardous class (cosmetics,
                 glue, lighters, mosquito mats): the other voice (the red bin is for the listed wastes).
  reviewed       REVIEWED: conflicts read by hand where M is plainly wrong (鱼 is not 可回收物).
  mtq851         the rest: M's label (curated in 2025 with ~40 fixes; right on thermal paper, bamboo
                 skewers, chopsticks, textiles as 可回收物).

  common         the items residents ask most (nlp/data/garbage_common.tsv, our own list) that none of
                 the public lists holds: that list's category (纸板, 快递盒, 汤圆, 电子烟, 对联 …). Where a
                 public list holds the item, the steps above decide, except COMMON_OVERRIDES: items where
                 the public label breaks this file's own class rule (small pits, corn husks are 厨余垃圾),
                 or says 有害垃圾 for what is not a listed hazardous waste (ordinary photos), or the reverse
                 (used engine oil is).

Aliases: the parts of "项链/吊坠"-style names, plus SYNONYMS (words residents use for a listed
item), plus the common list's colloquial names (快递盒 for 快递纸箱), never one that names another
item. Category words (湿垃圾 = 厨余垃圾, 干垃圾 = 其他垃圾, ...) live in nlp/garbage_lookup.py.
Sources: every list that has the item; a list whose label lost is written "mtq851=其他垃圾"; "common"
for the items residents ask most.

Usage: python scripts/build_garbage_items.py [../shared/data] > nlp/data/garbage_items.tsv
"""

import csv
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

CATEGORIES = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
LISTS = ("alexayan", "mtq851", "sunqiang25")
FIXES = {"组扣(少量)": "纽扣(少量)", "A42纸": "A4纸", "卫生": ""}
JUNK = re.compile(r"\d{4}-\d{2}-\d{2}|^(厨余|湿垃|可回收)$|^(厨余|有害|其他|其它|干|湿|可回收)(垃圾)?$|^可回收物$")
# the crawls glued page words onto some names: "干垃場烤鸭", "湿垃「红参片", "最苹果皮", "树叶是那种垃圾"
DEBRIS = re.compile(r"^(干垃[場场]?|湿垃[级「域]?|有害(拉圾)?|可回收物|最)(?=..)(?!垃圾)|(属于|是)(什么|那种|哪种)?(垃圾)?$")
OLD_MISREAD = re.compile(r"^日(?=(毛巾|口罩|牙刷|镜子|铁锅|跑鞋|剪刀|帽子|皮鞋|塑料篮子)$)")  # sunqiang25: 旧 read as 日
HAZARD = "有害垃圾"
CLASS_RULES = [  # (pattern, category), first match wins
    (r"(贝|蚌|蛤|蚝|螺|蛏|椰子|榴莲)壳|大骨|棒骨|筒骨|[猪牛羊]骨|腿骨\(硬\)|\(特硬\)", "其他垃圾"),
    (r"核$|核\(|果壳|[瓜子生桃果松栗仁木榛]壳|蛋壳|虾壳|蟹壳|[鸡鸭鹅鱼]骨|鱼刺|小骨|"
     r"[枯落树]叶|残花|鲜花|花瓣|杂草|枯枝|玉米[芯棒]|甘蔗渣|笋壳", "厨余垃圾"),
    (r"(纽扣|充电|蓄|锂|镍|镉|铅酸|手机|(?<!无)汞)电池|电池\(旧式\)", "有害垃圾"),
    (r"无汞|干电池|碱性电池", "其他垃圾"),
    (r"荧光灯|节能灯|灯管|日光灯|含汞|水银", "有害垃圾"),
    (r"白炽|LED|钨丝|灯泡", "其他垃圾"),
    (r"药(品|片|丸|瓶|盒|水|膏|$)|油漆|稀释剂|溶剂|农药|杀虫|除草剂|灭鼠|消毒[剂液]|温度计|血压计|胶片|胶卷|"
     r"相纸|照片", "有害垃圾"),
]
REVIEWED = {  # step 5 exceptions: conflicts where mtq851's label is plainly wrong for a resident
    "鱼": "厨余垃圾", "猪": "厨余垃圾", "松子": "厨余垃圾", "猪蹄骨": "厨余垃圾", "碗": "其他垃圾",
    "化妆镜": "其他垃圾", "剃须刀": "可回收物", "自拍杆": "可回收物", "烟盒": "可回收物", "铝箔纸": "可回收物",
    "玻璃渣": "可回收物",
}
OVERRIDES = {"干电池": "其他垃圾"}
COMMON = Path(__file__).resolve().parent.parent / "nlp" / "data" / "garbage_common.tsv"
COMMON_OVERRIDES = {  # public label -> the common list's, and why
    "山楂核": "厨余垃圾", "西梅核": "厨余垃圾", "菠萝蜜核": "厨余垃圾",  # small fruit pits: the class rule
    "玉米皮": "厨余垃圾",  # husks and leaves rot like 菜叶 (the cob is what a composter cannot break)
    "坚果": "厨余垃圾",  # the nut itself is food; the hard shell is listed on its own
    "照片": "其他垃圾",  # ordinary prints are not a listed hazardous waste (X光片 and film are)
    "废机油": "有害垃圾",  # waste mineral oil is a listed hazardous waste
}  # one voice against the class rule and its own sibling 干电池(无汞)
SYNONYMS = {  # listed item -> words residents use for it
    "纸尿裤": "尿片", "烟头": "烟屁股|烟蒂", "快递纸箱": "快递箱", "外卖餐盒": "外卖盒|打包盒",
    "荧光灯": "荧光灯管|日光灯管", "消毒液瓶(空)": "消毒液空瓶", "蟹壳(特硬)": "硬蟹壳",
    "5号电池(无汞)": "5号电池|五号电池|AA电池", "7号电池(无汞)": "7号电池|七号电池|AAA电池",
    "1号电池(无汞)": "1号电池|一号电池", "干电池(无汞)": "碱性电池|普通电池|一次性电池",
    "牛奶盒(利乐包)": "利乐包|饮料盒", "猫砂(膨润土)": "膨润土猫砂", "大骨(如:猪腿骨)": "猪腿骨",
    "咖啡纸杯(内表面附塑料膜)": "咖啡纸杯", "过期药品": "药片|胶囊|药丸", "废农药": "农药",
}


def clean(name):
    """One spelling per item name ("LED 灯（含水银）" -> "LED灯(含水银)"); "" for junk."""
    name = unicodedata.normalize("NFKC", name).strip()
    name = re.sub(r"\s+(?=[\u4e00-\u9fff(])|(?<=[\u4e00-\u9fff)])\s+", "", name)
    if name.count("(") > name.count(")"):
        name += ")"
    name = FIXES.get(name, OLD_MISREAD.sub("旧", DEBRIS.sub("", name)))
    return "" if JUNK.search(name) or len(name) > 20 else name


def read(path):
    """name -> category of one list (a name spelled two ways keeps its first label)."""
    labels = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            name = clean(row["item"])
            if name and row["category"].strip() in CATEGORIES:
                labels.setdefault(name, row["category"].strip())
    return labels


def class_rule(name, candidates):
    """The contested class's category, if the name is in one and a source gave that category."""
    for pattern, category in CLASS_RULES:
        if re.search(pattern, name):
            return category if category in candidates else None
    return None


def decide(name, a, m, s):
    """(category, step) for one item from its labels in the three lists (None = not listed)."""
    given = {a, m, s} - {None}
    if name in OVERRIDES:
        return OVERRIDES[name], "override"
    if len(given) == 1:
        return given.pop(), "agree" if (a or s) and m else "single"
    if a and s and a != s and m in (a, s):
        return m, "majority"
    ruled = class_rule(name, given)
    if ruled:
        return ruled, "class"
    if not m:
        return a, "shanghai"
    shanghai = a or s
    if HAZARD in (shanghai, m):
        return (m if shanghai == HAZARD else shanghai), "not-hazardous"
    return (REVIEWED[name], "reviewed") if name in REVIEWED else (m, "mtq851")


def aliases(name, names, spoken=()):
    """Other words for the item: "项链/吊坠" -> 项链|吊坠, plus SYNONYMS and the words residents use,
    none that is an item itself."""
    words = re.split(r"[/、]", name) if re.search(r"[/、]", name) and "(" not in name else []
    words += SYNONYMS.get(name, "").split("|") + list(spoken)
    return "|".join(w for w in dict.fromkeys(words) if w and w not in names and w != name)


def read_common(path=COMMON, contested=False):
    """name -> (category, [colloquial names]) of the items residents ask most (contested: only those
    whose category cities disagree on, marked (?))."""
    found = {}
    with open(path, encoding="utf-8") as handle:
        for r in csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"):
            name = clean(r["name"])
            if name and (not contested or "(?)" in r["category"]):
                words = [clean(a) for a in (r["colloquial_aliases"] or "").split("|") if clean(a)]
                earlier = found.get(name, ("", []))[1]  # a name listed again adds its words
                found[name] = (r["category"].replace("(?)", "").strip(), list(dict.fromkeys(earlier + words)))
    return found


def _words_of_another_kind(common, labels, public, contested):
    """Where the public lists sort a name otherwise than the common list (and cities agree on it),
    the common list's other words for it mean its own thing (奶茶珍珠 for 珍珠: the tapioca, not the
    jewel): items of their own."""
    found = {}
    for name, (category, words) in common.items():
        public_labels = {labels[n][name] for n in LISTS if name in labels[n]}
        if name in public and category not in public_labels and name not in {*COMMON_OVERRIDES, *contested}:
            found.update({w: (category, []) for w in words if w not in public and w not in common})
    return found


def build(data_dir):
    """Rows (name, category, aliases, sources) and the count of each merge step."""
    labels = {n: read(data_dir / f"garbage_{n}.tsv") for n in LISTS}
    common = read_common()
    public = set().union(*labels.values())
    common.update(_words_of_another_kind(common, labels, public, set(read_common(contested=True))))
    names = sorted(public | set(common))
    rows, steps = [], Counter()
    for name in names:
        a, m, s = (labels[n].get(name) for n in LISTS)
        if name not in public:
            category, step = common[name][0], "common"
        elif name in COMMON_OVERRIDES:
            category, step = COMMON_OVERRIDES[name], "common-override"
        else:
            category, step = decide(name, a, m, s)
        steps[step] += 1
        sources = ",".join([n if labels[n][name] == category else f"{n}={labels[n][name]}"
                            for n in LISTS if name in labels[n]] + (["common"] if name in common else []))
        spoken = [w for w in common.get(name, ("", []))[1] if w not in common or w == name]
        rows.append((name, category, aliases(name, set(names), spoken), sources))
    return rows, steps


def main():
    """Write the merged dictionary to stdout, its rule and counts in the header."""
    default = Path(__file__).resolve().parents[2] / "shared" / "data"
    rows, steps = build(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    out = sys.stdout
    out.write("# Garbage items merged from alexayan/garbage-classification-data, MTQ851/garbage-classification-roberta\n"
              "# and sunqiang25/rubbish_classifier (../shared/data/SOURCES.md) by scripts/build_garbage_items.py:\n"
              "# Shanghai voice (alexayan+sunqiang25, one voice) vs mtq851; agreement kept; else a contested-class\n"
              "# rule (hard shells/big bones -> 其他垃圾, pits/soft shells/small bones -> 厨余垃圾, rechargeable\n"
              "# batteries/fluorescent lamps/medicines -> 有害垃圾, dry cells/ordinary bulbs -> 其他垃圾); else\n"
              "# 有害垃圾 only for listed hazardous wastes; else mtq851; items residents ask most that no public\n"
              "# list holds come from nlp/data/garbage_common.tsv (common). sources: a list marked =X said X.\n"
              "# Category words: 湿垃圾=厨余垃圾, 干垃圾=其他垃圾, 可回收垃圾=可回收物 (nlp/garbage_lookup.py).\n")
    out.write(f"# {len(rows)} items; decided by: " + ", ".join(f"{k} {v}" for k, v in sorted(steps.items())) + "\n")
    out.write("name\tcategory\taliases\tsources\n")
    for row in rows:
        out.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main()
