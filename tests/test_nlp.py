"""nlp/: every intent and category with residents' phrasing, the ambiguous pairs, negation. Pure."""

import pytest

import nlp
from nlp.tables import categories


@pytest.mark.parametrize("text, category", [
    ("滨江路井盖遭偷了 莫得人管", "manhole_cover"),
    ("人行道的地砖翘起来了 一踩一脚水", "road_damage"),
    ("下水道堵了 污水冒出来", "drainage"),
    ("路灯不亮 黢黑的", "street_light"),
    ("学校门口一放学就好多小摊摊占到路", "street_vending"),
    ("隔壁在楼顶上偷偷加盖了一层", "illegal_construction"),
    ("电线杆上贴满了牛皮癣小广告", "outdoor_ad"),
    ("人行道上停满了小车 走路都走不通", "illegal_parking"),
    ("消防通道被堵了", "fire_lane"),
    ("工地灰尘好大 窗子都不敢开", "air_pollution"),
    ("工地半夜还在打桩 吵得睡不着", "noise"),
    ("有人在河边倒建渣", "construction_waste"),
    ("小区垃圾桶满了没人收", "garbage_collection"),
    ("河面上漂起好多垃圾 没人打捞", "street_cleaning"),
    ("公厕臭得遭不住 还没得水冲", "public_toilet"),
    ("餐馆把潲水倒进下水道", "waste_oil"),
    ("行道树的枝丫伸到我家窗子了", "greenery"),
    ("那棵几百年的黄葛树被人剥了皮", "ancient_tree"),
    ("公园的滑梯烂了 娃儿差点受伤", "park_facility"),
    ("我们这一片停水两天了", "water_supply"),
    ("错时停车场到点了还锁起的", "parking_facility"),
    ("小区外面有几条流浪狗见人就咬", "other"),
])
def test_each_category_with_its_department(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)
    assert result.department == categories()[category].department
    assert result.confidence > 0


@pytest.mark.parametrize("text, intent", [
    ("电池是什么垃圾", "garbage"),
    ("奶茶杯扔哪个桶", "garbage"),
    ("鼎山公园附近哪里停车", "parking"),
    ("错时停车啷个收费", "parking"),
    ("查询 JJ202611240007", "status"),
    ("我的反映", "status"),
    ("答题", "quiz"),
    ("我们学校排第几", "quiz"),
    ("绑定 K7P2QX", "supervisor"),
    ("我的积分", "supervisor"),
    ("帮助", "help"),
    ("能帮我做什么", "help"),
    ("社保卡丢了怎么补办", "out_of_scope"),
    ("娃儿上学的学位问题", "out_of_scope"),
    ("老板拖欠工资三个月了", "out_of_scope"),
    ("你吃饭了没", "out_of_scope"),
])
def test_each_intent(text, intent):
    result = nlp.understand(text)
    assert result.intent == intent and result.category is None and result.department is None


@pytest.mark.parametrize("text, intent, category", [
    ("小区垃圾桶满了没人收", "report", "garbage_collection"),
    ("垃圾桶是什么垃圾", "garbage", None),
    ("路灯不亮", "report", "street_light"),
    ("路灯太亮了晃眼睛", "report", "street_light"),
    ("错时停车场几点开门", "parking", None),
    ("错时停车场不开门 车进不去", "report", "parking_facility"),
    ("鼎山公园附近停车", "parking", None),
    ("鼎山公园的健身器材坏了", "report", "park_facility"),
    ("我报的路灯修好了吗", "status", None),
    ("路灯修好了又坏了", "report", "street_light"),
    ("垃圾分类有几类", "garbage", None),
    ("垃圾好几天没人收了", "report", "garbage_collection"),
])
def test_ambiguous_pairs(text, intent, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == (intent, category)


@pytest.mark.parametrize("text", ["井盖没问题", "下水道已经通了", "路灯已经修好了"])
def test_nothing_wrong_is_not_a_report(text):
    assert nlp.understand(text).intent is None


def test_thanks_for_a_repair_is_not_a_new_report():
    assert nlp.understand("路灯亮了 谢谢你们").intent == "out_of_scope"


@pytest.mark.parametrize("text, category", [
    ("下水道没堵 是井盖坏了", "manhole_cover"),
    ("不是路灯的问题 是井盖不见了", "manhole_cover"),
    ("不是路灯的问题是井盖不见了", "manhole_cover"),
])
def test_negated_problem_points_to_the_real_one(text, category):
    assert nlp.understand(text).category == category


def test_several_problems_the_first_named_leads():
    assert nlp.understand("垃圾桶满了没人收 旁边下水道也堵了").category == "garbage_collection"


def test_more_specific_keyword_decides():
    assert nlp.understand("小区外面的雨水管断了 水到处流").category == "drainage"


def test_voice_recognition_slips_and_dialect():
    assert nlp.understand("路等坏了").category == "street_light"
    assert nlp.understand("紧盖不见了").category == "manhole_cover"


@pytest.mark.parametrize("text", ["阿巴阿巴", "", "   ", "。。。"])
def test_unclear_message_is_an_honest_no_idea(text):
    result = nlp.understand(text)
    assert result.intent is None and result.confidence == 0.0 and result.category is None


@pytest.mark.parametrize(("text", "intent", "topic"), [
    ("嗯嗯", "out_of_scope", "ack"), ("收到👌", "out_of_scope", "ack"), ("谢谢你们哈", "out_of_scope", "thanks"),
    ("早上好☀️", "help", "greeting"), ("12345热线电话多少", "help", "hotline"), ("城管投诉电话是好多", "help", "hotline"),
    ("投诉打哪个电话", "help", "hotline"),
])
def test_small_talk_is_answered_in_a_word(text, intent, topic):
    result = nlp.understand(text)
    assert (result.intent, result.entities.get("topic")) == (intent, topic)


def test_a_problem_asking_for_the_number_is_still_the_report():
    result = nlp.understand("路灯坏了三天了 打哪个电话")
    assert (result.intent, result.category, result.entities.get("topic")) == ("report", "street_light", "hotline")


def test_long_letter_of_another_bureau_is_not_routed():
    letter = ("尊敬的领导：我是一名退休教师，退休工资已经三个月没有按时发放，社保局说要等财政拨款，"
              "医保报销也一直拖着，请帮忙协调解决。") * 3
    result = nlp.understand(letter)
    assert result.intent == "out_of_scope"


def test_classify_is_the_contract_view():
    assert nlp.classify("人行道上的井盖不见了") == {
        "intent": "report", "category": "manhole_cover", "department": "市政设施管理所",
        "confidence": nlp.understand("人行道上的井盖不见了").confidence}


@pytest.mark.parametrize("text", ["擦过眼镜的湿巾", "摔烂了的瓷碗"])
def test_an_item_with_what_happened_to_it_is_a_sorting_question(text):
    assert nlp.understand(text).intent == "garbage"


def test_something_floating_on_the_river_is_not_an_item_question():
    assert nlp.understand("江面上好多漂起的泡沫").intent == "report"
