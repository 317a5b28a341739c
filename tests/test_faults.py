"""Real services stopped and started again: a private redis-server the test owns."""

import shutil
import socket
import time

import pytest
import redis

from bot import create_app
from tests.conftest import CI, TOKEN
from tests.support.private_services import PrivateRedis
from tests.support.wechat_client import WeChatServer, message_xml

WECHAT_LIMIT_SECONDS = 5.0
OUTAGE_SECONDS = 0.5  # the client's fail-fast window after a failure (3 s in production)


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        if CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis().start()
    yield server
    server.close()


def _app_on(app, private_redis):
    """The test's app settings on the private Redis, with a short fail-fast window."""
    return create_app({**app.config, "REDIS_URL": private_redis.url, "REDIS_OUTAGE_SECONDS": OUTAGE_SECONDS})


def test_bot_answers_while_redis_is_down_and_recovers(app, private_redis):
    faulty = _app_on(app, private_redis)
    chat = WeChatServer(faulty.test_client(), TOKEN)
    assert "垃圾分类" in chat.say("o-fault", "帮助")
    private_redis.stop()
    assert "垃圾分类" in chat.say("o-fault", "帮助")
    assert faulty.test_client().get("/healthz").status_code == 200
    private_redis.start()
    time.sleep(OUTAGE_SECONDS)  # the client tries Redis again once its fail-fast window is over
    assert "垃圾分类" in chat.say("o-fault", "帮助", msgid=777001)
    assert "垃圾分类" in chat.say("o-fault", "帮助", msgid=777001)  # retry protection is back
    assert redis.Redis(port=private_redis.port).exists("reply:msg:777001")


def test_report_filed_while_redis_is_down_and_finished_after_it_returns(app, private_redis):
    from bot.models import Ticket

    faulty = _app_on(app, private_redis)
    chat = WeChatServer(faulty.test_client(), TOKEN)
    private_redis.stop()
    assert "位置" in chat.say("o-outage", "路灯坏了 晚上黑得很")
    chat.location("o-outage", 29.29, 106.25)
    assert "手机号" in chat.say("o-outage", "跳过")
    private_redis.start()  # Redis returns mid-conversation: the draft is still in the database
    assert "确认" in chat.say("o-outage", "跳过")
    assert "路灯管理所" in chat.say("o-outage", "确认")
    with faulty.app_context():
        assert Ticket.query.count() == 1
    assert "路灯" in chat.say("o-outage", "我的反映")


def test_garbage_and_parking_answer_the_same_while_redis_is_down(app, private_redis):
    faulty = _app_on(app, private_redis)
    chat = WeChatServer(faulty.test_client(), TOKEN)
    asked = [("text", "电池是什么垃圾"), ("text", "奶茶杯"), ("text", "鼎山公园附近停车"),
             ("location", (29.2899, 106.2601))]

    def answers():
        return [chat.say("o-degraded", q) if kind == "text" else chat.location("o-degraded", *q)["Content"]
                for kind, q in asked]

    with_redis = answers()  # the GEO key is built now
    assert redis.Redis(port=private_redis.port).exists("parking:geo")
    private_redis.stop()
    without = answers()
    assert without == with_redis  # lots from the database, nearest first, the same text
    assert without[0].index("有害垃圾") < without[0].index("其他垃圾")
    assert "离鼎山公园最近" in without[2] and "停车场" in without[2]
    assert "江津区政府机关停车场" in without[3]


def test_a_location_sent_while_redis_is_down_is_kept_in_the_database(app, private_redis):
    """A location is kept in Redis (one-way, no database work); while Redis is down, in the user's row."""
    faulty = _app_on(app, private_redis)
    chat = WeChatServer(faulty.test_client(), TOKEN)
    private_redis.stop()
    chat.location("o-loc-down", 29.2899, 106.2601, label="区政府门口")
    assert "离您最近的停车场" in chat.say("o-loc-down", "附近哪里能停车")
    assert "区政府门口" in chat.say("o-loc-down", "这里的路灯坏了")  # offered for the report
    private_redis.start()
    time.sleep(OUTAGE_SECONDS)
    chat.location("o-loc-up", 29.2899, 106.2601)
    assert redis.Redis(port=private_redis.port).exists("loc:o-loc-up")


def test_silent_redis_host_costs_a_reply_little(app):
    """A Redis host that accepts connections and never answers (hung, or a half-open link)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        faulty = create_app({**app.config, "REDIS_URL": url})  # the production fail-fast window
        chat = WeChatServer(faulty.test_client(), TOKEN)
        for content, expected in (("鼎山公园附近停车", "离鼎山公园最近"), ("电池是什么垃圾", "有害垃圾"),
                                  ("路灯坏了 晚上黑得很", "位置")):
            started = time.monotonic()
            response = chat.post_xml(message_xml("o-silent", "text", {"Content": content}))
            elapsed = time.monotonic() - started
            print(f"reply with a silent Redis host: {elapsed * 1000:.0f} ms")
            assert response.status_code == 200 and expected in chat.read_reply(response.get_data(as_text=True))["Content"]
            assert elapsed < 2.0  # one socket timeout (1 s) at most, not one per Redis call
