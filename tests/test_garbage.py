"""Garbage-sorting answers through the real /wechat route."""

import pytest

from bot.models.garbage import GarbageUnknown

OFFICIAL = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")


def first_category(text):
    """The first of the four official (or colloquial) category names in a reply."""
    names = OFFICIAL + ("湿垃圾", "干垃圾")
    found = [(text.find(n), n) for n in names if n in text]
    return min(found)[1] if found else None


@pytest.mark.parametrize("question, category", [
    ("塑料袋是什么垃圾", "其他垃圾"),
    ("快递盒属于什么垃圾", "可回收物"),
    ("过期药品扔哪个桶", "有害垃圾"),
    ("西瓜皮属于哪一类", "厨余垃圾"),
    ("大骨头是啥子垃圾哦", "其他垃圾"),
    ("奶茶杯", "其他垃圾"),
    ("用过的纸巾是什么垃圾", "其他垃圾"),
    ("吃剩的西瓜皮是干垃圾还是湿垃圾", "厨余垃圾"),
    ("荧光灯管怎么扔", "有害垃圾"),
    ("请问一下咖啡渣算什么垃圾呀？", "厨余垃圾"),
])
def test_known_items_name_the_official_category_first(wechat, question, category):
    reply = wechat.say("o-garbage", question)
    assert first_category(reply) == category, reply
    assert "桶" in reply and "小贴士" in reply


def test_bin_colour_follows_chongqing(wechat):
    assert "红色桶" in wechat.say("o-g", "废电池是什么垃圾")
    assert "蓝色桶" in wechat.say("o-g", "旧报纸是什么垃圾")


def test_homophone_typo_is_understood(wechat):
    reply = wechat.say("o-g", "电弛是什么垃圾")
    assert "电池" in reply and first_category(reply) == "有害垃圾"


def test_several_items_in_one_message(wechat):
    reply = wechat.say("o-g", "电池和塑料袋分别是什么垃圾")
    blocks = reply.split("\n\n")
    assert len(blocks) == 2
    assert first_category(blocks[0]) == "有害垃圾" and first_category(blocks[1]) == "其他垃圾"


def test_near_miss_offers_suggestions(wechat):
    reply = wechat.say("o-g", "奶茶塑料盖子是什么垃圾")
    assert "暂未收录" in reply or first_category(reply) in OFFICIAL


def test_unknown_item_is_honest_and_logged(app, wechat):
    reply = wechat.say("o-g", "呜呜呜嗷是什么垃圾")
    assert "暂未收录" in reply and "一般规则" in reply
    wechat.say("o-g2", "呜呜呜嗷是什么垃圾")
    with app.app_context():
        row = GarbageUnknown.query.filter_by(phrase="呜呜呜嗷").one()
        assert row.count == 2


@pytest.fixture
def cleanup_items(app):
    """Staff additions land in a reference table kept between tests: remove them after."""
    names = []
    yield names
    from bot import garbage_data
    from bot.extensions import db
    from bot.models.garbage import GarbageItem

    with app.app_context():
        GarbageItem.query.filter(GarbageItem.name.in_(names)).delete()
        db.session.commit()
    garbage_data.refresh_soon()


def test_staff_add_changes_the_answer(app, wechat, runner, cleanup_items):
    cleanup_items.append("津津乐道盒")
    assert "暂未收录" in wechat.say("o-g", "津津乐道盒是什么垃圾")
    result = runner.invoke(args=["garbage", "add", "津津乐道盒", "可回收物", "--alias", "乐道盒"])
    assert result.exit_code == 0, result.output
    assert first_category(wechat.say("o-g", "津津乐道盒是什么垃圾")) == "可回收物"
    assert first_category(wechat.say("o-g", "乐道盒")) == "可回收物"
    listed = runner.invoke(args=["garbage", "unknown"]).output
    assert "津津乐道盒" not in listed


def test_report_about_bins_is_not_a_garbage_question(wechat):
    reply = wechat.say("o-g", "小区垃圾桶满了没人收")
    assert "小贴士" not in reply
