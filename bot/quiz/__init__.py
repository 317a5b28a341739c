"""Quiz questions: the reviewed real bank + commonly confused dictionary items; answers, feedback."""

import csv
import re
from dataclasses import dataclass

from bot.config import ROOT

DATA = ROOT / "nlp" / "data"
BANK, TRAPS = DATA / "quiz_bank.tsv", DATA / "quiz_traps.tsv"
CATEGORIES = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
BINS = {"可回收物": "蓝色桶", "有害垃圾": "红色桶", "厨余垃圾": "绿色桶", "其他垃圾": "灰色桶"}
LETTERS = "ABCDE"
KINDS = {"单选": "single", "多选": "multi", "判断": "judge"}
JUDGE_WORDS = {
    "A": ("a", "对", "正确", "是", "是的", "对的", "√", "✓", "✔", "t", "true", "yes"),
    "B": ("b", "错", "错误", "不对", "不是", "错的", "×", "x", "✗", "f", "false", "no"),
}


@dataclass
class Question:
    kind: str  # single | multi | judge
    text: str
    options: list
    answer: str  # letters, sorted
    why: str = ""

    def render(self, number, total):
        """「第 3/10 题（单选）…」 with one option a line."""
        kinds = {"single": "单选", "multi": "多选", "judge": "判断"}
        lines = [f"第 {number}/{total} 题（{kinds[self.kind]}）{self.text}"]
        lines += [f"{LETTERS[i]}. {option}" for i, option in enumerate(self.options)]
        return "\n".join(lines)

    def as_dict(self):
        return {"kind": self.kind, "text": self.text, "options": self.options, "answer": self.answer, "why": self.why}


def _rows(path):
    """TSV rows as dicts; lines starting with # are the review's notes."""
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def load_bank(path=BANK):
    """The reviewed real questions, each with the review's explanation."""
    bank = []
    for row in _rows(path):
        options = [re.sub(r"^[A-E]\.", "", o.strip()) for o in row["options"].split("|")]
        answer = "".join(sorted(row["answer"].strip()))
        bank.append(Question(KINDS[row["type"]], row["question"].strip(), options, answer, row["why"].strip()))
    return bank


def load_traps(path=TRAPS):
    """[(name, category, why)] commonly confused items, as reviewed."""
    return [(r["name"], r["category"], r["why"]) for r in _rows(path)]


def item_question(name, category, why=""):
    """「X」属于哪一类垃圾？ with the four categories as options (always in the same order)."""
    why = f"{why}（投{BINS[category]}）" if why else f"投{BINS[category]}。"
    return Question("single", f"「{name}」属于哪一类垃圾？", list(CATEGORIES), LETTERS[CATEGORIES.index(category)], why)


def usable_traps(traps, index):
    """Traps the dictionary answers the same way (the quiz must never contradict the lookup)."""
    usable = []
    for name, category, why in traps:
        item = index.known(name)
        if item is not None and item.category == category:
            usable.append((item.name, category, why))
    return usable


class QuizBank:
    """An app's questions (app.extensions["quiz"]): the reviewed bank and the traps the dictionary agrees with."""

    def __init__(self, bank=None, traps=None):
        self.bank = load_bank() if bank is None else bank
        self.traps = load_traps() if traps is None else traps
        self._usable = (None, [])  # (the dictionary index it was checked against, usable traps)

    def round(self, rng, index, size=10):
        """A new round, its traps checked against the dictionary as it is now."""
        return build_round(rng, self.bank, self.usable_traps(index), size)

    def usable_traps(self, index):
        """The traps the dictionary agrees with, recomputed only when the dictionary changed."""
        checked, usable = self._usable
        if checked is not index:
            usable = usable_traps(self.traps, index)
            self._usable = (index, usable)
        return usable


def build_round(rng, bank, traps, size=10, from_dictionary=4):
    """A round: confused dictionary items mixed with bank questions, shuffled."""
    picked = rng.sample(traps, min(from_dictionary, len(traps)))
    questions = [item_question(*trap) for trap in picked]
    questions += rng.sample(bank, min(size - len(questions), len(bank)))
    rng.shuffle(questions)
    return questions


def parse_answer(text, question):
    """Letters the user chose ("ACD", "对"), or None when the text is not an answer."""
    cleaned = re.sub(r"[\s,，、.。!！选我答案是]", "", text.strip()).lower() if question["kind"] != "judge" else \
        re.sub(r"[\s,，.。!！]", "", text.strip()).lower()
    if question["kind"] == "judge":
        return next((letter for letter, words in JUDGE_WORDS.items() if cleaned in words), None)
    letters = cleaned.upper()
    valid = LETTERS[: len(question["options"])]
    if not letters or any(c not in valid for c in letters) or len(letters) > len(valid):
        return None
    if question["kind"] == "single" and len(set(letters)) != 1:
        return None
    return "".join(sorted(set(letters)))


def feedback(question, given):
    """✅/❌, the right answer when wrong, and why."""
    why = question.get("why") or ""
    if given == question["answer"]:
        return "✅ 正确！" + why
    chosen = "；".join(f"{c}. {question['options'][LETTERS.index(c)]}" for c in question["answer"])
    return f"❌ 错误。正确答案：{chosen}。" + why


def hint(question):
    """How to answer this kind of question."""
    if question["kind"] == "judge":
        return "判断题请回复「对」或「错」"
    if question["kind"] == "multi":
        return "多选题请回复所有正确选项的字母，如 AC"
    return "请回复一个选项字母，如 A"
