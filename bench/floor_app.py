"""The floor under /wechat: the bare wechatpy echo plus only the Redis work the issue itself asks of
every message, done our fastest way. What the bot cannot go below, whatever else it drops.

Per message, as /wechat does it: the signature, replay window, AES and parse of the echo; then one
Redis round trip on the worker thread's own connection (claim the MsgId for exactly-once handling of
WeChat's retries, count the sender's messages for the rate limit, read their conversation state);
then the echo reply, kept one-way for a retry. No database, no routing, no understanding, no log.
Served by the same gunicorn settings as the real app (bench/wechat_bench.py --floor).
"""

import os
import time

from flask import Flask, abort, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.chat.dedupe import message_key
from bot.extensions import FailFastRedis

app = Flask(__name__)
TOKEN = os.environ["WECHAT_TOKEN"]
CRYPTO = WeChatCrypto(TOKEN, os.environ["WECHAT_ENCODING_AES_KEY"], os.environ["WECHAT_APPID"])
REDIS = FailFastRedis.from_url(os.environ["REDIS_URL"])


@app.post("/wechat")
def floor():
    args = request.args
    try:
        check_signature(TOKEN, args["signature"], args["timestamp"], args["nonce"])
        if abs(time.time() - int(args["timestamp"])) > 300:
            abort(403)
        xml = CRYPTO.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
    except (InvalidSignatureException, KeyError, ValueError):
        abort(403)
    message = parse_message(xml)
    key, minute = f"floor:reply:{message_key(message)}", int(time.time() // 60)
    claimed, _, _, _ = REDIS.round_trip(
        ("SET", key, "pending", "NX", "PX", 15000), ("INCR", f"floor:rl:{message.source}:{minute}"),
        ("EXPIRE", f"floor:rl:{message.source}:{minute}", 61), ("GET", f"floor:state:{message.source}"))
    if not claimed:
        abort(409)
    reply = TextReply(content=getattr(message, "content", "") or "ok", message=message).render()
    REDIS.send_only("SET", key, reply.encode(), "EX", 60)
    return CRYPTO.encrypt_message(reply, args["nonce"], args["timestamp"])
