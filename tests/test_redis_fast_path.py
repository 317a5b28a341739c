"""The message path's Redis calls (bot.extensions.FailFastRedis.round_trip / send_only) against the
real Redis: the same bytes redis-py would send, raw replies, errors that leave no stray reply behind,
a connection per thread and per process."""

import os
import threading

import pytest
import redis

from bot.extensions import FailFastRedis, pack, round_trip


@pytest.fixture
def client(redis_url):
    client = FailFastRedis.from_url(redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.mark.parametrize("command", [
    ("SET", "reply:msg:1", b"\x00pending:host:12", "NX", "PX", 5000),
    ("GET", "state:o-中文"),
    ("EXPIRE", "rl:o:1", 61),
    ("GEOSEARCH", "parking:geo", "FROMLONLAT", 106.259, 29.2905, "BYRADIUS", 3000, "m", "ASC", "COUNT", 4),
])
def test_pack_sends_what_redis_py_sends(client, command):
    connection = client.connection_pool.make_connection()
    assert pack([command]) == b"".join(connection.pack_command(*command))


def test_round_trip_returns_each_commands_raw_reply(client):
    replies = client.round_trip(("SET", "k", "v", "NX", "PX", 5000), ("SET", "k", "w", "NX", "PX", 5000),
                                ("INCR", "n"), ("GET", "k"), ("GET", "missing"))
    assert replies == [b"OK", None, 1, b"v", None]


def test_an_error_reply_raises_and_leaves_nothing_unread(client):
    client.set("text", "not a number")
    with pytest.raises(redis.ResponseError):
        client.round_trip(("INCR", "text"), ("GET", "text"))
    assert client.round_trip(("GET", "text"), ("INCR", "n")) == [b"not a number", 1]  # no stray reply


def test_a_one_way_write_lands_and_its_reply_is_not_read_by_the_next_call(client):
    client.send_only("SET", "reply:msg:2", "<xml>答复</xml>", "EX", 600)
    assert client.round_trip(("GET", "reply:msg:2"), ("TTL", "reply:msg:2")) == ["<xml>答复</xml>".encode(), 600]


def test_threads_each_get_their_own_replies(client):
    wrong = []

    def work(n):
        for i in range(300):
            key = f"t{n}:{i}"
            replies = client.round_trip(("SET", key, key), ("GET", key), ("INCR", f"c{n}"))
            if replies != [b"OK", key.encode(), i + 1]:
                wrong.append((key, replies))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_worker_opens_its_own_connection(client):
    assert client.round_trip(("SET", "before", "1")) == [b"OK"]  # the parent's thread has a connection
    pid = os.fork()
    if pid == 0:  # the child (a gunicorn worker after the preloaded master)
        try:
            ok = client.round_trip(("INCR", "child"), ("GET", "before")) == [1, b"1"]
        except Exception:  # noqa: BLE001
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.round_trip(("GET", "child"), ("GET", "before")) == [b"1", b"1"]  # the parent's still works


def test_a_redis_restart_costs_no_message(tmp_path):
    """A connection idle across a restart of Redis is replaced before use, not failed on."""
    import shutil

    from tests.support.private_services import PrivateRedis

    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis().start()
    try:
        client = FailFastRedis.from_url(server.url, socket_timeout=1.0, socket_connect_timeout=1.0)
        assert client.round_trip(("SET", "k", "1")) == [b"OK"]
        server.stop()
        server.start()  # the same port, nothing kept
        assert client.round_trip(("GET", "k"), ("SET", "k", "2")) == [None, b"OK"]
        client.send_only("SET", "k", "3")
        assert client.round_trip(("GET", "k")) == [b"3"]
    finally:
        server.close()


def test_redis_gone_fails_fast_then_recovers(redis_url):
    gone = FailFastRedis.from_url("redis://127.0.0.1:1/0", socket_timeout=1.0, socket_connect_timeout=1.0)
    with pytest.raises(redis.ConnectionError):
        gone.round_trip(("GET", "x"))
    with pytest.raises(redis.ConnectionError, match="moments ago"):
        gone.send_only("SET", "x", "1")


def test_clients_without_round_trip_get_a_pipeline():
    import fakeredis

    embedded = fakeredis.FakeRedis(server=fakeredis.FakeServer())
    assert round_trip(embedded, [("SET", "k", "v", "NX"), ("INCR", "n"), ("GET", "k")]) == [True, 1, b"v"]
