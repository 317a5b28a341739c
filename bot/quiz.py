"""Quiz questions (the reviewed bank + commonly confused dictionary items), answers, rankings."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import redis

BANK = Path(__file__).resolve().parent.parent / "nlp" / "data" / "quiz_bank.tsv"
CATEGORIES = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
LETTERS = "ABCDE"
# Items people get wrong most often (national campaigns' classic traps); used when in the dictionary.
TRAPS = ("大骨头", "玉米芯", "纸巾", "陶瓷碗", "过期药品", "荧光灯", "贝壳", "榴莲壳", "奶茶杯", "塑料袋",
         "鸡蛋壳", "干电池", "充电电池", "尿不湿", "旧衣服", "易拉罐", "外卖盒", "烟头", "茶叶渣", "瓜子壳",
         "快递盒", "口罩", "指甲油", "牛奶盒", "椰子壳", "宠物粪便", "过期化妆品", "保鲜膜", "湿纸巾", "旧报纸")
JUDGE_WORDS = {"A": ("a", "对", "正确", "是", "是的", "√", "✓", "t", "true"), "B": ("b", "错", "错误", "不对", "不是", "×", "x", "f")}


@dataclass
class Question:
    kind: str  # single | multi | judge
    text: str
    options: list
    answer: str  # letters, sorted
    why: str = ""

    def render(self, number, total):
        kinds = {"single": "单选", "multi": "多选", "judge": "判断"}
        lines = [f"第 {number}/{total} 题（{kinds[self.kind]}）{self.text}"]
        lines += [f"{LETTERS[i]}. {option}" for i, option in enumerate(self.options)]
        return "\n".join(lines)

    def as_dict(self):
        return {"kind": self.kind, "text": self.text, "options": self.options, "answer": self.answer, "why": self.why}


def load_bank(path=BANK):
    """The reviewed real questions."""
    with open(path, encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        bank = []
        for row in rows:
            options = [re.sub(r"^[A-E]\.", "", o.strip()) for o in row["options"].split("|")]
            kind = {"单选": "single", "多选": "multi", "判断": "judge"}[row["type"]]
            bank.append(Question(kind, row["question"].strip(), options, "".join(sorted(row["answer"]))))
    return bank


def item_question(name, category):
    """「X」属于哪一类垃圾？ with the four categories as options."""
    return Question("single", f"「{name}」属于哪一类垃圾？", list(CATEGORIES), LETTERS[CATEGORIES.index(category)])


def build_round(rng, bank, index, size=10, from_dictionary=4):
    """A round: confused dictionary items first mixed with bank questions, shuffled."""
    traps = [index.known(name) for name in TRAPS if index.known(name)]
    items = rng.sample(traps, min(from_dictionary, len(traps)))
    questions = [item_question(i.name, i.category) for i in items]
    questions += rng.sample(bank, size - len(questions))
    rng.shuffle(questions)
    return questions


def parse_answer(text, question):
    """Letters the user chose ("ACD", "对"), or None when the text is not an answer."""
    cleaned = re.sub(r"[\s,，、.。选我]", "", text.strip()).lower()
    if question["kind"] == "judge":
        for letter, words in JUDGE_WORDS.items():
            if cleaned in words:
                return letter
        return None
    letters = cleaned.upper()
    valid = LETTERS[: len(question["options"])]
    if not letters or any(c not in valid for c in letters) or len(letters) > len(valid):
        return None
    if question["kind"] == "single" and len(letters) != 1:
        return None
    return "".join(sorted(set(letters)))


def explain(question):
    """The right answer spelled out."""
    chosen = [f"{c}. {question['options'][LETTERS.index(c)]}" for c in question["answer"]]
    return "正确答案：" + "；".join(chosen) + (f"。{question['why']}" if question.get("why") else "")


# -- rankings ------------------------------------------------------------------------------------
def scopes(user):
    """Ranking scopes a student belongs to: district, and school/class when set."""
    keys = ["district"]
    if user.school_code:
        keys.append(f"school:{user.school_code}")
        if user.class_name:
            keys.append(f"class:{user.school_code}:{user.class_name}")
    return keys


def ranking_key(period, scope):
    return f"quiz:rank:{period}:{scope}"


def add_score(client, user, score, periods):
    """Add a counted round's score to every scope and period (Redis; the DB stays the truth)."""
    try:
        pipe = client.pipeline()
        for period in periods:
            for scope in scopes(user):
                pipe.zincrby(ranking_key(period, scope), score, user.id)
        pipe.execute()
    except redis.RedisError:
        pass
