"""Garbage-sorting answers through the real /wechat route, and the staff CLI."""

import pytest

from bot.extensions import db
from bot.models.garbage import GarbageItem, GarbageUnknown

OFFICIAL = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
BIN = {"可回收物": "蓝色桶", "有害垃圾": "红色桶", "厨余垃圾": "绿色桶", "其他垃圾": "灰色桶"}


def first_category(text):
    """The first category name in a reply, official or colloquial (the contract: official first)."""
    found = [(text.find(n), n) for n in (*OFFICIAL, "湿垃圾", "干垃圾", "可回收垃圾") if n in text]
    return min(found)[1] if found else None


def unknown_phrases(app):
    with app.app_context():
        return {row.phrase: row.count for row in GarbageUnknown.query.all()}


@pytest.mark.parametrize("question, category", [
    ("塑料袋是什么垃圾", "其他垃圾"),
    ("快递盒属于什么垃圾", "可回收物"),
    ("过期药品扔哪个桶", "有害垃圾"),
    ("西瓜皮属于哪一类", "厨余垃圾"),
    ("烟头算什么垃圾", "其他垃圾"),
    ("大骨头是啥子垃圾哦", "其他垃圾"),
    ("鸡骨头是什么垃圾", "厨余垃圾"),
    ("奶茶杯", "其他垃圾"),
    ("吃剩的西瓜皮是干垃圾还是湿垃圾", "厨余垃圾"),
    ("请问一下咖啡渣算什么垃圾呀？", "厨余垃圾"),
    ("旧衣服可以回收吗", "可回收物"),
    ("烟头是湿垃圾吗", "其他垃圾"),
])
def test_known_items_name_the_official_category_first(wechat, question, category):
    reply = wechat.say("o-garbage", question)
    assert first_category(reply) == category, reply
    assert BIN[category] in reply and "小贴士" in reply


@pytest.mark.parametrize("question, item, category", [
    ("用过的纸巾是什么垃圾", "纸巾", "其他垃圾"),
    ("陶瓷碗碎片扔哪个桶", "陶瓷碗", "其他垃圾"),
    ("荧光灯管属于哪一类", "荧光灯", "有害垃圾"),
    ("乐高积木是什么垃圾", "积木", "可回收物"),
    ("装过农药的瓶子扔哪个桶", "农药", "有害垃圾"),
])
def test_head_noun_of_a_longer_phrase(wechat, question, item, category):
    reply = wechat.say("o-g", question)
    assert first_category(reply) == category and item in reply, reply


def test_homophone_typo_says_how_it_was_read(wechat):
    reply = wechat.say("o-g", "电弛是什么垃圾")
    assert first_category(reply) == "有害垃圾" and "按「电池」回答" in reply


def test_bare_typo_of_one_character(wechat):
    assert first_category(wechat.say("o-g", "塑料代")) == "其他垃圾"


def test_several_items_in_one_message(wechat):
    blocks = wechat.say("o-g", "电池和塑料袋分别是什么垃圾").split("\n\n")
    assert [first_category(b) for b in blocks] == ["有害垃圾", "其他垃圾"]
    blocks = wechat.say("o-g", "塑料瓶、易拉罐、剩饭是什么垃圾").split("\n\n")
    assert [first_category(b) for b in blocks] == ["可回收物", "可回收物", "厨余垃圾"]


def test_category_words_are_explained_with_the_official_name(wechat):
    reply = wechat.say("o-g", "湿垃圾是什么垃圾")
    assert first_category(reply) == "厨余垃圾" and "绿色桶" in reply
    assert first_category(wechat.say("o-g", "干垃圾包括哪些")) == "其他垃圾"


def test_near_miss_offers_suggestions_and_is_logged(app, wechat):
    reply = wechat.say("o-g", "星巴克杯是什么垃圾")
    assert "暂未收录" in reply and "您是不是想问" in reply and "星巴克" in reply.split("您是不是想问")[1]
    assert unknown_phrases(app) == {"星巴克杯": 1}


def test_unknown_item_is_honest_logged_and_listed(app, wechat, runner):
    reply = wechat.say("o-g", "呜呜呜嗷是什么垃圾")
    assert "暂未收录「呜呜呜嗷」" in reply and "一般规则" in reply
    wechat.say("o-g2", "呜呜呜嗷扔哪个桶")
    assert unknown_phrases(app) == {"呜呜呜嗷": 2}
    listed = runner.invoke(args=["garbage", "unknown", "--top", "5"]).output
    assert listed.startswith("2\t呜呜呜嗷")


def test_personal_looking_phrases_are_never_logged(app, wechat):
    assert "暂未收录" in wechat.say("o-g", "13812345678是什么垃圾")
    assert unknown_phrases(app) == {}


@pytest.mark.parametrize("text", ["小区垃圾桶满了没人收", "垃圾桶在哪", "乱扔垃圾怎么处理", "这是什么垃圾"])
def test_other_messages_about_rubbish_are_not_taken_as_items(app, wechat, text):
    reply = wechat.say("o-g", text)
    assert "小贴士" not in reply and "暂未收录" not in reply
    assert unknown_phrases(app) == {}


@pytest.fixture
def staff_items(app):
    """Staff additions land in a reference table kept between tests: remove them after."""
    names = []
    yield names
    with app.app_context():
        GarbageItem.query.filter(GarbageItem.name.in_(names)).delete()
        db.session.commit()


def test_staff_add_and_change_via_cli_change_the_answer(app, wechat, runner, staff_items):
    staff_items.append("津津乐道盒")
    assert "暂未收录" in wechat.say("o-g", "津津乐道盒是什么垃圾")
    result = runner.invoke(args=["garbage", "add", "津津乐道盒", "可回收物", "--alias", "乐道盒", "--tip", "压扁再投。"])
    assert result.exit_code == 0, result.output
    reply = wechat.say("o-g", "津津乐道盒是什么垃圾")
    assert first_category(reply) == "可回收物" and "压扁再投。" in reply
    assert first_category(wechat.say("o-g", "乐道盒")) == "可回收物"
    assert runner.invoke(args=["garbage", "add", "津津乐道盒", "湿垃圾"]).exit_code == 0
    assert first_category(wechat.say("o-g", "津津乐道盒扔哪个桶")) == "厨余垃圾"
    assert "津津乐道盒" not in runner.invoke(args=["garbage", "unknown"]).output
    with app.app_context():
        assert GarbageItem.query.filter_by(name="津津乐道盒").one().added_by == "staff:cli"


def test_cli_refuses_an_unknown_category(runner):
    result = runner.invoke(args=["garbage", "add", "某物", "大件垃圾"])
    assert result.exit_code != 0 and "可回收物" in result.output


def test_seed_is_idempotent_and_keeps_staff_rows(app, staff_items):
    from bot.garbage import seed, upsert_item

    staff_items.append("津津测试物")
    with app.app_context():
        upsert_item(db.session, "津津测试物", "其他垃圾", actor="staff:test")
        before = GarbageItem.query.count()
        seed(db.session)
        seed(db.session)
        assert GarbageItem.query.count() == before
        assert GarbageItem.query.filter_by(name="津津测试物").one().category == "其他垃圾"
