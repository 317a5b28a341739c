"""The local chat simulator: its page, and real signed (encrypted) XML through /wechat."""

import io
import re
import xml.etree.ElementTree as ET

from wechatpy.replies import ArticlesReply

from bot import create_app
from bot.chat.messages import fields_for, message_xml, signed_request
from tests.conftest import AES_KEY, APPID, TOKEN
from tests.support import wxcrypto

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


def send(client, **data):
    response = client.post("/simulator/send", json=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_page_renders_the_chat_with_the_menu_and_no_outside_resources(client):
    page = client.get("/simulator").get_data(as_text=True)
    assert "津管家" in page and "明文模式" in page and "simulator.js" in page
    assert all(name in page for name in ("随手拍", "垃圾分类", "查分类", "我的反映", "帮助"))
    assert 'data-key="GARBAGE_HELP"' in page and "o-simulator-1" in page
    assets = page + "".join(client.get(f"/static/simulator/simulator.{ext}").get_data(as_text=True)
                            for ext in ("js", "css"))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", assets) and "@import" not in assets


def test_text_round_trip_plain_shows_the_xml(client):
    reply = send(client, openid="o-sim", kind="text", content="帮助")
    assert reply["type"] == "text" and "垃圾分类" in reply["content"]
    assert "<Content><![CDATA[帮助]]></Content>" in reply["sent_xml"] and "o-sim" in reply["xml"]


def test_safe_mode_text_location_click_and_subscribe(safe_app):
    client = safe_app.test_client()
    assert "安全模式" in client.get("/simulator").get_data(as_text=True)
    assert "垃圾分类" in send(client, kind="text", content="帮助")["content"]
    assert "停车" in send(client, kind="location", lat="29.29", lng="106.26", label="滨江路")["content"]
    assert "垃圾分类" in send(client, kind="click", key="HELP")["content"]
    assert "津管家" in send(client, openid="o-new", kind="subscribe")["content"]


def test_safe_mode_request_is_really_encrypted(safe_app):
    """What the simulator posts decrypts with an independent AES implementation."""
    xml = message_xml("o-sim", *fields_for("text", {"content": "电池"}))
    args, body = signed_request(safe_app.config, xml)
    cipher = ET.fromstring(body).findtext("Encrypt")
    assert args["encrypt_type"] == "aes" and "电池" not in body
    assert args["msg_signature"] == wxcrypto.sign(TOKEN, args["timestamp"], args["nonce"], cipher)
    assert wxcrypto.decrypt(AES_KEY, APPID, cipher) == xml


def test_voice_is_understood_from_its_recognition(client):
    assert "有害垃圾" in send(client, kind="voice", content="电池是什么垃圾")["content"]


def test_picked_photo_is_served_locally_and_sent_as_an_image(client):
    saved = client.post("/simulator/upload", data={"image": (io.BytesIO(JPEG), "井盖.jpg", "image/jpeg")}).get_json()
    assert saved["media_id"].startswith("SIM-") and "/simulator/uploads/" in saved["pic_url"]
    assert client.get(saved["pic_url"].split("localhost", 1)[1]).data == JPEG
    reply = send(client, openid="o-photo", kind="image", pic_url=saved["pic_url"], media_id=saved["media_id"])
    assert reply["type"] == "text" and "问题" in reply["content"]
    assert saved["pic_url"] in reply["sent_xml"]


def test_upload_refuses_what_is_not_a_photo(client):
    refused = client.post("/simulator/upload", data={"image": (io.BytesIO(b"MZ..."), "a.exe", "application/octet-stream")})
    assert refused.status_code == 400 and "图片" in refused.get_json()["error"]
    assert client.get("/simulator/uploads/..%2F..%2Fjinguanjia.db").status_code == 404


def test_scan_and_unsubscribe_events(client):
    assert send(client, openid="o-scan", kind="scan", scene="school:NOPE")["type"] in ("text", "none")
    assert send(client, openid="o-scan", kind="unsubscribe")["type"] == "none"


def test_two_quick_clicks_each_get_their_own_reply(client):
    """Events are deduplicated by sender + CreateTime: the simulator never repeats one."""
    first = send(client, openid="o-quick", kind="click", key="HELP")["content"]
    second = send(client, openid="o-quick", kind="click", key="GARBAGE_HELP")["content"]
    assert first != second and "桶" in second


def test_articles_reply_is_returned_with_pictures_and_links(app):
    def news(message, context):
        reply = ArticlesReply(message=message)
        reply.add_article({"title": "垃圾分类指南", "description": "四分类", "image": "http://127.0.0.1/a.jpg",
                           "url": "http://127.0.0.1/guide"})
        return reply

    app.extensions["dispatcher"].menu("SIM_NEWS")(news)
    reply = send(app.test_client(), kind="click", key="SIM_NEWS")
    assert reply["type"] == "news"
    assert reply["articles"] == [{"title": "垃圾分类指南", "description": "四分类",
                                  "picurl": "http://127.0.0.1/a.jpg", "url": "http://127.0.0.1/guide"}]


def test_bad_action_is_400(client):
    assert client.post("/simulator/send", json={"kind": "fax"}).status_code == 400
    assert client.post("/simulator/send", json={"kind": "location", "lat": "north"}).status_code == 400


def test_simulator_is_absent_when_switched_off(app):
    production = create_app({**app.config, "SIMULATOR": False})
    client = production.test_client()
    assert client.get("/simulator").status_code == 404
    assert client.post("/simulator/send", json={"kind": "text", "content": "帮助"}).status_code == 404
