"""Local chat simulator (/simulator): try the bot without WeChat. Off in production.

The page posts to /simulator/send; the server builds WeChat's XML, signs (and in safe mode
encrypts) it and sends it through the real /wechat route, so what you see is what WeChat gets.
Photos picked on the page are kept under INSTANCE_DIR/simulator and served at a local URL,
which the image message carries as its PicUrl (WeChat's photos live on its own servers).
What the bot pushes later (ticket updates sent by a job through WeChat's API) is answered by
the WeChat API stand-in (bot/outbound/standin.py) and shown here from /simulator/outbox.json.
"""

import json
import uuid
from html import escape
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
from sqlalchemy import select

from bot.chat.messages import exchange
from bot.config import ROOT
from bot.extensions import db
from bot.models import School
from bot.outbound import standin
from nlp import places

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
MENU = ROOT / "bot" / "menu.json"
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # WeChat's own limit for a chat photo is larger; 5 MB is plenty here
USERS = [("o-simulator-1", "市民小王"), ("o-simulator-2", "市民小李"), ("o-simulator-3", "学生小张")]


def _upload_dir():
    return Path(current_app.config["INSTANCE_DIR"]) / "simulator"


@bp.get("")
@bp.get("/")
def page():
    """The chat page."""
    menu = json.loads(MENU.read_text(encoding="utf-8"))["button"]
    safe = bool(current_app.config.get("WECHAT_ENCODING_AES_KEY"))
    schools = db.session.execute(select(School.code, School.name).order_by(School.code)).all()
    return render_template("simulator.html", menu=menu, safe=safe, users=USERS, schools=schools,
                           pushes=standin.active(current_app.config), map_box=_map_box(current_app.config["DISTRICT"]))


def _map_box(district):
    """[south, west, north, east] of the page's map: a few kilometres around the first 街道/镇."""
    town = places.gazetteer(Path(district["places"])).towns()[0]
    return [round(town.lat - 0.04, 4), round(town.lng - 0.06, 4), round(town.lat + 0.04, 4), round(town.lng + 0.06, 4)]


@bp.get("/outbox.json")
def outbox():
    """What the bot pushed to one user through the WeChat API stand-in, newest last."""
    openid = request.args.get("openid", "")
    if not openid:
        return jsonify(error="openid is required"), 400
    return jsonify(standin.outbox(current_app.config, openid))


@bp.get("/qrcode.svg")
def qrcode():
    """The stand-in's QR code: a placeholder image naming the scene it would carry."""
    scene = escape(request.args.get("ticket", "").removeprefix("SIM-")[:64])
    cells = "".join(f'<rect x="{8 + 12 * (i % 3) * 6}" y="{8 + 12 * (i // 3) * 6}" width="48" height="48" '
                    'fill="none" stroke="#222" stroke-width="8"/>' for i in (0, 2, 6))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="240" height="260" viewBox="0 0 240 260">'
           f'<rect width="240" height="260" fill="#fff"/>{cells}'
           f'<text x="120" y="200" font-size="16" text-anchor="middle">二维码（本地模拟）</text>'
           f'<text x="120" y="230" font-size="14" text-anchor="middle">{scene}</text></svg>')
    return current_app.response_class(svg, mimetype="image/svg+xml")


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
