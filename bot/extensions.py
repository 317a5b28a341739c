"""Extension objects, created unbound and initialised in create_app."""

import logging
import time
from datetime import UTC, datetime

import fakeredis
import redis
from flask import current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator, event
from sqlalchemy.orm import DeclarativeBase, registry

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

    def send_only(self, *command):
        """Send one write without waiting for Redis's answer (CLIENT REPLY SKIP before it): no round
        trip, for best-effort writes whose answer nobody reads (a reply kept for WeChat's retries)."""
        def send():
            connection = self.connection_pool.get_connection()
            try:
                connection.send_packed_command(connection.pack_commands([("CLIENT", "REPLY", "SKIP"), command]))
            except BaseException:
                connection.disconnect()
                raise
            finally:
                self.connection_pool.release(connection)
        self.guarded(send)

    def guarded(self, call, *args, **kwargs):
        """Run call, unless Redis failed moments ago; remember when it fails."""
        if time.monotonic() < self._down_until:
            raise redis.ConnectionError("Redis failed moments ago: not waiting for it again yet")
        try:
            return call(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            self._down_until = time.monotonic() + self.outage_seconds
            raise


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


def fail_fast_connections(engine, seconds):
    """Give a (PostgreSQL) engine a DatabaseOutage window; 0 turns it off."""
    if seconds:
        event.listen(engine, "do_connect", DatabaseOutage(seconds).connect)


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
