"""nlp/: intents, categories, ambiguous pairs, entities, tables, accuracy floor, CLI."""

import json

import pytest

import nlp
from nlp import evaluate, tables


@pytest.mark.parametrize("text, intent, category", [
    ("小区垃圾桶满了没人收", "report", "garbage_collection"),
    ("垃圾桶是什么垃圾", "garbage", None),
    ("路灯不亮 黢黑的", "report", "street_light"),
    ("路灯太亮了晃眼睛", "report", "street_light"),
    ("滨江路井盖遭偷了 莫得人管", "report", "manhole_cover"),
    ("消防通道被堵了", "report", "fire_lane"),
    ("错时停车场到点了还锁起的", "report", "parking_facility"),
    ("错时停车啷个收费", "parking", None),
    ("鼎山公园附近哪里停车", "parking", None),
    ("查询 JJ202611240007", "status", None),
    ("我的反映", "status", None),
    ("答题", "quiz", None),
    ("绑定 K7P2QX", "supervisor", None),
    ("帮助", "help", None),
    ("社保卡丢了怎么补办", "out_of_scope", None),
    ("娃儿上学的学位问题", "out_of_scope", None),
])
def test_intent_and_category(text, intent, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == (intent, category)


def test_report_department_follows_the_design_table():
    result = nlp.understand("下水道堵了 污水冒出来")
    assert (result.category, result.department) == ("drainage", "市政设施管理所")


def test_unclear_message_is_an_honest_no_idea():
    result = nlp.understand("嗯嗯")
    assert result.intent is None and result.confidence == 0.0


def test_entities_tickets_places_times():
    result = nlp.understand("今晚8点鼎山公园附近有没有车位 上次的jj202611240007呢")
    assert result.entities["tickets"] == ["JJ202611240007"]
    assert [p.name for p in result.entities["places"]] == ["鼎山公园"]
    assert "今晚" in result.entities["times"]


def test_longest_place_name_wins():
    assert [p.name for p in nlp.understand("几江街道哪里能停车").entities["places"]] == ["几江街道"]


def test_keyword_claimed_by_two_categories_is_refused(tmp_path, monkeypatch):
    (tmp_path / "bad.tsv").write_text("井盖\tmanhole_cover\t3\n井盖\troad_damage\t2\n", encoding="utf-8")
    monkeypatch.setattr(tables, "DATA", tmp_path)
    with pytest.raises(tables.TableError):
        tables.keywords("bad.tsv")


def test_heldout_accuracy_does_not_regress():
    """A regression guard just under today's held-out figures (the set is never tuned on).

    Measured once on held-out v2: intent 92.0 %, category 83.1 %, department 86.7 %,
    out-of-scope 66.7 %; the issue's targets for category, department and out-of-scope are not
    met yet (see the issue note). Raise these floors as understanding improves.
    """
    report = evaluate.evaluate_set("heldout", evaluate.read_set(evaluate.SETS["heldout"]))
    c = report["counts"]
    assert c["intent"] / c["n"] >= 0.90
    assert c["category"] / c["reports"] >= 0.80
    assert c["department"] / c["reports"] >= 0.84
    assert c["oos_hit"] / c["oos"] >= 0.60


def test_statistical_fallback_reads_what_no_keyword_covers():
    from nlp.naive_bayes import NaiveBayes

    model = NaiveBayes().fit([("路灯不亮", "street_light"), ("灯坏了", "street_light"), ("垃圾没人收", "garbage_collection"),
                              ("垃圾满了", "garbage_collection")])
    assert model.predict("那盏灯一直不亮")[0] == "street_light"
    assert model.predict("")[0] is None


def test_cli_classify_prints_the_contract_json(runner):
    result = runner.invoke(args=["nlp", "classify", "人行道上的井盖不见了"])
    line = json.loads(result.output.strip())
    assert set(line) == {"intent", "category", "department", "confidence"}
    assert line["intent"] == "report" and line["department"] == "市政设施管理所"


def test_cli_classify_file_one_line_each(runner, tmp_path):
    path = tmp_path / "msgs.txt"
    path.write_text("电池是什么垃圾\n路灯坏了\n帮助\n", encoding="utf-8")
    lines = runner.invoke(args=["nlp", "classify", "--file", str(path)]).output.strip().splitlines()
    assert [json.loads(x)["intent"] for x in lines] == ["garbage", "report", "help"]


def test_cli_evaluate_reports_accuracy(runner):
    output = runner.invoke(args=["nlp", "evaluate", "--worst", "3"]).output
    assert "heldout: intent" in output and "confusion" in output
