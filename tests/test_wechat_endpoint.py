"""The /wechat route: verification, signatures, safe mode, every message type, bad input."""

import time

import pytest

from tests.conftest import AES_KEY, APPID, TOKEN
from tests.support import wxcrypto
from tests.support.wechat_client import message_xml


def test_url_verification_echoes_echostr(wechat, client):
    args = wechat.query()
    response = client.get("/wechat", query_string={**args, "echostr": "4711abc"})
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "4711abc"


def test_url_verification_with_bad_signature_is_403(wechat, client):
    args = {**wechat.query(), "signature": "0" * 40, "echostr": "x"}
    assert client.get("/wechat", query_string=args).status_code == 403


def test_post_with_bad_signature_is_403(wechat, client):
    args = {**wechat.query(), "signature": "f" * 40}
    xml = message_xml("u1", "text", {"Content": "帮助"})
    assert client.post("/wechat", query_string=args, data=xml).status_code == 403


def test_stale_timestamp_is_403(wechat):
    xml = message_xml("u1", "text", {"Content": "帮助"})
    response = wechat.post_xml(xml, timestamp=int(time.time()) - 301)
    assert response.status_code == 403


def test_help_in_plain_mode(wechat):
    reply = wechat.text("u-plain", "帮助")
    assert reply["MsgType"] == "text"
    assert reply["ToUserName"] == "u-plain"
    assert "垃圾分类" in reply["Content"]


def test_help_in_safe_mode_decrypts_independently(wechat_safe):
    reply = wechat_safe.text("u-safe", "帮助")
    assert reply["ToUserName"] == "u-safe"
    assert "垃圾分类" in reply["Content"]


def test_safe_mode_rejects_wrong_message_signature(wechat_safe):
    cipher = wxcrypto.encrypt(AES_KEY, APPID, message_xml("u1", "text", {"Content": "帮助"}))
    args = {**wechat_safe.query(), "encrypt_type": "aes", "msg_signature": "0" * 40}
    body = f"<xml><Encrypt><![CDATA[{cipher}]]></Encrypt></xml>"
    assert wechat_safe.client.post("/wechat", query_string=args, data=body).status_code == 403


def test_safe_mode_rejects_other_appid(wechat_safe):
    cipher = wxcrypto.encrypt(AES_KEY, "wx_someone_else", message_xml("u1", "text", {"Content": "帮助"}))
    args = wechat_safe.query()
    args.update(encrypt_type="aes", msg_signature=wxcrypto.sign(TOKEN, args["timestamp"], args["nonce"], cipher))
    body = f"<xml><Encrypt><![CDATA[{cipher}]]></Encrypt></xml>"
    assert wechat_safe.client.post("/wechat", query_string=args, data=body).status_code == 400


def test_subscribe_gets_a_three_line_welcome(wechat):
    reply = wechat.event("u-new", "subscribe")
    assert "津管家" in reply["Content"]
    assert reply["Content"].count("\n") <= 5


@pytest.mark.parametrize("msg_type, fields", [
    ("image", {"PicUrl": "http://127.0.0.1:9/a.jpg", "MediaId": "m1"}),
    ("voice", {"MediaId": "m2", "Format": "amr", "Recognition": ""}),
    ("location", {"Location_X": 29.29, "Location_Y": 106.25, "Scale": 15, "Label": "江津区"}),
    ("link", {"Title": "t", "Description": "d", "Url": "http://example.invalid"}),
    ("video", {"MediaId": "m3", "ThumbMediaId": "t3"}),
    ("shortvideo", {"MediaId": "m4", "ThumbMediaId": "t4"}),
    ("text", {"Content": "嗯嗯嗯"}),
])
def test_every_message_type_gets_a_reply(wechat, msg_type, fields):
    reply = wechat.send("u-types", msg_type, fields)
    assert reply.get("MsgType") in ("text", "news"), reply
    assert reply.get("Content") or reply.get("Articles")


@pytest.mark.parametrize("event, fields, answers", [
    ("subscribe", {}, True),
    ("unsubscribe", {}, False),
    ("SCAN", {"EventKey": "123", "Ticket": "t"}, True),
    ("LOCATION", {"Latitude": 29.29, "Longitude": 106.25, "Precision": 30}, False),
    ("CLICK", {"EventKey": "HELP"}, True),
    ("VIEW", {"EventKey": "https://example.invalid"}, False),
])
def test_every_event_type_is_handled(wechat, event, fields, answers):
    reply = wechat.event("u-events", event, **fields)
    assert bool(reply.get("Content")) is answers


def test_location_event_is_remembered(wechat, app):
    import json

    wechat.event("u-loc", "LOCATION", Latitude=29.2901, Longitude=106.2512, Precision=30)
    kept = json.loads(app.extensions["redis"].get("loc:u-loc"))
    assert (round(kept["lat"], 4), round(kept["lng"], 4)) == (29.2901, 106.2512)
    assert "离您最近的停车场" in wechat.say("u-loc", "附近哪里可以停车")  # used without asking where


BAD_BODIES = [
    b"",
    b"not xml at all",
    b"<xml><FromUserName>u</FromUserName>",
    b"<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]><xml>&lol2;</xml>",
    b"<!DOCTYPE foo [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]><xml><Content>&xxe;</Content></xml>",
    b"<xml><ToUserName>a</ToUserName></xml>",
    b"<root><a>1</a></root>",
    "<xml><Content>\udcff</Content></xml>".encode("utf-8", "surrogatepass"),
    b"\xff\xfe<\x00x\x00",
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_bad_bodies_are_400(wechat, body):
    response = wechat.post_xml(body, encrypt=False)
    assert response.status_code == 400


def test_oversized_body_is_400(wechat):
    xml = message_xml("u1", "text", {"Content": "很" * 40000})
    assert wechat.post_xml(xml).status_code == 400


def test_healthz_names_database_and_redis(client, backend):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok"
    assert body["database"]["state"] == "ok"
    assert body["database"]["backend"] == ("sqlite" if backend == "sqlite" else "postgresql")
    assert body["redis"]["state"] == "ok"


def test_machine_endpoints_neither_read_nor_set_session_cookies(app, client):
    from tests.support.wechat_client import WeChatServer

    client.set_cookie("session", "forged.cookie.value")
    response = WeChatServer(client, TOKEN).post_xml(message_xml("u-cookie", "text", {"Content": "帮助"}, msgid=930001))
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Set-Cookie" not in client.get("/healthz").headers
    assert "Set-Cookie" not in client.get("/open311/v2/services.json").headers
    login = client.get("/dashboard/login")  # people still get their session (CSRF token)
    assert login.status_code == 200 and "Set-Cookie" in login.headers
