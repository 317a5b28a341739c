"""Extension objects, created unbound and initialised in create_app."""

import logging
from datetime import UTC, datetime

import fakeredis
import redis
from flask import current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, TypeDecorator
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


class RedisExtension:
    """Keeps one Redis client per app in app.extensions (fakeredis when no URL is set)."""

    def init_app(self, app):
        url = app.config.get("REDIS_URL")
        if url:
            client = redis.Redis.from_url(
                url, socket_timeout=1.0, socket_connect_timeout=1.0, health_check_interval=30
            )
            app.logger.info("Redis: %s", _redact(url))
        else:
            client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
            app.logger.warning("REDIS_URL is not set: using an in-process Redis emulation (fakeredis)")
        app.extensions["redis"] = client

    @property
    def client(self):
        """The current app's Redis client."""
        return current_app.extensions["redis"]


def _redact(url):
    head, sep, tail = url.rpartition("@")
    return f"redis://***@{tail}" if sep else url


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
redis_ext = RedisExtension()
