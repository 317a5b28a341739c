"""WeChat's server API (customer-service and template messages, media, QR codes, menu).

A wechatpy WeChatClient whose every call, the access-token fetch included, goes to
WECHAT_API_BASE_URL (tests point it at a local stand-in), with the token cached in Redis so
all workers share one. Failures raise WeChatAPIError so RQ jobs retry them.
"""

import contextlib
import logging
from urllib.parse import quote

import redis
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session import SessionStorage

from bot.outbound import standin

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5
OUTSIDE_48H_WINDOW = 45015  # customer-service message refused: user silent for > 48 h


class WeChatAPIError(RuntimeError):
    """A call to WeChat's API failed; errcode is WeChat's code when it gave one."""

    def __init__(self, message, errcode=None):
        super().__init__(message)
        self.errcode = errcode


class TolerantRedisStorage(SessionStorage):
    """Access-token storage in Redis that degrades to "not cached" when Redis is down."""

    def __init__(self, client, prefix="wechatpy"):
        self.client, self.prefix = client, prefix

    def _key(self, key):
        return f"{self.prefix}:{key}"

    def get(self, key, default=None):
        try:
            value = self.client.get(self._key(key))
        except redis.RedisError:
            return default
        return value.decode() if value is not None else default

    def set(self, key, value, ttl=None):
        try:
            self.client.set(self._key(key), value, ex=max(int(ttl or 7200) - 300, 60))
        except redis.RedisError:
            log.warning("Redis unavailable: access token not cached")

    def delete(self, key):
        with contextlib.suppress(redis.RedisError):
            self.client.delete(self._key(key))


class BureauClient(WeChatClient):
    """WeChatClient with a configurable API base, the token endpoint included."""

    def __init__(self, base_url, appid, secret, storage):
        super().__init__(appid, secret, session=storage, timeout=TIMEOUT_SECONDS)
        self.API_BASE_URL = base_url if base_url.endswith("/") else base_url + "/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.API_BASE_URL + "token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


def client(config, redis_client):
    """A client for this app's account (in development with no secret: the built-in stand-in)."""
    if standin.active(config):
        api = BureauClient(standin.BASE_URL, config["WECHAT_APPID"] or "standin", "standin",
                           TolerantRedisStorage(redis_client, prefix="wechatpy-standin"))
        api._http.mount(standin.BASE_URL, standin.LocalWeChat(config))
        return api
    return BureauClient(
        config["WECHAT_API_BASE_URL"], config["WECHAT_APPID"], config["WECHAT_SECRET"],
        TolerantRedisStorage(redis_client),
    )


def _call(what, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except WeChatClientException as error:
        raise WeChatAPIError(f"{what} failed: {error.errcode} {error.errmsg}", error.errcode) from error
    except requests.RequestException as error:
        raise WeChatAPIError(f"{what} failed: {type(error).__name__}") from error


def send_text(config, redis_client, openid, text):
    """Customer-service text message (only within 48 h of the user's last message)."""
    api = client(config, redis_client)
    return _call("customer-service message", api.message.send_text, openid, text)


def send_template(config, redis_client, openid, template_id, data, url=None):
    """Template message (works outside the 48 h window)."""
    api = client(config, redis_client)
    return _call("template message", api.message.send_template, openid, template_id, data, url=url)


def download_media(config, redis_client, media_id):
    """The bytes of a temporary media file (a citizen's photo)."""
    api = client(config, redis_client)
    response = _call("media download", api.media.download, media_id)
    if isinstance(response, dict):  # WeChat answers errors as JSON
        raise WeChatAPIError(f"media download failed: {response}", response.get("errcode"))
    return response.content


def create_qrcode(config, redis_client, scene_str):
    """A permanent QR code carrying scene_str; dict with ticket, url and image_url."""
    api = client(config, redis_client)
    data = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene_str}}}
    result = _call("QR code", api.qrcode.create, data)
    image = config["WECHAT_QR_IMAGE_URL"]
    return {**result, "image_url": image + quote(result["ticket"])}


def publish_menu(config, redis_client, menu):
    """Replace the account's custom menu."""
    api = client(config, redis_client)
    return _call("menu publish", api.menu.create, menu)


SUPERVISOR_TAG = "群众监督员"


def supervisor_tag(config, redis_client):
    """The id of the account's 群众监督员 user tag (created once, cached in Redis)."""
    cache_key = "wechat:supervisor_tag"
    try:
        cached = redis_client.get(cache_key)
    except redis.RedisError:
        cached = None
    if cached:
        return int(cached)
    api = client(config, redis_client)
    existing = _call("tag list", api.tag.get)
    tags = existing.get("tags", []) if isinstance(existing, dict) else existing
    tag = next((t for t in tags if t.get("name") == SUPERVISOR_TAG), None) or _call(
        "tag create", api.tag.create, SUPERVISOR_TAG)
    with contextlib.suppress(redis.RedisError):
        redis_client.set(cache_key, tag["id"])
    return int(tag["id"])


def tag_supervisor(config, redis_client, openid):
    """Tag a bound supervisor so WeChat shows them the supervisors' menu."""
    api = client(config, redis_client)
    return _call("tag user", api.tag.tag_user, supervisor_tag(config, redis_client), openid)


def publish_supervisor_menu(config, redis_client, menu):
    """The personalised menu for users tagged 群众监督员."""
    api = client(config, redis_client)
    menu = {**menu, "matchrule": {"tag_id": str(supervisor_tag(config, redis_client))}}
    return _call("conditional menu", api.menu.add_conditional, menu)
