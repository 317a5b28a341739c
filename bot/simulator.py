"""Local chat simulator (/simulator): try the bot without WeChat. Off in production.

The page posts to /simulator/send; the server builds WeChat's XML, signs (and in safe mode
encrypts) it and sends it through the real /wechat route, so what you see is what WeChat gets.
"""

import json
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request

from bot.wechat_messages import exchange

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
MENU = Path(__file__).resolve().parent / "menu.json"


@bp.get("")
@bp.get("/")
def page():
    """The chat page."""
    menu = json.loads(MENU.read_text(encoding="utf-8"))["button"]
    safe = bool(current_app.config.get("WECHAT_ENCODING_AES_KEY"))
    return render_template("simulator.html", menu=menu, safe=safe)


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
