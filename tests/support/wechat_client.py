"""A stand-in for WeChat's servers in tests: builds signed (and encrypted) XML for /wechat."""

import itertools
import time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from tests.support import wxcrypto

_ids = itertools.count(int(time.time() * 1000) % 10**9 * 1000)


def message_xml(openid, msg_type, fields, *, msgid=None, create_time=None, to="gh_jinguanjia"):
    """WeChat's XML for one message; events get no MsgId."""
    create_time = create_time or int(time.time())
    parts = [
        f"<ToUserName><![CDATA[{to}]]></ToUserName>",
        f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
        f"<CreateTime>{create_time}</CreateTime>",
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
    ]
    for name, value in fields.items():
        parts.append(f"<{name}>{_value(value)}</{name}>")
    if msg_type != "event":
        parts.append(f"<MsgId>{msgid or next(_ids)}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


def _value(value):
    if isinstance(value, (int, float)):
        return str(value)
    return f"<![CDATA[{value}]]>"


class WeChatServer:
    """Posts messages to the app's /wechat like WeChat does, and reads the replies."""

    def __init__(self, client, token, aes_key=None, appid=""):
        self.client, self.token, self.aes_key, self.appid = client, token, aes_key, appid

    def query(self, timestamp=None, nonce="nonce42"):
        timestamp = str(timestamp or int(time.time()))
        args = {"signature": wxcrypto.sign(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
        return args

    def post_xml(self, xml, *, timestamp=None, nonce="nonce42", encrypt=None):
        """POST raw XML (encrypted in safe mode) and return the Flask response."""
        args = self.query(timestamp, nonce)
        encrypt = bool(self.aes_key) if encrypt is None else encrypt
        body = xml
        if encrypt:
            cipher = wxcrypto.encrypt(self.aes_key, self.appid, xml)
            args["encrypt_type"] = "aes"
            args["msg_signature"] = wxcrypto.sign(self.token, args["timestamp"], nonce, cipher)
            body = f"<xml><ToUserName><![CDATA[gh_jinguanjia]]></ToUserName><Encrypt><![CDATA[{cipher}]]></Encrypt></xml>"
        return self.client.post("/wechat", query_string=args, data=body.encode() if isinstance(body, str) else body,
                                content_type="text/xml")

    def send(self, openid, msg_type, fields, **kwargs):
        """Send one message and return the reply as a dict (empty for "success")."""
        response = self.post_xml(message_xml(openid, msg_type, fields, **{
            k: v for k, v in kwargs.items() if k in ("msgid", "create_time")}))
        assert response.status_code == 200, (response.status_code, response.data[:300])
        return self.read_reply(response.get_data(as_text=True))

    def read_reply(self, payload):
        """Parse the reply XML (decrypting it independently of wechatpy in safe mode)."""
        if payload in ("success", ""):
            return {}
        root = ET.fromstring(payload)
        if root.find("Encrypt") is not None:
            cipher = root.findtext("Encrypt")
            expected = wxcrypto.sign(self.token, root.findtext("TimeStamp"), root.findtext("Nonce"), cipher)
            assert root.findtext("MsgSignature") == expected, "reply signature does not verify"
            root = ET.fromstring(wxcrypto.decrypt(self.aes_key, self.appid, cipher))
        reply = {child.tag: child.text for child in root}
        if reply.get("MsgType") == "news":
            reply["Articles"] = [{c.tag: c.text for c in item} for item in root.iter("item")]
        return reply

    # -- conveniences -------------------------------------------------------------------------
    def text(self, openid, content, **kwargs):
        return self.send(openid, "text", {"Content": content}, **kwargs)

    def say(self, openid, content, **kwargs):
        """The reply's text content ("" when none)."""
        return self.text(openid, content, **kwargs).get("Content") or ""

    def report(self, openid, text="井盖不见了", lat=29.29, lng=106.25):
        """A whole 随手拍 conversation (text, location, no photo, no phone, 确认): the last reply."""
        self.say(openid, text)
        self.location(openid, lat, lng)
        self.say(openid, "跳过")
        self.say(openid, "跳过")
        return self.say(openid, "确认")

    def location(self, openid, lat, lng, label="", **kwargs):
        return self.send(openid, "location", {"Location_X": lat, "Location_Y": lng, "Scale": 15, "Label": label}, **kwargs)

    def image(self, openid, media_id="MEDIA1", pic_url="http://127.0.0.1:9/pic.jpg", **kwargs):
        return self.send(openid, "image", {"PicUrl": pic_url, "MediaId": media_id}, **kwargs)

    def voice(self, openid, recognition, media_id="VOICE1", **kwargs):
        return self.send(openid, "voice", {"MediaId": media_id, "Format": "amr", "Recognition": recognition}, **kwargs)

    def event(self, openid, event, **fields):
        create_time = fields.pop("create_time", None)
        return self.send(openid, "event", {"Event": event, **fields}, create_time=create_time)

    def click(self, openid, key):
        return self.event(openid, "CLICK", EventKey=key)


def text_of(reply):
    """Everything a user would read in a reply (text or articles)."""
    if "Articles" in reply:
        return "\n".join(f"{a.get('Title') or ''}\n{a.get('Description') or ''}" for a in reply["Articles"])
    return reply.get("Content") or ""


def escape_text(value):
    return escape(value)

