"""Fixtures: a fresh app per test on SQLite and PostgreSQL, a real Redis, a WeChat stand-in.

Set TEST_DATABASE_URL / TEST_REDIS_URL to use other servers. With CI=true a service that is
not reachable fails the run instead of skipping the tests that need it.
"""

import os

import pytest
import redis
from sqlalchemy import create_engine, text

from bot import create_app
from bot.extensions import db
from tests.support.wechat_client import WeChatServer

CI = os.environ.get("CI") == "true"
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/jinguanjia_test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKENDS = os.environ.get("TEST_BACKENDS", "sqlite,postgres").split(",")
TOKEN, APPID = "testtoken", "wx1234567890abcdef"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

# Reference tables (models declare __table_args__ = {"info": {"reference": True}}) are filled
# once per session by the seeders and kept between tests.


def _unavailable(what, error):
    message = f"{what} is not reachable: {error}"
    if CI:
        pytest.fail(message + " (CI=true: services are required)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def redis_url():
    """The real Redis (a dedicated database number) the tests use."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        _unavailable("Redis", error)
    return REDIS_URL


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    """URL of a migrated, seeded database per backend (created on first use)."""
    ready = {}

    def get(backend):
        if backend not in ready:
            ready[backend] = _prepare(backend, tmp_path_factory)
        return ready[backend]

    return get


def _prepare(backend, tmp_path_factory):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = PG_URL
        try:
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        except Exception as error:  # any connection failure means "not reachable"
            _unavailable("PostgreSQL", error)
    return migrate_and_seed(url)


def migrate_and_seed(url):
    """Apply every migration and load the reference data into the database at url."""
    app = create_app(_settings(url, REDIS_URL))
    with app.app_context():
        from flask_migrate import upgrade

        from bot.seed import seed_all

        upgrade(revision="heads")
        seed_all()
        db.session.remove()
        db.engine.dispose()
    return url


def _settings(url, redis_url, **overrides):
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "REDIS_URL": redis_url,
        "WECHAT_TOKEN": TOKEN,
        "WECHAT_APPID": APPID,
        "WECHAT_ENCODING_AES_KEY": None,
        "WECHAT_API_BASE_URL": "http://127.0.0.1:9/cgi-bin/",
        "WECHAT_STANDIN": False,  # WeChat's API is refused unless a test brings a stand-in
        "SECRET_KEY": "test-secret",
        "JOBS_ASYNC": False,
        "WECHAT_RETRY_WAIT_SECONDS": 2.0,
        "MESSAGE_LOG_BATCH": 1,
        **overrides,
    }


def _empty_tables():
    """Delete every row a test may have written, keeping the reference tables."""
    tables = [t for t in reversed(db.metadata.sorted_tables) if not t.info.get("reference")]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def make_app(backend, migrated, redis_url):
    """Build a fresh app on this test's backend; extra settings override the defaults."""
    apps = []

    def build(**overrides):
        app = create_app(_settings(migrated(backend), redis_url, **overrides))
        apps.append(app)
        with app.app_context():
            _empty_tables()
            app.extensions["redis"].flushdb()
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
            if "read_engine" in app.extensions:
                app.extensions["read_engine"].dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def wechat(app):
    """WeChat's servers talking to the app in plain mode."""
    return WeChatServer(app.test_client(), TOKEN)


@pytest.fixture
def safe_app(make_app):
    return make_app(WECHAT_ENCODING_AES_KEY=AES_KEY)


@pytest.fixture
def wechat_safe(safe_app):
    """WeChat's servers talking to the app in safe (AES) mode."""
    return WeChatServer(safe_app.test_client(), TOKEN, AES_KEY, APPID)


@pytest.fixture
def api_app(make_app):
    """An app that takes Open311 POSTs with the test key."""
    from tests.support.open311 import KEY

    return make_app(OPEN311_API_KEYS=[KEY])


@pytest.fixture
def api(api_app):
    return api_app.test_client()


@pytest.fixture
def standin():
    """A local stand-in for WeChat's API server."""
    from tests.support.wechat_standin import StandIn

    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def standin_app(make_app, standin):
    """An app whose WeChat API calls go to the stand-in."""
    return make_app(WECHAT_API_BASE_URL=standin.base_url, WECHAT_SECRET="test-app-secret")


@pytest.fixture
def standin_wechat(standin_app):
    """WeChat's servers talking (plain mode) to the app wired to the stand-in."""
    return WeChatServer(standin_app.test_client(), TOKEN)


@pytest.fixture
def runner_for():
    """A CLI runner for a given app (e.g. the stand-in app)."""
    return lambda app: app.test_cli_runner()
