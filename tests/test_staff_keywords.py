"""Staff teach the classifier a keyword in the dashboard; every worker uses it within seconds."""

import json
import uuid

from sqlalchemy import select

import nlp
from bot.extensions import db
from bot.models import StaffKeyword
from bot.understanding import VERSION_KEY
from tests.conftest import TOKEN
from tests.support.dashboard import csrf, login, make_staff
from tests.support.wechat_client import WeChatServer

MESSAGE = "楼下好多电瓶车飞线充电 吓人得很"


def _category(app, text=MESSAGE):
    """How this app reads a message (its staff keywords included)."""
    return nlp.as_json(app.extensions["understanding"].understand(text))


def _admin(app):
    make_staff(app, "kw-admin", "数字城管指挥中心", admin=True)
    client = app.test_client()
    login(client, "kw-admin")
    return client


def _add(client, keyword, category="fire_lane", weight="4"):
    return client.post("/dashboard/manage/categories/keywords", follow_redirects=True, data={
        "keyword": keyword, "category": category, "weight": weight,
        "csrf_token": csrf(client, "/dashboard/manage/categories")}).get_data(as_text=True)


def test_added_keyword_routes_the_next_message_and_deleting_it_undoes_that(app, make_app):
    assert _category(app)["category"] != "fire_lane"
    client = _admin(app)
    page = _add(client, "飞线 充电")  # spaces typed by mistake are dropped
    assert "已加入关键词「飞线充电」" in page
    result = _category(app)
    assert (result["intent"], result["category"], result["department"]) == ("report", "fire_lane", "城管执法大队")
    assert nlp.classify(MESSAGE)["category"] != "fire_lane"  # the process's base classifier is left as shipped
    assert "飞线充电" in client.get("/dashboard/manage/categories?try=" + MESSAGE).get_data(as_text=True)
    with app.app_context():
        row = db.session.execute(select(StaffKeyword)).scalar_one()
        assert (row.keyword, row.weight, row.added_by) == ("飞线充电", 4.0, "kw-admin")
    page = client.post(f"/dashboard/manage/categories/keywords/{row.id}/delete", follow_redirects=True,
                       data={"csrf_token": csrf(client, "/dashboard/manage/categories")}).get_data(as_text=True)
    assert "已删除关键词「飞线充电」" in page
    assert _category(app)["category"] != "fire_lane"


def test_keywords_the_shipped_tables_claim_or_too_short_are_refused(app):
    client = _admin(app)
    assert "已由内置词表归为" in _add(client, "井盖", category="street_light")
    assert "2–20 个字" in _add(client, "灯")
    assert "请选择一个类别" in _add(client, "飞线充电", category="no_such_category")
    assert "权重请填 1–5" in _add(client, "飞线充电", weight="99")
    with app.app_context():
        assert db.session.execute(select(StaffKeyword)).first() is None


def test_only_admins_edit_keywords(app):
    make_staff(app, "kw-clerk", "路灯管理所")
    client = app.test_client()
    login(client, "kw-clerk")
    response = client.post("/dashboard/manage/categories/keywords", data={
        "keyword": "飞线充电", "category": "fire_lane", "csrf_token": csrf(client, "/dashboard/")})
    assert response.status_code == 403


def test_another_workers_edit_reaches_this_worker_through_redis(make_app):
    app = make_app(STAFF_KEYWORDS_CHECK_SECONDS=0)
    chat = WeChatServer(app.test_client(), TOKEN)
    assert _category(app)["category"] != "fire_lane"  # this worker has read the text once already
    with app.app_context():  # what the dashboard in another process does: a row, then a new version
        db.session.add(StaffKeyword(keyword="飞线充电", category_code="fire_lane", weight=4, added_by="elsewhere"))
        db.session.commit()
        app.extensions["redis"].set(VERSION_KEY, uuid.uuid4().hex)
    assert "位置" in chat.say("u-kw", MESSAGE)  # a report: where is it?
    state = json.loads(app.extensions["redis"].get("state:u-kw"))
    assert state["name"] == "report" and state["data"]["category"] == "fire_lane"
