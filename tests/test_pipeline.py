"""The pipeline around the handlers: retries, concurrency, rate limit, errors, outages."""

import threading
import time

from bot.config import utcnow
from bot.extensions import db
from tests.conftest import TOKEN
from tests.support.wechat_client import WeChatServer, message_xml, text_of


def _counting_handler(app, delay=0.0):
    """Register a command '计数' whose handler counts its runs."""
    runs = []

    def count(message, context):
        runs.append(message.id)
        time.sleep(delay)
        return f"第{len(runs)}次"

    app.extensions["dispatcher"].command("计数")(count)
    return runs


def test_retry_gets_the_first_reply_and_no_second_run(app, wechat):
    runs = _counting_handler(app)
    first = wechat.say("u-retry", "计数", msgid=900001)
    again = wechat.say("u-retry", "计数", msgid=900001)
    assert first == again == "第1次"
    assert runs == [900001]


def test_event_retry_is_deduplicated_by_sender_and_time(app, wechat):
    runs = []
    app.extensions["dispatcher"].menu("COUNT")(lambda m, c: runs.append(1) or "ok")
    created = int(time.time())
    wechat.event("u-evt", "CLICK", EventKey="COUNT", create_time=created)
    wechat.event("u-evt", "CLICK", EventKey="COUNT", create_time=created)
    wechat.event("u-evt", "CLICK", EventKey="COUNT", create_time=created + 1)
    assert len(runs) == 2


def test_two_concurrent_deliveries_do_the_work_once(app):
    runs = _counting_handler(app, delay=0.3)
    xml = message_xml("u-race", "text", {"Content": "计数"}, msgid=900002)
    replies = []

    def deliver():
        server = WeChatServer(app.test_client(), TOKEN)
        response = server.post_xml(xml)
        replies.append((response.status_code, server.read_reply(response.get_data(as_text=True))))

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs == [900002]
    assert [status for status, _ in replies] == [200, 200, 200]
    assert {reply["Content"] for _, reply in replies} == {"第1次"}


def test_a_failing_handler_gets_a_kind_answer_and_a_retry_may_try_again(app, wechat):
    calls = []

    def broken(message, context):
        calls.append(1)
        raise RuntimeError("boom")

    app.extensions["dispatcher"].command("坏了")(broken)
    reply = wechat.say("u-err", "坏了", msgid=900003)
    assert "稍后" in reply
    assert calls == [1]


def test_rate_limit_answers_politely_once_then_drops(make_app, monkeypatch):
    from bot.chat import ratelimit

    monkeypatch.setattr(ratelimit, "clock", lambda: 1_800_000_030.0)  # all inside one minute window
    app = make_app(RATE_LIMIT_PER_MINUTE=3)
    server = WeChatServer(app.test_client(), TOKEN)
    replies = [server.text("u-fast", "帮助") for _ in range(5)]
    assert all("垃圾分类" in r["Content"] for r in replies[:3])
    assert "太快" in replies[3]["Content"]
    assert replies[4] == {}
    assert "垃圾分类" in server.say("u-calm", "帮助")


def test_redis_down_degrades_but_answers(app):
    from bot import create_app

    app = create_app({**app.config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    server = WeChatServer(app.test_client(), TOKEN)
    assert "垃圾分类" in server.say("u-noredis", "帮助")
    assert app.test_client().get("/healthz").get_json()["redis"]["state"].startswith("error")


def test_database_down_answers_kindly_without_500(redis_url):
    broken = _app_with_dead_database(redis_url)
    server = WeChatServer(broken.test_client(), TOKEN)
    response = server.post_xml(message_xml("u-nodb", "text", {"Content": "我的反映"}))
    assert response.status_code == 200
    assert "维护" in server.read_reply(response.get_data(as_text=True))["Content"]
    assert "垃圾分类" in server.say("u-nodb", "帮助")  # what needs no database still works
    assert broken.test_client().get("/healthz").status_code == 503


def _app_with_dead_database(redis_url):
    from bot import create_app

    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        "REDIS_URL": redis_url, "WECHAT_TOKEN": TOKEN, "SECRET_KEY": "t",
    })


def test_message_log_keeps_type_and_latency_but_no_words(app, wechat):
    from bot.models import MessageLog

    wechat.say("u-log", "帮助", msgid=900004)
    with app.app_context():
        row = MessageLog.query.filter_by(msgid="900004").one()
        assert row.msg_type == "text" and row.latency_ms >= 0
        assert "u-log" not in row.openid_hash
        assert abs((row.created_at - utcnow()).total_seconds()) < 60  # stored as UTC on both backends


