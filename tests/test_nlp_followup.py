"""nlp/: a follow-up on an earlier report is a status question, a new problem stays a report;
greetings and how-to questions are help; rankings go to their owner; parking vs other bureaus. Pure."""

import pytest

import nlp
from nlp import followup


@pytest.mark.parametrize("follow_up, new_report, category", [
    ("上回反映的路灯啷个还没修", "滨江路的路灯不亮了", "street_light"),
    ("我上周报的井盖修没修哦", "小区门口的井盖遭偷了", "manhole_cover"),
    ("之前投诉的那个烧烤摊有人管没得", "烧烤摊摆到人行道上了", "street_vending"),
    ("前几天反映的下水道堵了 到现在都没得人来", "下水道堵了 水漫到路上", "drainage"),
    ("显示已经办结了 可是垃圾还是堆起的", "垃圾桶满了好几天没人收", "garbage_collection"),
    ("我举报的工地噪音有结果没", "工地半夜还在打桩 吵得睡不着", "noise"),
])
def test_follow_up_and_new_report_about_the_same_problem(follow_up, new_report, category):
    assert nlp.classify(follow_up) == {"intent": "status", "category": None, "department": None,
                                       "confidence": 0.85}
    result = nlp.understand(new_report)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("路灯又不亮了 才修好没几天", "street_light"),  # a recurrence is a new ticket
    ("我要反映一下 公园的滑梯烂了", "park_facility"),  # 我要反映 announces a report
    ("反映个问题 河边有人倒建渣", "construction_waste"),
    ("这条路的路灯坏了好久都没人修", "street_light"),  # no earlier report mentioned
])
def test_report_words_that_are_not_follow_ups(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text", ["我的单子啷个还是处置中", "为啥子显示不予受理", "帮我查哈我报的那个", "我那个投诉到哪里了"])
def test_ticket_words_are_status(text):
    assert nlp.understand(text).intent == "status"


def test_letters_are_left_to_their_topic():
    letter = "之前多次反映过" + "小区物业乱收费的问题，" * 8 + "到现在都没有人管"
    assert not followup.is_follow_up(letter)


@pytest.mark.parametrize("text", ["路灯修好了 辛苦你们了", "井盖换了新的 给你们点个赞", "下水道通了 多谢师傅"])
def test_thanks_for_a_fix_is_not_a_new_report(text):
    assert nlp.understand(text).intent == "out_of_scope"


@pytest.mark.parametrize("text", ["哈喽", "早上好！", "嗨 在吗", "新来的 不会用", "怎么上传照片", "位置啷个发",
                                  "有没有人工客服", "我想举报 怎么弄"])
def test_greetings_and_how_to_are_help(text):
    assert nlp.understand(text).intent == "help"


@pytest.mark.parametrize("text, intent", [
    ("晚上好停车不", "parking"),  # 晚上好 inside a question is not a greeting
    ("你好 我们小区门口的井盖不见了", "report"),
])
def test_a_greeting_does_not_hide_the_message(text, intent):
    assert nlp.understand(text).intent == intent


@pytest.mark.parametrize("text, intent", [
    ("监督员排行榜", "supervisor"),
    ("这个月监督员积分排名", "supervisor"),
    ("排行榜", "quiz"),
    ("我们班答题排第几", "quiz"),
    ("我们学校在全区排好多名", "quiz"),
    ("邀请码在哪里填", "supervisor"),
    ("再来一轮", "quiz"),
])
def test_rankings_belong_to_supervisors_or_the_quiz(text, intent):
    assert nlp.understand(text).intent == intent


@pytest.mark.parametrize("text, intent, category", [
    ("共享车位可以停好久", "parking", None),
    ("附近停车场车位满了没得", "parking", None),
    ("医院停车场停满了 附近还有没得停车的地方", "parking", None),
    ("停车场收了钱不给票", "report", "parking_facility"),
    ("停车场的道闸把我车子刮了", "report", "parking_facility"),
    ("违章停车被贴条了 啷个处理", "out_of_scope", None),
    ("车子年审在哪里办", "out_of_scope", None),
])
def test_parking_question_complaint_or_other_bureau(text, intent, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == (intent, category)


@pytest.mark.parametrize("text, category", [
    ("马路上有个大坑 旁边路灯也不亮", "road_damage"),  # the lamp is an aside
    ("楼下那家在绿化带上修了个棚子", "illegal_construction"),
    ("消防栓被撞歪了 一直在喷水", "water_supply"),
    ("消防栓前面被人停了车", "fire_lane"),
    ("拉圾桶满了没人倒", "garbage_collection"),
    ("人行道的砖烂了", "road_damage"),
    ("人行道上有碎玻璃 没人打扫", "street_cleaning"),  # on the pavement, not the pavement
])
def test_neighbouring_categories(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("拉圾站好几天没清运了", "garbage_collection"),
    ("燥音扰民 天天晚上整", "noise"),
    ("消防通到被车堵了", "fire_lane"),
])
def test_common_typos(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, intent", [
    ("报了快一个月了 井盖还是没得", "status"),
    ("你们回复说已经整改了 但是摊子还在摆", "status"),
    ("怎么取消我刚才报的", "help"),
    ("喂喂", "help"),
])
def test_more_follow_up_and_help_phrasing(text, intent):
    assert nlp.understand(text).intent == intent


def test_a_problem_after_a_fix_keeps_the_fixed_things_category():
    result = nlp.understand("上次那个井盖修好了 但是旁边又有一个不见了")
    assert (result.intent, result.category) == ("report", "manhole_cover")
    assert nlp.understand("井盖已经修好了").intent is None
