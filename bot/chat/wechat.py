"""The /wechat endpoint: verify, decrypt, parse, hand to the pipeline, render, encrypt."""

import logging
import re
import time

from flask import Blueprint, abort, current_app, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.fields import StringField
from wechatpy.utils import check_signature

log = logging.getLogger(__name__)
bp = Blueprint("wechat", __name__)

# No DTDs, entities or processing instructions: WeChat never sends them; attackers do.
HOSTILE_TEXT = r"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet|SYSTEM\s+[\"']"
HOSTILE = re.compile(HOSTILE_TEXT.encode(), re.IGNORECASE)
HOSTILE_STR = re.compile(HOSTILE_TEXT, re.IGNORECASE)


class WeChatProtocol:
    """Signature checks and (in safe mode) AES for one app's settings."""

    def __init__(self, token, aes_key, appid, window):
        self.token = token
        self.window = window
        self.crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None

    def verify(self, args):
        """403 unless the request is signed with our token inside the timestamp window."""
        signature, timestamp, nonce = (args.get(k, "") for k in ("signature", "timestamp", "nonce"))
        try:
            check_signature(self.token, signature, timestamp, nonce)
        except InvalidSignatureException:
            abort(403, "bad signature")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > self.window:
            abort(403, "stale timestamp")

    def unwrap(self, body, args):
        """The message XML, decrypted when it came encrypted."""
        if self.crypto is None or args.get("encrypt_type", "raw") != "aes":
            return body
        try:
            return self.crypto.decrypt_message(
                body, args.get("msg_signature", ""), args["timestamp"], args["nonce"]
            )
        except InvalidSignatureException:
            abort(403, "bad message signature")
        except (InvalidAppIdException, Exception) as error:  # xml, base64, padding, appid
            log.info("undecryptable body: %s", type(error).__name__)
            abort(400, "undecryptable body")

    def wrap(self, reply_xml, args):
        """Encrypt the reply when the request came encrypted."""
        if self.crypto is None or args.get("encrypt_type", "raw") != "aes" or reply_xml == "success":
            return reply_xml
        return self.crypto.encrypt_message(reply_xml, args["nonce"])


@bp.get("/wechat")
def verify_url():
    """WeChat's server-URL check: echo echostr when the signature is ours."""
    protocol = current_app.extensions["wechat"]
    protocol.verify(request.args)
    return request.args.get("echostr", ""), 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.post("/wechat")
def receive():
    """One message or event from WeChat's servers."""
    protocol = current_app.extensions["wechat"]
    protocol.verify(request.args)
    body = _read_body(current_app.config["WECHAT_MAX_BODY"])
    xml = protocol.unwrap(body, request.args)
    message = _parse(xml)
    reply_xml = current_app.extensions["pipeline"].handle(message)
    payload = protocol.wrap(reply_xml, request.args)
    return payload, 200, {"Content-Type": "application/xml; charset=utf-8"}


def _read_body(limit):
    if (request.content_length or 0) > limit:
        abort(400, "body too large")
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        abort(400, "body too large")
    if not body.strip() or HOSTILE.search(body):
        abort(400, "empty or hostile XML")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, "body is not UTF-8")


def _parse(xml):
    if isinstance(xml, str) and HOSTILE_STR.search(xml):
        abort(400, "hostile XML")
    try:
        message = parse_message(xml)
    except Exception:  # expat errors, missing <xml>, wrong types: all mean a bad body
        abort(400, "malformed XML")
    if not _well_formed(message):
        abort(400, "not a WeChat message")
    return message


def _well_formed(message):
    """Every field wechatpy declares converts cleanly and is a scalar; there is a sender.

    A text field holding text needs no conversion to be known good (most of a message's fields):
    only the others (numbers, times, structures) are converted to check them."""
    data = message._data
    try:
        for name, field in type(message)._fields.items():
            raw = data.get(field.name)
            if isinstance(raw, (dict, list)):
                return False
            if type(field) is StringField and (raw is None or isinstance(raw, str)):
                continue
            if isinstance(getattr(message, name), (dict, list)):
                return False
    except (ValueError, TypeError, OverflowError, OSError):
        return False
    return isinstance(message.source, str) and bool(message.source) and isinstance(message.type, str)
