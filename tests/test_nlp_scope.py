"""nlp/: other bureaus' matters that look like city problems, thanks for a fix, who is writing. Pure."""

import pytest

import nlp


@pytest.mark.parametrize("text", [
    "邻居天天在楼道里跟我吵架",  # a quarrel, not noise
    "楼上漏水漏到我家厨房了",  # a leak inside a home, not the water supply
    "电子眼拍我闯红灯 我要申诉",  # a traffic offence
    "水果摊缺斤少两",  # weights and measures
    "包工头跑了 工钱都没拿到",  # wages
    "游泳馆老板跑路了 卡里还有钱",  # a prepaid card
    "四面山门票多少钱",  # tourism
    "你们吃饭了没",  # chit-chat
])
def test_another_bureaus_matter_is_out_of_scope(text):
    assert nlp.understand(text).intent == "out_of_scope"


@pytest.mark.parametrize("text", ["路边那堆垃圾今天就拉走了 点赞", "建渣已经清走了 辛苦了"])
def test_thanks_for_a_removal_is_not_a_new_report(text):
    assert nlp.understand(text).intent == "out_of_scope"


def test_a_removal_by_someone_else_is_a_problem():
    assert nlp.understand("路口的垃圾桶被人拉走了").category == "garbage_collection"


@pytest.mark.parametrize("text, category", [
    ("我是退休职工 小区门口的下水道堵了半个月了 谢谢", "drainage"),  # who writes is not the topic
    ("我是学校老师 校门口的路灯坏了", "street_light"),
    ("邻居家门口的下水道堵了 臭得很", "drainage"),
])
def test_the_sender_and_polite_words_are_not_the_topic(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text", ["停车场乱收费的投诉有结果了没", "上周报了路灯坏了 好久有人来修嘛",
                                  "我反应的问题咋个还没得回复"])
def test_a_complaint_already_made_is_a_follow_up(text):
    assert nlp.understand(text).intent == "status"


@pytest.mark.parametrize("text, intent", [
    ("你都会些啥子", "help"),
    ("退休了想当个义务监督员", "supervisor"),
    ("娃儿的垃圾分类的题在哪里做", "quiz"),
])
def test_what_the_bot_does(text, intent):
    assert nlp.understand(text).intent == intent


@pytest.mark.parametrize("text", ["物管把小区的草坪挖了修车位", "那个违建终于拆了 大快人心"])
def test_property_management_and_a_demolished_violation(text):
    assert nlp.understand(text).intent == "out_of_scope"


def test_a_removed_railing_is_still_a_problem():
    assert nlp.understand("有人把路边的护栏拆了").intent == "report"


def test_property_management_disowning_a_street_problem_leaves_it_the_citys():
    result = nlp.understand("小区外面人行道上的垃圾桶满了 物业说不归他们管")
    assert (result.intent, result.category) == ("report", "garbage_collection")


@pytest.mark.parametrize("text", ["去重庆的动车几点有", "有人在菜市场卖假药骗老年人"])
def test_transport_and_swindles_are_other_bureaus(text):
    assert nlp.understand(text).intent == "out_of_scope"


@pytest.mark.parametrize("text, intent", [
    ("楼上两口子半夜打架 吵得睡不着", "out_of_scope"),  # household noise: no works or trade making it
    ("隔壁工地半夜打桩 吵得睡不着", "report"),
    ("邻居家装修 电钻吵得睡不着", "report"),  # works, whoever ordered them
])
def test_the_source_of_a_noise_decides_whose_it_is(text, intent):
    assert nlp.understand(text).intent == intent


def test_praise_for_a_repair_is_thanks():
    assert nlp.understand("路灯修好了 效率还可以").intent == "out_of_scope"


def test_asking_whether_a_violation_was_torn_down_is_a_follow_up():
    assert nlp.understand("我投诉的那个违建拆了没有").intent == "status"
