"""Build signed (and encrypted) WeChat XML for a message, as WeChat's servers would send it.

Used by the local simulator and `flask chat`; they post it to the real /wechat route.
"""

import hashlib
import itertools
import random
import string
import threading
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from wechatpy.crypto import WeChatCrypto

_ids = itertools.count(int(time.time() * 1000))
_last_created = {}
_created_lock = threading.Lock()


def _create_time(openid):
    """Now, but strictly increasing per sender: events are deduplicated by sender + CreateTime
    (WeChat has no MsgId for them), and a quick second click must not get the first one's reply."""
    with _created_lock:
        created = max(int(time.time()), _last_created.get(openid, 0) + 1)
        _last_created[openid] = created
        return created


def _nonce():
    return "".join(random.choices(string.ascii_letters + string.digits, k=10))


def message_xml(openid, msg_type, fields, to="gh_simulator"):
    """WeChat's XML for one message or event."""
    created = _create_time(openid) if msg_type == "event" else int(time.time())
    parts = [f"<ToUserName><![CDATA[{to}]]></ToUserName>", f"<FromUserName><![CDATA[{escape(openid)}]]></FromUserName>",
             f"<CreateTime>{created}</CreateTime>", f"<MsgType><![CDATA[{msg_type}]]></MsgType>"]
    for name, value in fields.items():
        text = str(value).replace("]]>", "]]&gt;")
        parts.append(f"<{name}>{text}</{name}>" if isinstance(value, (int, float)) else f"<{name}><![CDATA[{text}]]></{name}>")
    if msg_type != "event":
        parts.append(f"<MsgId>{next(_ids)}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


def fields_for(kind, data):
    """(MsgType, fields) for a simulator action: text, voice, location, image, click, subscribe, scan."""
    if kind == "text":
        return "text", {"Content": data.get("content", "")}
    if kind == "voice":
        return "voice", {"MediaId": "SIM-VOICE", "Format": "amr", "Recognition": data.get("content", "")}
    if kind == "location":
        return "location", {"Location_X": float(data["lat"]), "Location_Y": float(data["lng"]), "Scale": 15,
                            "Label": data.get("label", "")}
    if kind == "image":
        return "image", {"PicUrl": data.get("pic_url", ""), "MediaId": data.get("media_id") or f"SIM-{next(_ids)}"}
    if kind == "click":
        return "event", {"Event": "CLICK", "EventKey": data.get("key", "")}
    if kind == "subscribe":
        scene = data.get("scene")
        return "event", {"Event": "subscribe", **({"EventKey": f"qrscene_{scene}"} if scene else {})}
    if kind == "scan":
        return "event", {"Event": "SCAN", "EventKey": data.get("scene", "")}
    if kind == "unsubscribe":
        return "event", {"Event": "unsubscribe"}
    raise ValueError(f"unknown message kind: {kind}")


def signed_request(config, xml):
    """(query args, body) for posting xml to /wechat under this app's settings."""
    token, timestamp, nonce = config["WECHAT_TOKEN"], str(int(time.time())), _nonce()
    args = {"timestamp": timestamp, "nonce": nonce,
            "signature": hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()}
    if not config.get("WECHAT_ENCODING_AES_KEY"):
        return args, xml
    crypto = WeChatCrypto(token, config["WECHAT_ENCODING_AES_KEY"], config["WECHAT_APPID"])
    envelope = ET.fromstring(crypto.encrypt_message(xml, nonce, timestamp))
    args.update(encrypt_type="aes", msg_signature=envelope.findtext("MsgSignature"))
    return args, f"<xml><Encrypt><![CDATA[{envelope.findtext('Encrypt')}]]></Encrypt></xml>"


def read_reply(config, args, payload):
    """The reply as a dict: type, content, articles (decrypted in safe mode)."""
    if payload in ("", "success"):
        return {"type": "none"}
    root = ET.fromstring(payload)
    if root.find("Encrypt") is not None:
        crypto = WeChatCrypto(config["WECHAT_TOKEN"], config["WECHAT_ENCODING_AES_KEY"], config["WECHAT_APPID"])
        root = ET.fromstring(crypto.decrypt_message(payload, root.findtext("MsgSignature"),
                                                    root.findtext("TimeStamp"), root.findtext("Nonce")))
    reply = {"type": root.findtext("MsgType"), "content": root.findtext("Content") or ""}
    reply["articles"] = [{c.tag.lower(): c.text for c in item} for item in root.iter("item")]
    reply["xml"] = ET.tostring(root, encoding="unicode")
    return reply


def exchange(app, openid, kind, data):
    """Send one simulated message through the real /wechat route and read the reply."""
    msg_type, fields = fields_for(kind, data)
    xml = message_xml(openid, msg_type, fields)
    args, body = signed_request(app.config, xml)
    started = time.perf_counter()
    response = app.test_client().post("/wechat", query_string=args, data=body.encode("utf-8"),
                                      content_type="text/xml")
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    if response.status_code != 200:
        reply = {"type": "error", "content": f"HTTP {response.status_code}"}
    else:
        reply = read_reply(app.config, args, response.get_data(as_text=True))
    return {**reply, "sent_xml": xml, "elapsed_ms": elapsed_ms}
