"""A built-in stand-in for WeChat's API in development (no WECHAT_SECRET, not production).

It is a requests transport adapter mounted on wechatpy's HTTP session, so every call still goes
through wechatpy and bot/outbound/wechat_api.py exactly as in production; only the last step,
the HTTP exchange with api.weixin.qq.com, is answered here:

- customer-service and template messages are appended to INSTANCE_DIR/simulator/outbox.jsonl,
  which the simulator shows (GET /simulator/outbox.json?openid=X). A file, so that what any
  process sends (the web server, `flask worker`, a CLI command) is seen by the web server;
- media/get serves the photos picked in the simulator (media id ``SIM-<file>``); any other media
  id answers WeChat's "invalid media_id" (40007), so the job falls back to the PicUrl;
- QR codes, menus and tags answer as WeChat does; a QR code's image is a local placeholder.
"""

import fcntl
import json
import os
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from requests import Response
from requests.adapters import BaseAdapter

from bot.config import now

BASE_URL = "http://wechat-standin.local/cgi-bin/"
OUTBOX_KEEP = 2000  # the file is cut back to the newest this many messages
INVALID_MEDIA_ID = 40007


def active(config):
    """True when this app's WeChat API calls go to the stand-in."""
    return bool(config.get("WECHAT_STANDIN"))


def outbox_path(config):
    return Path(config["INSTANCE_DIR"]) / "simulator" / "outbox.jsonl"


def uploads_dir(config):
    return Path(config["INSTANCE_DIR"]) / "simulator"


def outbox(config, openid, limit=100):
    """What was pushed to openid, oldest first (the newest `limit` messages)."""
    path = outbox_path(config)
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row.get("openid") == openid][-limit:]


def _append(config, record):
    path = outbox_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.write(line)
        handle.flush()
        if handle.tell() > OUTBOX_KEEP * 600:  # roughly twice OUTBOX_KEEP messages: keep the newest
            handle.seek(0)
            lines = handle.readlines()[-OUTBOX_KEEP:]
            handle.seek(0)
            handle.truncate()
            handle.writelines(lines)
            handle.flush()
            os.fsync(handle.fileno())


class LocalWeChat(BaseAdapter):
    """Answers wechatpy's requests to BASE_URL the way WeChat's API would."""

    def __init__(self, config):
        super().__init__()
        self.config = config

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        endpoint = parts.path.split("/cgi-bin/", 1)[-1]
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        body = json.loads(request.body or b"{}") if request.body else {}
        handler = getattr(self, "_" + endpoint.replace("/", "_"), None)
        if handler is None:
            return self._json(request, {"errcode": 0, "errmsg": "ok"})
        result = handler(query, body)
        if isinstance(result, Response):
            result.request, result.url = request, request.url
            return result
        return self._json(request, result)

    def close(self):
        pass

    @staticmethod
    def _json(request, payload, status=200):
        response = Response()
        response.status_code = status
        response._content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        response.headers["Content-Type"] = "application/json; charset=utf-8"
        response.encoding = "utf-8"
        response.request, response.url = request, request.url
        return response

    def _token(self, query, body):
        return {"access_token": "standin-" + uuid.uuid4().hex, "expires_in": 7200}

    def _push(self, body, kind, text, **extra):
        record = {"id": uuid.uuid4().hex, "openid": body.get("touser"), "kind": kind, "text": text,
                  "at": now().isoformat(timespec="seconds"), **extra}
        _append(self.config, record)
        return {"errcode": 0, "errmsg": "ok", "msgid": uuid.uuid4().int % 10**12}

    def _message_custom_send(self, query, body):
        return self._push(body, "text", (body.get("text") or {}).get("content", ""))

    def _message_template_send(self, query, body):
        data = body.get("data") or {}
        lines = [str(value.get("value", "")) for value in data.values() if isinstance(value, dict)]
        return self._push(body, "template", "\n".join(line for line in lines if line),
                          template_id=body.get("template_id"), url=body.get("url"))

    def _media_get(self, query, body):
        media_id = query.get("media_id", "")
        name = media_id.removeprefix("SIM-")
        folder = uploads_dir(self.config)
        path = folder / name
        if not media_id.startswith("SIM-") or path.parent != folder or not path.is_file():
            return {"errcode": INVALID_MEDIA_ID, "errmsg": "invalid media_id"}
        response = Response()
        response.status_code = 200
        response._content = path.read_bytes()
        response.headers["Content-Type"] = "image/jpeg"
        return response

    def _qrcode_create(self, query, body):
        scene = ((body.get("action_info") or {}).get("scene") or {}).get("scene_str", "")
        return {"ticket": "SIM-" + scene, "expire_seconds": 0, "url": "http://weixin.qq.com/q/standin"}

    def _tags_get(self, query, body):
        return {"tags": [{"id": 100, "name": "群众监督员", "count": 0}]}

    def _tags_create(self, query, body):
        return {"tag": {"id": 100, "name": (body.get("tag") or {}).get("name", "")}}

    def _menu_addconditional(self, query, body):
        return {"menuid": "100"}
