"""nlp/ entities: ticket numbers, places (the gazetteer), times, garbage items. Pure."""

import pytest

import nlp
from nlp import entities, places


def test_tickets_normalised():
    assert entities.tickets("上次的jj202611240007呢 还有JJ 202611240008") == ["JJ202611240007", "JJ202611240008"]
    assert entities.tickets("JJ2026112400") == []  # too short


def test_ticket_number_alone_asks_for_status():
    result = nlp.understand("JJ202611240007")
    assert result.intent == "status" and result.entities["tickets"] == ["JJ202611240007"]


def test_places_towns_landmarks_roads():
    found = places.find("几江街道滨江路 鼎山公园附近")
    assert [(p.name, p.kind) for p in found] == [("几江街道", "town"), ("滨江路", "road"), ("鼎山公园", "landmark")]
    assert all(28.5 < p.lat < 29.5 and 105.8 < p.lng < 106.6 for p in found)  # inside 江津区


def test_place_alias_and_longest_name():
    assert [p.name for p in places.find("交大门口")] == ["重庆交通大学双福校区"]
    assert [p.name for p in places.find("鼎山公园")] == ["鼎山公园"]  # not 鼎山街道 too


def test_all_29_towns_are_in_the_gazetteer():
    towns = {place.name for name in places.names() for place in places.find(name) if place.kind == "town"}
    assert len(towns) == 29


def test_generic_words_are_not_places():
    assert places.find("小区东门的路灯坏了 镇政府门口也是") == []


def test_times():
    assert entities.times("今晚8点去 周末也行") == ["今晚", "周末", "8点"]


def test_entities_travel_with_every_understanding():
    result = nlp.understand("今晚8点鼎山公园附近有没有车位")
    assert result.intent == "parking"
    assert [p.name for p in result.entities["places"]] == ["鼎山公园"]
    assert "今晚" in result.entities["times"] and result.entities["tickets"] == []


@pytest.mark.parametrize("text, items", [
    ("用过的纸巾是什么垃圾", ["用过的纸巾"]),
    ("电池和塑料袋分别是什么垃圾", ["电池", "塑料袋"]),
    ("充电宝是有害垃圾还是可回收物", ["充电宝"]),
    ("电池", ["电池"]),
    ("垃圾分类有几类", []),
    ("有害垃圾应该投到什么颜色的桶", []),
])
def test_garbage_items_asked_about(text, items):
    result = nlp.understand(text)
    assert result.intent == "garbage" and result.entities["items"] == items


def test_no_items_outside_garbage_questions():
    assert "items" not in nlp.understand("小区垃圾桶满了没人收").entities
