"""Settings, read from the environment in one place; every default; the one time zone and clock."""

import os
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

ROOT = Path(__file__).resolve().parent.parent
WECHAT_API_DEFAULT = "https://api.weixin.qq.com/cgi-bin/"
TZ = ZoneInfo("Asia/Shanghai")  # Beijing time: what residents, staff and the SLA clock all mean by "now"


def wall_clock():
    """The real time, aware, in Beijing time (the default CLOCK)."""
    return datetime.now(TZ)


def now():
    """The one clock: the app's CLOCK (tests move it), else the wall clock; aware, Beijing time."""
    if has_app_context():
        return current_app.config["CLOCK"]()
    return wall_clock()


def utcnow():
    """The same clock in UTC, as the database stores times."""
    return now().astimezone(UTC)


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def _env(name, default=None):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _split_keys(raw):
    return [key.strip() for key in (raw or "").split(",") if key.strip()]


def from_environment():
    """Build the settings mapping from environment variables."""
    production = _env("APP_ENV", "development") == "production"
    instance = Path(_env("INSTANCE_DIR", str(ROOT / "instance")))
    settings = {
        "PRODUCTION": production,
        "DISTRICT": district(Path(_env("DISTRICT_DIR", str(ROOT / "data" / "districts" / "jiangjin")))),
        "SECRET_KEY": _env("SECRET_KEY"),
        "WECHAT_TOKEN": _env("WECHAT_TOKEN"),
        "WECHAT_APPID": _env("WECHAT_APPID", ""),
        "WECHAT_ENCODING_AES_KEY": _env("WECHAT_ENCODING_AES_KEY"),
        "WECHAT_SECRET": _env("WECHAT_SECRET", ""),
        "WECHAT_API_BASE_URL": _env("WECHAT_API_BASE_URL", WECHAT_API_DEFAULT),
        "SQLALCHEMY_DATABASE_URI": _database_url(_env("DATABASE_URL"), instance),
        "REDIS_URL": _env("REDIS_URL"),
        "OPEN311_API_KEYS": _split_keys(_env("OPEN311_API_KEYS")),
        "MEDIA_DIR": _env("MEDIA_DIR", str(instance / "media")),
        "INSTANCE_DIR": str(instance),
    }
    if _env("LOG_LEVEL"):
        settings["LOG_LEVEL"] = _env("LOG_LEVEL")
    if _env("RATE_LIMIT_PER_MINUTE"):
        settings["RATE_LIMIT_PER_MINUTE"] = int(_env("RATE_LIMIT_PER_MINUTE"))
    if _env("PARKING_LIVE_MAX_AGE_MINUTES"):  # operators' free-space counts older than this aren't "live"
        settings["PARKING_LIVE_MAX_AGE_MINUTES"] = int(_env("PARKING_LIVE_MAX_AGE_MINUTES"))
    if _env("DATABASE_STATEMENT_TIMEOUT_MS"):
        settings["DATABASE_STATEMENT_TIMEOUT_MS"] = int(_env("DATABASE_STATEMENT_TIMEOUT_MS"))
    if _env("TRUSTED_PROXIES"):  # reverse proxies in front (nginx: 1): client address and scheme from X-Forwarded-*
        settings["TRUSTED_PROXIES"] = int(_env("TRUSTED_PROXIES"))
    if _env("WECHAT_TEMPLATE_TICKET"):
        settings["WECHAT_TEMPLATE_TICKET"] = _env("WECHAT_TEMPLATE_TICKET")
    if production:
        missing = [k for k in ("SECRET_KEY", "WECHAT_TOKEN", "DATABASE_URL", "REDIS_URL") if not _env(k)]
        if missing:
            raise ConfigError("production needs these settings: " + ", ".join(missing))
    return settings


OPTIONAL_FILES = ("parking_sample.csv", "quiz_bank.tsv", "schools.tsv", "holidays.tsv")


