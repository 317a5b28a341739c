"""Real services stopped and started again: a private redis-server the test owns."""

import shutil
import socket
import subprocess
import time

import pytest
import redis

from bot import create_app
from tests.conftest import CI, TOKEN
from tests.wechat_client import WeChatServer


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server on its own port, so stopping it cannot disturb other tests."""

    def __init__(self):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=5)


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        if CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    server = PrivateRedis().start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_bot_answers_while_redis_is_down_and_recovers(app, private_redis):
    faulty = create_app({**app.config, "REDIS_URL": private_redis.url})
    chat = WeChatServer(faulty.test_client(), TOKEN)
    assert "垃圾分类" in chat.say("o-fault", "帮助")
    private_redis.stop()
    assert "垃圾分类" in chat.say("o-fault", "帮助")
    assert faulty.test_client().get("/healthz").status_code == 200
    private_redis.start()
    assert "垃圾分类" in chat.say("o-fault", "帮助", msgid=777001)
    assert "垃圾分类" in chat.say("o-fault", "帮助", msgid=777001)  # retry protection is back
    assert redis.Redis(port=private_redis.port).exists("reply:msg:777001")


def test_report_filed_while_redis_is_down_and_finished_after_it_returns(app, private_redis):
    from bot.models import Ticket

    faulty = create_app({**app.config, "REDIS_URL": private_redis.url})
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
