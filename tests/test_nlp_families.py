"""nlp/: whole families of residents' words per category, and who-does-what precedence. Pure."""

import pytest

import nlp


@pytest.mark.parametrize("text, category", [
    ("小区门口那个下水道的盖子缺了一角", "manhole_cover"),
    ("车站外面景盖翘起来了", "manhole_cover"),
    ("那段路被大车压坏了 坑坑包包的", "road_damage"),
    ("江洲大道人行道凹凸不平 老人摔了一跤", "road_damage"),
    ("院子后面的阴沟堵了 臭得很", "drainage"),
    ("街上有人推车卖烤红薯 把路占了一半", "street_vending"),
    ("有户人家把楼下空地围起来砌了个车库", "illegal_construction"),
    ("那家店的灯箱放在盲道上", "outdoor_ad"),
    ("有人在坡上烧谷草 烟子大得很", "air_pollution"),
    ("草坪上被人倒了一堆碎砖和水泥块", "construction_waste"),
    ("路口地上一滩油 滑得很", "street_cleaning"),
    ("小区外面的行道树生虫了", "greenery"),
    ("后头山上有点要滑坡了", "other"),
    ("路边变压器的门开起的", "other"),
])
def test_a_family_word_names_its_category(text, category):
    assert (nlp.understand(text).intent, nlp.understand(text).category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("卖水果的把消防通道堵了", "street_vending"),  # the seller is the subject, not the lane
    ("有辆小车停在人民路人行道上两天了", "illegal_parking"),  # a place name between 停 and 人行道
    ("面包车开上人行道停起", "illegal_parking"),
    ("路边的树太密了 把路灯都遮住了", "greenery"),  # the blocker, not the lamp
    ("公厕旁边的化粪池满出来了", "drainage"),  # 公厕 only says where
    ("公厕门口好臭", "public_toilet"),  # ...unless nothing else is named
    ("公园里的地砖烂了好几块", "park_facility"),  # paving inside a park is the park's
    ("公园门口的人行道砖烂了", "road_damage"),  # ...but not outside its gate
    ("广场上的路灯不亮", "street_light"),  # lamps stay the lamp service's
])
def test_who_does_what_decides(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


def test_an_advert_for_drain_cleaning_is_an_advert():
    assert nlp.understand("墙上全是疏通下水道的小广告").category == "outdoor_ad"


@pytest.mark.parametrize("text, category", [
    ("路口有个铁盖盖翘起来了", "manhole_cover"),  # a cover by any name
    ("垃圾桶的盖子烂了", "garbage_collection"),  # ...but not a bin's lid
    ("下水口遭落叶堵了 水流不下去", "drainage"),
    ("那辆面包车停在巷子里半年了 没人开", "illegal_parking"),  # a zombie car
    ("有个餐馆天天往河里倒油", "waste_oil"),
    ("超市的安全出口被纸箱子堵了", "fire_lane"),
])
def test_second_pass_families(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("收废品的把纸箱子堆在人行道上", "street_vending"),
    ("路灯被树叶包住了 照不到路", "greenery"),
    ("候车亭的顶棚漏雨", "other"),
    ("公交站台上贴满了招工广告", "outdoor_ad"),
    ("石梯上全是青苔 滑得很", "street_cleaning"),
])
def test_third_pass_precedence(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("马路边那个坑里全是水", "road_damage"),  # jieba glued 坑里: still the word 坑
    ("河边步道的灯好几天都不亮了", "street_light"),
    ("厕所里面的灯坏了", "public_toilet"),  # a facility's own lamp is the facility's
    ("隔壁那家在老房子上面又加了两层 根本没批", "illegal_construction"),
])
def test_glued_words_lamps_and_storeys(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("桥头栏杆上挂满了卖房的横幅", "outdoor_ad"),
    ("面包车停在人行横道上不走", "illegal_parking"),
    ("河边那棵挂了保护牌的老树被人砍了枝", "ancient_tree"),
])
def test_fifth_pass(text, category):
    result = nlp.understand(text)
    assert (result.intent, result.category) == ("report", category)


@pytest.mark.parametrize("text, category", [
    ("工地上灰大得很 还天天晚上施工 吵死个人", "air_pollution"),  # dust first, noise added with 还
    ("工地晚上还在施工 吵死了 灰也大", "noise"),
])
def test_dust_and_noise_from_one_site_the_first_named_leads(text, category):
    assert nlp.understand(text).category == category
