"""nlp/ data tables, negation, the statistical fallback, the tokenizer and its caches. Pure."""

import pytest

import nlp
from nlp import cache, evidence, tables
from nlp.naive_bayes import NaiveBayes


def test_keyword_claimed_by_two_categories_is_refused(tmp_path, monkeypatch):
    (tmp_path / "bad.tsv").write_text("井盖\tmanhole_cover\t3\n井盖\troad_damage\t2\n", encoding="utf-8")
    monkeypatch.setattr(tables, "DATA", tmp_path)
    with pytest.raises(tables.TableError):
        tables.keywords("bad.tsv")


def test_keyword_shared_deliberately_is_weighted(tmp_path, monkeypatch):
    (tmp_path / "ok.tsv").write_text("积水\tdrainage\t3\n积水\troad_damage\t1\tshared\n", encoding="utf-8")
    monkeypatch.setattr(tables, "DATA", tmp_path)
    assert tables.keywords("ok.tsv")["积水"] == [("drainage", 3.0), ("road_damage", 1.0)]


def test_unknown_category_is_refused(tmp_path, monkeypatch):
    known = set(tables.categories())
    (tmp_path / "bad.tsv").write_text("井盖\tmanholes\t3\n", encoding="utf-8")
    monkeypatch.setattr(tables, "DATA", tmp_path)
    with pytest.raises(tables.TableError):
        tables.keywords("bad.tsv", known)


def test_shipped_tables_load_and_name_only_known_categories():
    known = set(tables.categories())
    table = tables.keywords("category_keywords.tsv", known)
    assert {label for claims in table.values() for label, _ in claims} == known


def test_category_table_matches_the_design():
    table = tables.categories()
    assert len(table) == 22 and table["street_light"].department == "路灯管理所"
    assert table["other"].department == "数字城管指挥中心"


@pytest.mark.parametrize("text, negated", [
    ("井盖没问题", "井盖"),
    ("下水道没堵", "下水道"),
    ("路灯已经修好了", "路灯"),
    ("不是路灯的问题", "路灯"),
])
def test_negated_clauses(text, negated):
    spans = evidence.negated_spans(text, ["坏"])
    assert any(text[a:b].find(negated) >= 0 for a, b in spans)


@pytest.mark.parametrize("text", ["路灯修好了又坏了", "井盖有没有问题", "路灯修好了吗", "下水道还没解决"])
def test_not_negated(text):
    assert evidence.negated_spans(text, ["坏"]) == []


def test_statistical_fallback_reads_what_no_keyword_covers():
    model = NaiveBayes().fit([("路灯不亮", "street_light"), ("灯坏了", "street_light"),
                              ("垃圾没人收", "garbage_collection"), ("垃圾满了", "garbage_collection")])
    label, probability = model.predict("那盏灯一直不亮")
    assert label == "street_light" and 0.5 < probability <= 1.0
    assert model.predict("") == (None, 0.0) and model.predict("嗯") == (None, 0.0)


def test_private_tokenizer_knows_domain_words():
    tokenizer = nlp.load().tokenizer
    assert "窨井盖" in tokenizer.lcut("窨井盖不见了")
    import jieba

    assert tokenizer is not jieba.dt  # never jieba's global tokenizer


def test_load_is_once_per_process():
    assert nlp.load() is nlp.load()


def test_cache_is_built_once_and_survives_corruption(tmp_path, monkeypatch):
    monkeypatch.setenv("JJ_NLP_CACHE", str(tmp_path))
    calls = []
    assert cache.cached("x.marshal", lambda: calls.append(1) or {"a": 1}) == {"a": 1}
    assert cache.cached("x.marshal", lambda: calls.append(1) or {"a": 2}) == {"a": 1}
    (tmp_path / "jinguanjia" / "x.marshal").write_bytes(b"\x00garbage")
    assert cache.cached("x.marshal", lambda: {"a": 3}) == {"a": 3} and calls == [1]
