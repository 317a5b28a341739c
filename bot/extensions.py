"""Extension objects, created unbound and initialised in create_app."""

import logging
import os
import select
import threading
import time
from datetime import UTC, datetime

import fakeredis
import redis
from flask import current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.orm import DeclarativeBase, registry, scoped_session

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Stores UTC without a zone (same on SQLite and PostgreSQL); always returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    """Declarative base whose constraints have names Alembic can find."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class FailFastRedis(redis.Redis):
    """A Redis client that, for a few seconds after a connection failure or timeout, fails at once.

    Every feature already degrades on RedisError; without this, a Redis that hangs (or a
    half-open link) would cost each of a message's Redis calls the full socket timeout, and
    a few of those add up past WeChat's 5 seconds.
    """

    outage_seconds = 3.0
    _down_until = 0.0

    def execute_command(self, *args, **options):
        return self.guarded(super().execute_command, *args, **options)

    def pipeline(self, transaction=True, shard_hint=None):
        return FailFastPipeline(self, transaction, shard_hint)

    def round_trip(self, *commands):
        """Send several commands in one write and read their raw replies: the message path's one
        Redis round trip, without redis-py's pipeline machinery (command stack, response callbacks,
        retries, the pool's locks and readiness poll, observability hooks: most of the CPU a small
        pipeline costs). A GET is bytes or None, a SET … NX is b"OK" or None, an INCR an int. An
        error reply raises ResponseError."""
        data = pack(commands)
        return self.guarded(self._on_own_connection, lambda connection: [
            connection.read_response() for _ in commands], data)

    def send_only(self, *command):
        """Send one write without waiting for Redis's answer (CLIENT REPLY SKIP before it): no round
        trip, for best-effort writes whose answer nobody reads (a reply kept for WeChat's retries)."""
        self.guarded(self._on_own_connection, None, SKIP_REPLY + pack((command,)))

    def _on_own_connection(self, read, data):
        """Write data on this thread's own connection, then read (a connection per worker thread,
        made by the pool's factory with its settings; health-checked after 30 s idle)."""
        own = self.__dict__.get("_own")
        if own is None:
            own = self.__dict__.setdefault("_own", threading.local())
        connection = getattr(own, "connection", None)
        if connection is None or connection.pid != os.getpid():  # none yet, or inherited across a fork
            connection = own.connection = self.connection_pool.make_connection()
        elif _closed_by_server(connection):  # Redis restarted since: reconnect instead of failing
            connection.disconnect()
        try:
            connection.send_packed_command([data])
            return read(connection) if read else None
        except BaseException:
            connection.disconnect()  # replies may be left unread: start clean next time
            raise

    def guarded(self, call, *args, **kwargs):
        """Run call, unless Redis failed moments ago; remember when it fails."""
        if time.monotonic() < self._down_until:
            raise redis.ConnectionError("Redis failed moments ago: not waiting for it again yet")
        try:
            return call(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            self._down_until = time.monotonic() + self.outage_seconds
            raise


def _closed_by_server(connection):
    """True when the idle connection has something to read: the server's close (a restart), never a
    reply, since every reply was read. One poll with no wait, what the pool checks on every loan."""
    sock = connection._sock
    if sock is None:
        return False
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def read_engine(engine, config, outage=None):
    """An engine of autocommit connections to the same PostgreSQL for the message path's read-only
    queries (read_rows) and single-statement upserts (write_one): one round trip per statement, no
    BEGIN before it nor ROLLBACK or COMMIT after it."""
    options = {**config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "pool_size": 4, "max_overflow": 12}
    reads = create_engine(engine.url, isolation_level="AUTOCOMMIT", **options)
    fail_fast_connections(reads, config["DATABASE_OUTAGE_SECONDS"], outage)  # one memory of a failure
    return reads


def read_rows(session, statement, **params):
    """The rows of a read-only query: on the read engine when there is one and the session has no
    transaction of its own going (whose writes the query must see), else on the session."""
    if isinstance(session, scoped_session):
        session = session()
    reads = current_app.extensions.get("read_engine")
    if reads is None or session.in_transaction():
        return session.execute(statement, params).all()
    with reads.connect() as connection:
        return connection.execute(statement, params).all()


def write_one(session, statement, **params):
    """Run one write statement as a transaction of its own (an upsert that needs nothing read
    before it): on the read engine's autocommit connections when there is one and the session has
    no transaction going (one round trip: no BEGIN before it, no COMMIT after it), else on the
    session, committed. The number of rows it wrote."""
    if isinstance(session, scoped_session):
        session = session()
    engine = current_app.extensions.get("read_engine")
    if engine is None or session.in_transaction():
        written = session.execute(statement, params).rowcount
        session.commit()
        return written
    with engine.connect() as connection:
        return connection.execute(statement, params).rowcount


def one_way(client, *command):
    """Send a write nobody reads the answer of: FailFastRedis.send_only, or a plain command on
    clients without it (the embedded Redis of `make run`)."""
    if hasattr(client, "send_only"):
        client.send_only(*command)
    else:
        client.execute_command(*command)


def round_trip(client, commands):
    """The raw replies of commands sent together: FailFastRedis.round_trip, or a plain pipeline on
    clients without it (the embedded Redis of `make run`)."""
    if hasattr(client, "round_trip"):
        return client.round_trip(*commands)
    pipe = client.pipeline(transaction=False)
    for command in commands:
        pipe.execute_command(*command)
    return pipe.execute()


def pack(commands):
    """RESP for a few commands of str, bytes and int arguments (what redis-py's packer does, at a
    fraction of its cost for the short commands of the message path)."""
    out = []
    for command in commands:
        out.append(b"*%d\r\n" % len(command))
        for arg in command:
            if not isinstance(arg, bytes):
                arg = str(arg).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(out)


SKIP_REPLY = pack((("CLIENT", "REPLY", "SKIP"),))


class FailFastPipeline(redis.client.Pipeline):
    """A pipeline of a FailFastRedis client, sharing its memory of the last failure."""

    def __init__(self, client, transaction, shard_hint):
        super().__init__(client.connection_pool, client.response_callbacks, transaction, shard_hint)
        self._client = client

    def execute(self, raise_on_error=True):
        return self._client.guarded(super().execute, raise_on_error)


class DatabaseOutage:
    """After a failed connection attempt, new connections fail at once for a few seconds.

    A database host that does not answer then costs a message the connect timeout once, not
    once per query (state fallback, handler, message log) and never several times in a row.
    """

    def __init__(self, seconds):
        self.seconds, self.until = seconds, 0.0

    def connect(self, dialect, conn_rec, cargs, cparams):
        """The engine's do_connect hook: connect, unless the last attempt failed moments ago."""
        if time.monotonic() < self.until:
            raise dialect.loaded_dbapi.OperationalError("the database failed moments ago: not trying again yet")
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.Error:
            self.until = time.monotonic() + self.seconds
            raise


def fail_fast_connections(engine, seconds, outage=None):
    """Give a (PostgreSQL) engine a DatabaseOutage window (or share another engine's); 0 turns it off."""
    if seconds:
        outage = outage or DatabaseOutage(seconds)
        event.listen(engine, "do_connect", outage.connect)
    return outage


class RedisExtension:
    """Keeps one Redis client per app in app.extensions (fakeredis when no URL is set)."""

    def init_app(self, app):
        url = app.config.get("REDIS_URL")
        if url:
            client = FailFastRedis.from_url(
                url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
            )
            client.outage_seconds = app.config["REDIS_OUTAGE_SECONDS"]
            app.logger.debug("Redis: %s", _redact(url))
        else:
            client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
        app.extensions["redis"] = client

    @property
    def client(self):
        """The current app's Redis client."""
        return current_app.extensions["redis"]


def _redact(url):
    head, sep, tail = url.rpartition("@")
    return f"redis://***@{tail}" if sep else url


db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})  # no reload after each commit
migrate = Migrate()
redis_ext = RedisExtension()