def district(directory):
    """The district profile (../shared/DESIGN.md "District profiles") as a mapping: district.toml's
    keys (name, city, bureau, account, hotline, bounds, garbage …), its categories and departments
    (categories.tsv), the places file and the optional files present; refused whole if malformed."""
    from nlp import places, tables

    directory = Path(directory)
    path = directory / "district.toml"
    try:
        with open(path, "rb") as handle:
            profile = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"DISTRICT_DIR: cannot read {path}: {error}") from error
    missing = [k for k in ("name", "city", "bureau", "account", "hotline", "bounds") if k not in profile]
    if missing:
        raise ConfigError(f"{path} needs: " + ", ".join(missing))
    bounds = profile["bounds"]
    if not (isinstance(bounds, list) and len(bounds) == 4 and all(isinstance(v, int | float) for v in bounds)
            and bounds[0] < bounds[2] and bounds[1] < bounds[3]):
        raise ConfigError(f"{path}: bounds must be [south, west, north, east] in degrees (GCJ-02)")
    garbage = profile.get("garbage", {})
    names, bins = garbage.get("categories", STANDARD_GARBAGE), garbage.get("bins", STANDARD_BINS)
    if len(names) != 4 or len(bins) != 4:
        raise ConfigError(f"{path}: [garbage] needs four categories and four bins (recyclable, hazardous, "
                          "kitchen, residual)")
    try:
        categories = tables.categories(directory / "categories.tsv")
    except (OSError, tables.TableError) as error:
        raise ConfigError(f"DISTRICT_DIR: {directory / 'categories.tsv'}: {error}") from error
    too_long = [c.code for c in categories.values() if len(c.code) > 32 or len(c.name) > 64 or len(c.department) > 64]
    if too_long:
        raise ConfigError(f"DISTRICT_DIR: categories.tsv: code over 32 or name/department over 64 characters: {too_long}")
    try:
        gazetteer = places.gazetteer(directory / "places.tsv")
    except (OSError, ValueError) as error:
        raise ConfigError(f"DISTRICT_DIR: {directory / 'places.tsv'}: {error}") from error
    towns = gazetteer.towns()
    landmarks = [p for p in dict.fromkeys(gazetteer.places.values()) if p.kind == "landmark"]
    if not towns:
        raise ConfigError(f"DISTRICT_DIR: {directory / 'places.tsv'} lists no 街道/镇 (kind town)")
    town, landmark = towns[0].name, (landmarks[0].name if landmarks else towns[-1].name)
    return {
        **profile, "dir": str(directory), "short_name": short_name(profile["name"]),
        # Words the chat's texts use, so that they read right in any district:
        "gov_clause": f"，或在「{profile['gov_app']}」上办理" if profile.get("gov_app") else "",
        "example_address": profile.get("example_address") or f"{town}人民路88号门口",
        "example_town": town, "example_landmark": landmark,
        "garbage": {"categories": list(names), "bins": list(bins)},
        "categories": categories, "departments": list(dict.fromkeys(c.department for c in categories.values())),
        "places": str(directory / "places.tsv"),
        **{name: str(directory / name) if (directory / name).is_file() else None for name in OPTIONAL_FILES},
    }


# GB/T 19095-2019's names, as the dictionary and our texts say them, and the usual bins; a profile's
# [garbage] table may name them otherwise (上海: 湿垃圾/干垃圾), bot.garbage.local_names says so.
STANDARD_GARBAGE = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
STANDARD_BINS = ("蓝色桶", "红色桶", "绿色桶", "灰色桶")


def short_name(name):
    """江津区 -> 江津, 黄浦区 -> 黄浦: how residents name their district in a sentence."""
    return name[:-1] if len(name) > 2 and name[-1] in "区县市旗" else name


def development_notes(config):
    """What runs on a stand-in because a setting is missing (`make run` prints these)."""
    notes = []
    if config["SECRET_KEY"] == config["DEV_SECRET_KEY"]:
        notes.append("SECRET_KEY is not set: using a development key")
    if config["WECHAT_TOKEN"] == config["DEV_WECHAT_TOKEN"]:
        notes.append(f"WECHAT_TOKEN is not set: using {config['WECHAT_TOKEN']!r}")
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        notes.append(f"DATABASE_URL is not set: using SQLite at {config['SQLALCHEMY_DATABASE_URI']}")
    if not config.get("REDIS_URL"):
        notes.append("REDIS_URL is not set: using an in-process Redis emulation (fakeredis)")
    if config.get("WECHAT_STANDIN"):
        notes.append("WECHAT_SECRET is not set: WeChat API calls go to the built-in stand-in "
                     "(pushes show in the simulator and at /simulator/outbox.json)")
    return notes