def test_message_log_batches_are_written_whole(make_app):
    from bot.models import MessageLog

    app = make_app(MESSAGE_LOG_BATCH=5)
    chat = WeChatServer(app.test_client(), TOKEN)
    for i in range(12):
        chat.say(f"u-batch-{i}", "帮助", msgid=910000 + i)
    with app.app_context():
        assert MessageLog.query.count() == 10  # two full batches; two rows wait for the next one
        app.extensions["pipeline"].log.flush(db.session)
        assert sorted(int(r.msgid) for r in MessageLog.query) == list(range(910000, 910012))


def test_first_messages_of_one_resident_racing_make_one_user_row(app):
    """Two first messages at once (a subscribe and a question, each on its own worker thread) both get
    the one row; the loser of the INSERT reads the winner's."""
    from bot.models import User

    app.extensions["dispatcher"].command("我是谁")(lambda message, context: f"用户{context.user.id}")
    barrier, replies = threading.Barrier(4), []

    def first_message(n):
        server = WeChatServer(app.test_client(), TOKEN)
        barrier.wait()
        replies.append(server.say("u-new", "我是谁", msgid=910000 + n))

    threads = [threading.Thread(target=first_message, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        rows = User.query.filter_by(openid="u-new").all()
    assert len(rows) == 1 and replies == [f"用户{rows[0].id}"] * 4
    assert rows[0].role == "resident" and rows[0].created_at is not None and rows[0].subscribed


def test_a_message_writes_its_conversation_once_when_its_handler_is_done(app, wechat, monkeypatch):
    import json

    import bot.chat.state as state_module

    writes = []
    real = state_module.round_trip
    monkeypatch.setattr(state_module, "round_trip", lambda client, commands: writes.append(commands) or real(client, commands))

    def two_steps(message, context):
        context.state.start("demo", ttl=100, a=1)
        context.state.update(b=2)  # a report's start is a start and an update, like this
        return "好"

    app.extensions["dispatcher"].command("两步")(two_steps)
    assert wechat.say("u-steps", "两步") == "好"
    assert [c[0][:2] for c in writes] == [("SET", "state:u-steps")]
    stored = app.extensions["redis"].get("state:u-steps")
    assert json.loads(stored) == {"name": "demo", "data": {"a": 1, "b": 2}}
    assert 0 < app.extensions["redis"].ttl("state:u-steps") <= app.config["STATE_TTL_SECONDS"]  # the last change's ttl


def test_a_failed_handler_leaves_the_conversation_as_it_was(app, wechat):
    def half_done(message, context):
        context.state.update(step="half")
        raise RuntimeError("the handler broke after changing the conversation")

    app.extensions["dispatcher"].command("开始")(lambda m, c: c.state.start("demo", step="start") or "开始了")
    app.extensions["dispatcher"].command("坏了")(half_done)
    wechat.say("u-broken", "开始")
    assert "小差" in wechat.say("u-broken", "坏了")  # "send it again": the conversation is where it was
    assert b'"step": "start"' in app.extensions["redis"].get("state:u-broken")


def test_a_follow_makes_the_row_and_a_follow_after_leaving_marks_it_subscribed_again(app, wechat):
    from bot.models import User

    assert "您好" in text_of(wechat.event("u-follow", "subscribe"))
    with app.app_context():
        row = User.query.filter_by(openid="u-follow").one()
        assert row.subscribed and row.role == "resident" and row.created_at is not None
        row.role = "supervisor"  # what the row holds is kept by a later follow
        db.session.commit()
    wechat.event("u-follow", "unsubscribe")
    with app.app_context():
        assert not User.query.filter_by(openid="u-follow").one().subscribed
    assert "您好" in text_of(wechat.event("u-follow", "subscribe", create_time=int(time.time()) + 1))
    with app.app_context():
        rows = User.query.filter_by(openid="u-follow").all()
        assert [(r.subscribed, r.role) for r in rows] == [(True, "supervisor")]


def test_a_follow_racing_a_first_message_makes_one_row(app):
    from bot.models import User

    app.extensions["dispatcher"].command("我是谁")(lambda message, context: f"用户{context.user.id}")
    barrier, replies = threading.Barrier(4), []

    def first(n):
        server = WeChatServer(app.test_client(), TOKEN)
        barrier.wait()
        if n % 2:
            replies.append(server.say("u-race-follow", "我是谁", msgid=920000 + n))
        else:
            replies.append(text_of(server.event("u-race-follow", "subscribe", create_time=int(time.time()) + n)))

    threads = [threading.Thread(target=first, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        rows = User.query.filter_by(openid="u-race-follow").all()
    assert len(rows) == 1 and rows[0].subscribed
    assert replies.count(f"用户{rows[0].id}") == 2 and sum("您好" in reply for reply in replies) == 2
