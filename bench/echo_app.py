"""Baseline for the benchmark: a bare wechatpy echo endpoint doing only WeChat's protocol work.

Signature check, AES decrypt, parse_message, a TextReply echo, AES encrypt — the least any
official-account backend must do. Served by the same gunicorn settings as the real app.
"""

import os
import time

from flask import Flask, abort, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

app = Flask(__name__)
TOKEN = os.environ["WECHAT_TOKEN"]
CRYPTO = WeChatCrypto(TOKEN, os.environ["WECHAT_ENCODING_AES_KEY"], os.environ["WECHAT_APPID"])


@app.post("/wechat")
def echo():
    args = request.args
    try:
        check_signature(TOKEN, args["signature"], args["timestamp"], args["nonce"])
        if abs(time.time() - int(args["timestamp"])) > 300:  # WeChat's replay window, as /wechat checks
            abort(403)
        xml = CRYPTO.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
    except (InvalidSignatureException, KeyError, ValueError):
        abort(403)
    message = parse_message(xml)
    reply = TextReply(content=getattr(message, "content", "") or "ok", message=message)
    return CRYPTO.encrypt_message(reply.render(), args["nonce"], args["timestamp"])
