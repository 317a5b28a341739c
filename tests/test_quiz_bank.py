"""The reviewed bank and the confused items the quiz asks (no app needed)."""

import csv
import random
from pathlib import Path

import pytest

from bot import garbage as garbage_data
from bot import quiz

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "data" / "quiz_trashgo.tsv"  # beside the repo


@pytest.fixture(scope="module")
def index():
    return garbage_data.shipped_index()


def test_every_kept_question_is_well_formed_and_explained():
    bank = quiz.load_bank()
    assert len(bank) == 73 and len({q.text for q in bank}) == 73
    for q in bank:
        letters = quiz.LETTERS[: len(q.options)]
        assert q.answer and set(q.answer) <= set(letters), q.text
        assert (len(q.answer) == 1) == (q.kind != "multi"), q.text
        assert q.why, q.text
    assert {q.kind for q in bank} == {"single", "multi", "judge"}


@pytest.mark.parametrize("line, answer", [(6, "B"), (39, "B"), (55, "C"), (77, "B")])
def test_wrong_keys_are_fixed_and_noted(line, answer):
    rows = {int(r["source_line"]): r for r in quiz._rows(quiz.BANK)}
    assert rows[line]["answer"] == answer
    header = quiz.BANK.read_text(encoding="utf-8").split("\ntype\t")[0]
    assert f"fixed source line {line}:" in header


def test_questions_without_an_agreed_answer_are_dropped():
    kept = {int(r["source_line"]) for r in quiz._rows(quiz.BANK)}
    assert not kept & {17, 20, 34, 38, 48}


def test_unchanged_questions_keep_the_source_key():
    try:
        with open(SOURCE, encoding="utf-8") as handle:
            source = list(csv.DictReader(handle, delimiter="\t"))
    except FileNotFoundError:
        pytest.skip("shared data not available")
    rows = {int(r["source_line"]): r for r in quiz._rows(quiz.BANK)}
    changed = {line for line, r in rows.items() if r["answer"] != source[line - 2]["answer"]}
    assert changed == {6, 39, 55, 77}


def test_traps_asked_agree_with_the_dictionary(index):
    usable = quiz.usable_traps(quiz.load_traps(), index)
    assert len(usable) >= 30
    for name, category, why in usable:
        assert index.known(name).category == category and why
    if index.known("干电池").category != "其他垃圾":  # the dictionary still says 有害垃圾 (single source)
        assert "干电池" not in {name for name, _, _ in usable}


def test_a_round_mixes_four_confused_items_with_six_bank_questions(index):
    traps = quiz.usable_traps(quiz.load_traps(), index)
    questions = quiz.build_round(random.Random(3), quiz.load_bank(), traps)
    items = [q for q in questions if q.text.startswith("「")]
    assert len(questions) == 10 and len(items) == 4
    assert all(q.options == list(quiz.CATEGORIES) and "投" in q.why for q in items)


@pytest.mark.parametrize("text, kind, expected", [
    ("A", "single", "A"), ("答案是 c", "single", "C"), ("aa", "single", "A"), ("ab", "single", None),
    ("A、C", "multi", "AC"), ("cA", "multi", "AC"), ("ABCDE", "multi", None), ("√", "judge", "A"),
    ("不对", "judge", "B"), ("错的", "judge", "B"), ("C", "judge", None), ("对不起", "judge", None),
])
def test_answer_forms(text, kind, expected):
    options = ["正确", "错误"] if kind == "judge" else ["甲", "乙", "丙", "丁"]
    assert quiz.parse_answer(text, {"kind": kind, "options": options, "answer": "A"}) == expected


def test_feedback_says_right_or_wrong_the_answer_and_why():
    question = {"kind": "multi", "options": ["甲", "乙", "丙"], "answer": "AC", "why": "因为如此。"}
    assert quiz.feedback(question, "AC") == "✅ 正确！因为如此。"
    assert quiz.feedback(question, "A") == "❌ 错误。正确答案：A. 甲；C. 丙。因为如此。"