def _database_url(url, instance):
    if not url:
        return f"sqlite:///{instance / 'jinguanjia.db'}"
    # Heroku-style URLs and bare postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def engine_options(config):
    """The engine options with a short connect timeout on PostgreSQL.

    A database that is down must cost a reply well under WeChat's 5 seconds, not libpq's
    default of waiting forever for a host that does not answer.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", config["DATABASE_CONNECT_TIMEOUT"])
        if config.get("DATABASE_STATEMENT_TIMEOUT_MS"):  # a lock wait or runaway query gives up in time
            connect_args.setdefault("options", f"-c statement_timeout={int(config['DATABASE_STATEMENT_TIMEOUT_MS'])}")
        options["connect_args"] = connect_args
    return options


DEFAULTS = {
    "WECHAT_TIMESTAMP_WINDOW": 300,
    "WECHAT_MAX_BODY": 64 * 1024,
    # Any request body (Open311 JSON, a parking CSV, a simulator photo) is refused above this, before
    # it is read: nginx usually limits bodies too, but the app must not trust that it does.
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "WECHAT_REPLY_CACHE_SECONDS": 600,
    "WECHAT_RETRY_WAIT_SECONDS": 4.0,
    # How long a delivery holds its MsgId while working. A claim whose process died on this
    # machine is taken over at once; one from another machine runs out in time for WeChat's retry
    # 10 s after the first delivery (which waits up to WECHAT_RETRY_WAIT_SECONDS for it).
    "WECHAT_CLAIM_SECONDS": 8.0,
    "RATE_LIMIT_PER_MINUTE": 30,
    "STATE_TTL_SECONDS": 30 * 60,
    "DEV_WECHAT_TOKEN": "jinguanjia-dev",
    "DEV_SECRET_KEY": "dev-only-not-secret",
    # No pre-ping round trip per request: connections are recycled, and a dropped one fails one
    # request (answered kindly) and is discarded by the pool.
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": 1800, "pool_size": 10, "max_overflow": 10},
    "DATABASE_CONNECT_TIMEOUT": 2,  # seconds; libpq's minimum
    # PostgreSQL cancels a statement after this (0: never), so a lock wait or a runaway query ends
    # inside WeChat's 5 s with the kind "try again" reply; migrations turn it off for themselves.
    "DATABASE_STATEMENT_TIMEOUT_MS": 4000,
    "DATABASE_OUTAGE_SECONDS": 3.0,  # after a failed connection, new ones fail at once this long
    "JOBS_ASYNC": True,
    "EMBEDDED_WORKER": False,  # `make run` works the queue in a thread when there is no REDIS_URL
    "SIMULATOR": None,
    # WeChat API calls answered by bot/outbound/standin.py: None means "outside production with no
    # WECHAT_SECRET" (development); pushes then show in the simulator.
    "WECHAT_STANDIN": None,
    "CLOCK": wall_clock,  # the one clock (bot.config.now); tests pass their own
    "LOG_LEVEL": "INFO",
    "REDIS_OUTAGE_SECONDS": 3.0,  # after a Redis error or timeout, fail at once this long
    "MESSAGE_LOG_BATCH": 500,  # message-log rows written together (or every 2 s, whichever comes first)
    "MESSAGE_LOG_RETRY_SECONDS": 5.0,  # a batch the database refused waits this long in memory
    "STAFF_KEYWORDS_CHECK_SECONDS": 5.0,  # how often a process looks for staff's keyword edits
    "GARBAGE_CHECK_SECONDS": 5.0,  # how often a process looks for staff's dictionary edits
    "USER_SEEN_EVERY_SECONDS": 600,  # a user's seen_at is written at most this often
    "LOCATION_FRESH_MINUTES": 30,  # a location sent this recently may be offered again (reports, parking)
    "REPORT_TTL_SECONDS": 3600,  # a report draft idle this long is dropped
    "REPORT_RESENT_MINUTES": 30,  # a lone 「确认」 this soon after filing gives that ticket's number again
    "RATING_WINDOW_DAYS": 7,  # a bare 1–5 rates a ticket resolved this recently
    "QUIZ_IDLE_SECONDS": 600,  # a quiz round idle this long ends
    "QUIZ_SEED": None,  # fixed random seed for quiz rounds (tests)
    "PARKING_LIVE_MAX_AGE_MINUTES": 15,  # an operator's free-space count older than this is not "live"
    "DASHBOARD_IDLE_MINUTES": 30,  # staff sessions end after this long without activity
    "JOB_RETRY_INTERVALS": [10, 30, 60, 300, 900],  # seconds between a job's retries; then dead-lettered
    "WECHAT_QR_IMAGE_URL": "https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=",
}
