"""District profiles: any district by data alone (DISTRICT_DIR). The key flows on 江津区 and on
上海市黄浦区 (its own departments, places, bounds and garbage names: 湿垃圾/干垃圾), and a profile
added by copying a folder, with no code change."""

import json
import shutil
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

import nlp
from bot import create_app, geo
from bot.config import ConfigError, district
from bot.extensions import db
from bot.models import Department, Ticket
from bot.seed import seed_all
from nlp import places
from tests.conftest import REDIS_URL, TOKEN, _settings
from tests.support.open311 import BASE, KEY, post
from tests.support.tickets import NUMBER
from tests.support.wechat_client import WeChatServer

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "data" / "districts"
BUND = (31.2380, 121.4950)  # 外滩, GCJ-02 (黄浦区)
JIANGJIN = (29.2905, 106.2590)  # 几江街道, GCJ-02 (江津区)


def profile_app(tmp_path, directory, **overrides):
    """An app of that profile on its own SQLite database, migrated and seeded from the profile."""
    settings = _settings(f"sqlite:///{tmp_path / 'profile.db'}", REDIS_URL, DISTRICT=district(directory),
                         OPEN311_API_KEYS=[KEY], INSTANCE_DIR=str(tmp_path / "instance"), **overrides)
    app = create_app(settings)
    with app.app_context():
        upgrade(revision="heads")
        seed_all()
        app.extensions["redis"].flushdb()
        db.session.remove()
    from bot import warm_up

    warm_up(app)
    return app


@pytest.fixture
def huangpu(tmp_path, redis_url):
    app = profile_app(tmp_path, PROFILES / "huangpu")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    nlp.use_places(places.DEFAULT)  # the process's gazetteer back to the default profile


def test_both_shipped_profiles_load_whole():
    for name, town in (("jiangjin", "几江街道"), ("huangpu", "南京东路街道")):
        profile = district(PROFILES / name)
        assert len(profile["categories"]) == 22 and "other" in profile["categories"]
        assert profile["departments"] == list(dict.fromkeys(c.department for c in profile["categories"].values()))
        assert profile["example_town"] == town and len(profile["garbage"]["categories"]) == 4
    assert district(PROFILES / "huangpu")["garbage"]["categories"][2:] == ["湿垃圾", "干垃圾"]


@pytest.mark.parametrize(("damage", "message"), [
    (lambda d: (d / "categories.tsv").unlink(), "categories.tsv"),
    (lambda d: (d / "places.tsv").unlink(), "places.tsv"),
    (lambda d: _rewrite(d / "district.toml", "bounds = [", "bounds = [99, "), "bounds"),
    (lambda d: _rewrite(d / "district.toml", 'hotline = "12345"\n', ""), "hotline"),
    (lambda d: _rewrite(d / "categories.tsv", "\nother\t", "\nelse\t"), "other"),
    (lambda d: _rewrite(d / "categories.tsv", "manhole_cover\t", "manhole_cover\textra\t"), "columns"),
])
def test_a_broken_profile_is_refused_whole_naming_the_file(tmp_path, damage, message):
    copy = shutil.copytree(PROFILES / "huangpu", tmp_path / "broken")
    damage(copy)
    with pytest.raises(ConfigError, match=message):
        district(copy)


def _rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_huangpu_chat_speaks_its_district(huangpu):
    wechat = WeChatServer(huangpu.test_client(), TOKEN)
    welcome = wechat.event("o-hp-1", "subscribe")["Content"]
    assert "黄浦城管「黄浦管家」" in welcome and "江津" not in welcome
    assert "黄浦管家可以帮您" in wechat.say("o-hp-1", "帮助")
    hotline = wechat.say("o-hp-1", "城管热线电话多少")
    assert "12345" in hotline and "上海市黄浦区城市管理行政执法局" in hotline
    assert "随申办" in wechat.say("o-hp-1", "我的社保卡丢了怎么补办") and "渝快办" not in wechat.say("o-hp-1", "医保报销找谁")


@pytest.mark.parametrize(("item", "name", "bin_"), [("香蕉皮", "湿垃圾", "棕色桶"), ("用过的纸巾", "干垃圾", "黑色桶"),
                                                     ("废电池", "有害垃圾", "红色桶"), ("矿泉水瓶", "可回收物", "蓝色桶")])
def test_huangpu_garbage_answers_use_shanghai_names_and_bins(huangpu, item, name, bin_):
    reply = WeChatServer(huangpu.test_client(), TOKEN).say("o-hp-2", f"{item}是什么垃圾")
    assert name in reply and bin_ in reply, reply
    assert not any(word in reply for word in ("厨余垃圾", "其他垃圾", "绿色桶", "灰色桶")), reply


