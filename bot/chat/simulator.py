"""Local chat simulator (/simulator): try the bot without WeChat. Off in production.

The page posts to /simulator/send; the server builds WeChat's XML, signs (and in safe mode
encrypts) it and sends it through the real /wechat route, so what you see is what WeChat gets.
Photos picked on the page are kept under INSTANCE_DIR/simulator and served at a local URL,
which the image message carries as its PicUrl (WeChat's photos live on its own servers).
"""

import json
import uuid
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from bot.chat.messages import exchange
from bot.config import ROOT

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
MENU = ROOT / "bot" / "menu.json"
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # WeChat's own limit for a chat photo is larger; 5 MB is plenty here
USERS = [("o-simulator-1", "市民小王"), ("o-simulator-2", "市民小李"), ("o-simulator-3", "江津中学学生")]


def _upload_dir():
    return Path(current_app.config["INSTANCE_DIR"]) / "simulator"


@bp.get("")
@bp.get("/")
def page():
    """The chat page."""
    menu = json.loads(MENU.read_text(encoding="utf-8"))["button"]
    safe = bool(current_app.config.get("WECHAT_ENCODING_AES_KEY"))
    return render_template("simulator.html", menu=menu, safe=safe, users=USERS)


@bp.post("/send")
def send():
    """One message from the page: {openid, kind, ...} -> the bot's reply."""
    data = request.get_json(silent=True) or {}
    openid = str(data.get("openid") or "o-simulator")[:64]
    try:
        reply = exchange(current_app._get_current_object(), openid, data.get("kind", "text"), data)
    except (KeyError, ValueError) as error:
        return jsonify(type="error", content=f"无法发送：{error}"), 400
    return jsonify(reply)


@bp.post("/upload")
def upload():
    """Keep a photo picked on the page; its local URL becomes the image message's PicUrl."""
    if (request.content_length or 0) > MAX_IMAGE_BYTES:
        return jsonify(error="图片太大（最多 5 MB）"), 413
    image = request.files.get("image")
    extension = IMAGE_TYPES.get(image.mimetype) if image else None
    if extension is None:
        return jsonify(error="请选择 JPG、PNG、GIF 或 WebP 图片"), 400
    data = image.read()
    name = f"{uuid.uuid4().hex}.{extension}"
    _upload_dir().mkdir(parents=True, exist_ok=True)
    (_upload_dir() / name).write_bytes(data)
    return jsonify(pic_url=url_for("simulator.uploaded", name=name, _external=True), media_id=f"SIM-{name}")


@bp.get("/uploads/<name>")
def uploaded(name):
    """A photo picked on the page (send_from_directory refuses paths outside the folder)."""
    if not _upload_dir().is_dir():
        abort(404)
    return send_from_directory(_upload_dir(), name)
