"""PostgreSQL stopped and started again under a running app: a private cluster the tests own."""

import socket
import time

import pytest

from bot import create_app
from bot.extensions import db
from tests.conftest import CI, TOKEN, _empty_tables, _settings, migrate_and_seed
from tests.support.private_services import PrivatePostgres, postgres_bin
from tests.support.wechat_client import WeChatServer, message_xml, text_of

WECHAT_LIMIT_SECONDS = 5.0


@pytest.fixture(scope="module")
def private_postgres():
    """One migrated, seeded cluster for this module; each test finds it running."""
    bindir = postgres_bin()
    if bindir is None:
        if CI:
            pytest.fail("PostgreSQL's server binaries are not installed")
        pytest.skip("PostgreSQL's server binaries are not installed")
    server = PrivatePostgres(bindir).start()
    migrate_and_seed(server.url)
    yield server
    server.close()


@pytest.fixture
def pg_app(private_postgres, redis_url):
    """An app on the private cluster (emptied of the last test's rows) and the shared test Redis."""
    if not private_postgres.running():
        private_postgres.start()
    app = create_app(_settings(private_postgres.url, redis_url, MESSAGE_LOG_RETRY_SECONDS=0,
                               DATABASE_OUTAGE_SECONDS=0))  # the fail-fast window has a test of its own
    with app.app_context():
        _empty_tables()
        app.extensions["redis"].flushdb()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        app.extensions["read_engine"].dispose()


@pytest.fixture
def chat(pg_app):
    return WeChatServer(pg_app.test_client(), TOKEN)


def timed_reply(chat, openid, content):
    """(reply text, seconds) of one text message through /wechat."""
    started = time.monotonic()
    response = chat.post_xml(message_xml(openid, "text", {"Content": content}))
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    return chat.read_reply(response.get_data(as_text=True))["Content"], elapsed


def test_database_stopped_gets_a_kind_reply_inside_five_seconds(pg_app, chat, private_postgres):
    assert "垃圾分类" in chat.say("o-db", "帮助")  # the pool holds a live connection now
    private_postgres.stop()
    reply, elapsed = timed_reply(chat, "o-db", "我的反映")
    print(f"reply with the database stopped: {elapsed * 1000:.0f} ms")
    assert "维护" in reply and elapsed < WECHAT_LIMIT_SECONDS
    reply, elapsed = timed_reply(chat, "o-db", "电池是什么垃圾")
    assert reply.index("有害垃圾") < reply.index("其他垃圾") and elapsed < WECHAT_LIMIT_SECONDS
    assert "垃圾分类" in chat.say("o-db", "帮助")
    assert "您好" in text_of(chat.event("o-db-new", "subscribe"))  # a follow is welcomed all the same


def test_healthz_names_the_database_down_without_a_500(pg_app, private_postgres):
    client = pg_app.test_client()
    assert client.get("/healthz").status_code == 200
    private_postgres.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503 and time.monotonic() - started < WECHAT_LIMIT_SECONDS
    body = response.get_json()
    assert body["status"] == "unavailable" and body["database"]["state"].startswith("error")
    assert body["redis"]["state"] == "ok"
    private_postgres.start()
    assert client.get("/healthz").status_code == 200


def test_healthz_after_a_quiet_restart_is_200(pg_app, private_postgres):
    client = pg_app.test_client()
    assert client.get("/healthz").status_code == 200  # a connection now waits in the pool
    private_postgres.stop()
    private_postgres.start()
    assert client.get("/healthz").status_code == 200  # that dead connection is no outage


