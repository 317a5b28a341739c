"""津管家: the backend of a city-management bureau's WeChat Official Account."""

import logging
from pathlib import Path

import click
from flask import Flask
from flask.logging import default_handler
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from bot import config as settings
from bot import supervisors
from bot.dashboard.sessions import StaffOnlySessions
from bot.extensions import db, fail_fast_connections, migrate, read_engine, redis_ext

log = logging.getLogger(__name__)


def create_app(config=None):
    """Application factory: settings, extensions, blueprints, commands, the message pipeline.

    A setting that is missing or malformed raises ConfigError; under the `flask` command it is one
    line naming the setting (click's "Error: …"), not a traceback."""
    try:
        return _create_app(config)
    except settings.ConfigError as error:
        if click.get_current_context(silent=True) is not None:
            raise click.ClickException(str(error)) from None
        raise


def _create_app(config):
    app = Flask(__name__)
    app.url_map.converters["int"] = RowId
    app.session_interface = StaffOnlySessions()
    app.json.ensure_ascii = False  # Chinese stays readable in JSON (Open311, /healthz)
    app.context_processor(lambda: {"district": app.config["DISTRICT"]})  # pages name the district's account
    configure(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_services(app)
    register_pipeline(app)
    if app.config.get("TRUSTED_PROXIES"):
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


class RowId(IntegerConverter):
    """<int:…> in our URLs names a row: past PostgreSQL's integer it names nothing (404, not a 500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def configure(app, config):
    """Defaults, then the environment, then the caller's mapping (tests); the log; development stand-ins."""
    app.config.update(settings.DEFAULTS)
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    configure_logger(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = app.config["DEV_SECRET_KEY"]
    if not app.config.get("WECHAT_TOKEN"):
        app.config["WECHAT_TOKEN"] = app.config["DEV_WECHAT_TOKEN"]
    if app.config["SIMULATOR"] is None:
        app.config["SIMULATOR"] = not app.config["PRODUCTION"]
    if app.config["WECHAT_STANDIN"] is None:
        app.config["WECHAT_STANDIN"] = not app.config["PRODUCTION"] and not app.config.get("WECHAT_SECRET")
    if app.config["WECHAT_STANDIN"] and app.config["SIMULATOR"]:
        app.config["WECHAT_QR_IMAGE_URL"] = "/simulator/qrcode.svg?ticket="
    if app.config["PRODUCTION"] and not app.config.get("WECHAT_SECRET"):
        log.warning("WECHAT_SECRET is not set: notifications, photo downloads and QR codes will fail")
    for note in settings.development_notes(app.config):  # `make run` prints them; commands stay quiet
        log.debug(note)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(app.config)
    Path(app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)


def configure_logger(app):
    """Plain one-line logs on stderr (gunicorn and systemd collect them); LOG_LEVEL in any case."""
    level = str(app.config["LOG_LEVEL"]).upper()
    if level not in logging.getLevelNamesMapping():
        raise settings.ConfigError(f"LOG_LEVEL={app.config['LOG_LEVEL']!r} is not a level (debug, info, warning, error)")
    if not logging.getLogger().handlers:
        logging.basicConfig(level=level, format=settings.LOG_FORMAT)
    app.logger.removeHandler(default_handler)
    app.logger.setLevel(level)


def register_extensions(app):
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            outage = fail_fast_connections(db.engine, app.config["DATABASE_OUTAGE_SECONDS"])
            app.extensions["read_engine"] = read_engine(db.engine, app.config, outage)
    migrate.init_app(app, db, directory=str(settings.ROOT / "migrations"))
    redis_ext.init_app(app)
    supervisors.init_app(app)


def register_blueprints(app):
    """The machine endpoints (/wechat, /healthz, Open311, the parking operators' API), the dashboard
    and, outside production, the simulator."""
    from bot import health, open311
    from bot.chat import simulator, wechat
    from bot.dashboard import bp as dashboard
    from bot.dashboard import csrf
    from bot.parking import api as parking_api

    machines = [wechat.bp, open311.bp, parking_api.bp] + ([simulator.bp] if app.config["SIMULATOR"] else [])
    for blueprint in [*machines, health.bp, dashboard]:
        app.register_blueprint(blueprint)
    for blueprint in machines:  # signed or keyed, not a browser session: no CSRF token
        csrf.exempt(blueprint)


def register_commands(app):
    from bot.commands import register

    register(app)


def register_services(app):
    """The app's objects with state, handed to handlers through Context: the reader of messages
    (base classifier + this app's staff keywords), the garbage dictionary, the parking search and
    the quiz bank. Built here so that no two apps (tests, workers) ever share one."""
    import nlp
    from bot.garbage import GarbageDictionary
    from bot.parking.search import ParkingSearch
    from bot.quiz import QuizBank, load_bank
    from bot.tickets import sla
    from bot.understanding import Reader

    client = app.extensions["redis"]
    district = app.config["DISTRICT"]
    nlp.use_places(district["places"])  # one profile per process: its 街道/镇 and landmarks
    sla.use_holidays(district.get("holidays.tsv"))
    app.extensions["understanding"] = Reader(client, app.config["STAFF_KEYWORDS_CHECK_SECONDS"],
                                             categories=district["categories"])
    app.extensions["garbage"] = GarbageDictionary(app.config["GARBAGE_CHECK_SECONDS"])
    app.extensions["parking"] = ParkingSearch(client)
    bank = district.get("quiz_bank.tsv")  # a profile may bring its own questions (its category names)
    app.extensions["quiz"] = QuizBank(bank=load_bank(Path(bank)) if bank else None)


def register_pipeline(app):
    """The dispatcher, WeChat protocol, job queue and pipeline this app answers messages with."""
    import handlers
    from bot.chat.dispatch import Dispatcher
    from bot.chat.pipeline import Pipeline
    from bot.chat.wechat import WeChatProtocol
    from bot.outbound.jobs import Jobs

    app.extensions["dispatcher"] = dispatcher = Dispatcher()
    handlers.register(dispatcher)
    app.extensions["wechat"] = WeChatProtocol(
        app.config["WECHAT_TOKEN"], app.config["WECHAT_ENCODING_AES_KEY"],
        app.config["WECHAT_APPID"], app.config["WECHAT_TIMESTAMP_WINDOW"],
    )
    app.extensions["jobs"] = jobs = Jobs(app)
    services = {name: app.extensions[key] for name, key in
                (("reader", "understanding"), ("garbage", "garbage"), ("parking", "parking"), ("quiz", "quiz"))}
    app.extensions["pipeline"] = Pipeline(dispatcher, db.session, app.extensions["redis"], app.config, services,
                                          jobs.enqueue)
    warm_up(app, quiet=True)  # a database not migrated yet (`make run`'s first start) is no news


def warm_up(app, quiet=False):
    """Read the database's staff keywords and dictionary before the first citizen's message."""
    with app.app_context():
        app.extensions["understanding"].refresh(db.session, force=True, quiet=quiet)
        app.extensions["garbage"].refresh_soon()
        app.extensions["garbage"].index(db.session, quiet=quiet)
        db.session.remove()