def test_huangpu_report_goes_to_its_department_and_refuses_jiangjin(huangpu):
    wechat = WeChatServer(huangpu.test_client(), TOKEN)
    wechat.say("o-hp-3", "井盖不见了")
    outside = wechat.location("o-hp-3", *JIANGJIN)["Content"]
    assert "不在上海市黄浦区" in outside and "已保留" in outside
    with huangpu.app_context():
        assert db.session.query(Ticket).count() == 0
    assert "照片" in wechat.location("o-hp-3", *BUND)["Content"]  # the draft went on where it was
    wechat.say("o-hp-3", "跳过")
    wechat.say("o-hp-3", "跳过")
    done = wechat.say("o-hp-3", "确认")
    number = NUMBER.search(done).group(0)
    assert "上海市黄浦区建设和管理委员会" in done
    with huangpu.app_context():
        ticket = db.session.execute(select(Ticket).filter_by(number=number)).scalar_one()
        assert ticket.department.name == "上海市黄浦区建设和管理委员会"


def test_huangpu_open311_and_staff_and_nlp(huangpu):
    api = huangpu.test_client()
    discovery = api.get(f"{BASE}/discovery.json").get_json()
    assert "上海市黄浦区城市管理行政执法局" in discovery["contact"] and "江津" not in json.dumps(discovery, ensure_ascii=False)
    services = {s["service_code"]: s["group"] for s in api.get(f"{BASE}/services.json").get_json()}
    assert services["street_vending"] == "上海市黄浦区城市管理行政执法局"
    wgs_bund = geo.gcj02_to_wgs84(*BUND)
    created = post(api, service_code="street_vending", lat=str(wgs_bund[0]), long=str(wgs_bund[1]))
    assert created.status_code == 201 and "城市管理行政执法局" in created.get_json()[0]["service_notice"]
    wgs_jiangjin = geo.gcj02_to_wgs84(*JIANGJIN)
    refused = post(api, lat=str(wgs_jiangjin[0]), long=str(wgs_jiangjin[1]))
    assert refused.status_code == 400 and "黄浦区" in refused.get_json()[0]["description"]
    runner = huangpu.test_cli_runner()
    made = runner.invoke(args=["staff", "create", "--username", "hp", "--department", "上海市黄浦区绿化和市容管理局",
                               "--password", "correct horse battery"])
    assert made.exit_code == 0, made.output
    wrong = runner.invoke(args=["staff", "create", "--username", "jj", "--department", "市政设施管理所",
                                "--password", "correct horse battery"])
    assert wrong.exit_code != 0 and "上海市黄浦区绿化和市容管理局" in wrong.output
    line = json.loads(runner.invoke(args=["nlp", "classify", "外滩那边有人摆摊占道"]).output)
    assert (line["category"], line["department"]) == ("street_vending", "上海市黄浦区城市管理行政执法局")
    with huangpu.app_context():
        assert {d.name for d in db.session.execute(select(Department)).scalars()} == set(
            huangpu.config["DISTRICT"]["departments"])


def test_jiangjin_refuses_a_report_located_elsewhere(wechat):
    wechat.say("o-jj-1", "路灯不亮了")
    assert "不在重庆市江津区" in wechat.location("o-jj-1", *BUND)["Content"]
    done = wechat.report("o-jj-1", "路灯不亮了", *JIANGJIN)
    assert NUMBER.search(done) and "路灯管理所" in done


def test_a_new_profile_is_a_copied_folder_with_no_code_change(tmp_path, redis_url):
    """What a bureau does: copy a profile, edit its data, point DISTRICT_DIR at it."""
    folder = shutil.copytree(PROFILES / "huangpu", tmp_path / "ceshi")
    _rewrite(folder / "district.toml", 'name = "黄浦区"', 'name = "测试区"')
    _rewrite(folder / "district.toml", 'account = "黄浦管家"', 'account = "测试管家"')
    _rewrite(folder / "categories.tsv", "\t上海市黄浦区建设和管理委员会\t4\t", "\t测试区市政所\t4\t")  # 井盖's row
    app = profile_app(tmp_path, folder)
    try:
        wechat = WeChatServer(app.test_client(), TOKEN)
        assert "测试城管「测试管家」" in wechat.event("o-new", "subscribe")["Content"]
        done = wechat.report("o-new", "井盖不见了", *BUND)
        assert NUMBER.search(done) and "测试区市政所" in done
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        nlp.use_places(places.DEFAULT)