def test_silent_database_host_costs_at_most_the_connect_timeout(redis_url):
    """A host that accepts the connection and never answers (a hung server, a half-open link)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/none"
        app = create_app(_settings(url, redis_url, DATABASE_OUTAGE_SECONDS=1.0))
        chat = WeChatServer(app.test_client(), TOKEN)
        time.sleep(1.0)  # the warm-up at start found the host silent: let that window pass
        reply, elapsed = timed_reply(chat, "o-silent", "我的反映")
        print(f"reply with a silent database host: {elapsed * 1000:.0f} ms")
        assert "维护" in reply and elapsed < WECHAT_LIMIT_SECONDS
        reply, elapsed = timed_reply(chat, "o-silent", "我的反映")
        assert "维护" in reply and elapsed < 1.0  # no second wait: the engine fails fast for a moment


def test_app_uses_the_database_again_once_the_fail_fast_window_is_over(pg_app, private_postgres, redis_url):
    app = create_app(_settings(private_postgres.url, redis_url, DATABASE_OUTAGE_SECONDS=1.0))
    chat = WeChatServer(app.test_client(), TOKEN)
    private_postgres.stop()
    assert "维护" in chat.say("o-window", "我的反映")
    private_postgres.start()
    time.sleep(1.0)
    assert "维护" not in chat.say("o-window", "我的反映")
    with app.app_context():
        db.engine.dispose()
        app.extensions["read_engine"].dispose()


def test_same_app_files_a_report_after_the_database_restarts(pg_app, chat, private_postgres):
    from bot.models import MessageLog, Ticket

    for _ in range(3):  # several pooled connections, all of them dead after the restart
        assert "垃圾分类" in chat.say("o-back", "帮助")
    assert "有害垃圾" in chat.say("o-back", "电池是什么垃圾")
    private_postgres.stop()
    assert "维护" in chat.say("o-back", "我的反映", msgid=881001)
    private_postgres.start()
    assert "暂无" in chat.say("o-back", "我的反映") or "还没有" in chat.say("o-back", "我的反映")
    assert "位置" in chat.say("o-back", "路灯坏了 晚上黑得很")
    chat.location("o-back", 29.29, 106.25)
    chat.say("o-back", "跳过")
    chat.say("o-back", "跳过")
    assert "路灯管理所" in chat.say("o-back", "确认")
    with pg_app.app_context():
        assert db.session.query(Ticket).count() == 1
        assert db.session.query(MessageLog).filter_by(msgid="881001").count() == 1  # logged after all


def test_a_pooled_connection_killed_by_a_restart_costs_no_reply(pg_app, chat, private_postgres):
    assert "垃圾分类" in chat.say("o-stale", "帮助")  # a connection now waits in the pool
    private_postgres.stop()
    private_postgres.start()  # nobody wrote while it was down: the pool has not noticed
    assert "维护" not in chat.say("o-stale", "我的反映")


def test_report_confirmed_during_the_outage_is_kept_and_filed_once(pg_app, chat, private_postgres):
    from bot.models import Ticket

    assert "位置" in chat.say("o-draft", "滨江路井盖不见了")
    chat.location("o-draft", 29.29, 106.25)
    chat.say("o-draft", "跳过")
    assert "确认" in chat.say("o-draft", "跳过")
    private_postgres.stop()
    reply, elapsed = timed_reply(chat, "o-draft", "确认")
    assert "再发" in reply and "保留" in reply and elapsed < WECHAT_LIMIT_SECONDS
    private_postgres.start()
    filed = chat.say("o-draft", "确认")
    assert "市政设施管理所" in filed and "JJ" in filed
    chat.say("o-draft", "确认")  # a second 确认 after the ticket is filed files nothing
    with pg_app.app_context():
        assert db.session.query(Ticket).count() == 1


def test_a_connection_lost_inside_copy_keeps_the_log_rows(pg_app, chat, monkeypatch):
    """COPY talks to psycopg directly, so its errors arrive unwrapped by SQLAlchemy."""
    import psycopg

    from bot.chat import message_log
    from bot.models import MessageLog

    def lost(session, batch):
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(message_log, "_copy", lost)
        assert "垃圾分类" in chat.say("o-copy", "帮助", msgid=882001)  # no 500
    assert "垃圾分类" in chat.say("o-copy", "帮助", msgid=882002)
    with pg_app.app_context():
        assert {r.msgid for r in db.session.query(MessageLog)} == {"882001", "882002"}


def test_a_table_locked_by_someone_else_costs_a_kind_reply_not_wechats_timeout(pg_app, private_postgres):
    """A lock wait (a long migration, a stuck transaction) ends at the statement timeout."""
    import psycopg

    app = create_app({**pg_app.config, "DATABASE_STATEMENT_TIMEOUT_MS": 500,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800}})
    chat = WeChatServer(app.test_client(), TOKEN)
    assert "垃圾分类" in chat.say("u-locked", "帮助")
    with psycopg.connect(private_postgres.url.replace("postgresql+psycopg", "postgresql")) as other:
        other.execute("SET idle_in_transaction_session_timeout = 4000")  # without the fix: a slow pass, not a hang
        other.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        reply = chat.say("u-locked", "我的反映")
        elapsed = time.monotonic() - started
    assert "维护" in reply and elapsed < 3.0
    assert "您还没有反映过问题" in chat.say("u-locked", "我的反映")  # the lock gone, the same app answers
