"""The local chat simulator and `flask chat`: real signed XML through /wechat."""

from bot import create_app


def test_page_renders_with_menu(client):
    page = client.get("/simulator").get_data(as_text=True)
    assert "津管家" in page and "随手拍" in page and "simulator.js" in page


def test_send_text_round_trip_plain(client):
    reply = client.post("/simulator/send", json={"openid": "o-sim", "kind": "text", "content": "帮助"}).get_json()
    assert reply["type"] == "text" and "垃圾分类" in reply["content"]


def test_send_in_safe_mode_and_location_and_click(wechat_safe, safe_app):
    client = safe_app.test_client()
    assert "垃圾分类" in client.post("/simulator/send", json={"kind": "text", "content": "帮助"}).get_json()["content"]
    located = client.post("/simulator/send", json={"kind": "location", "lat": "29.29", "lng": "106.26"}).get_json()
    assert "停车" in located["content"]
    clicked = client.post("/simulator/send", json={"kind": "click", "key": "HELP"}).get_json()
    assert "垃圾分类" in clicked["content"]
    assert client.post("/simulator/send", json={"kind": "subscribe"}).get_json()["type"] == "text"


def test_bad_action_is_400(client):
    assert client.post("/simulator/send", json={"kind": "fax"}).status_code == 400


def test_simulator_is_off_in_production(app):
    production = create_app({**app.config, "SIMULATOR": False})
    assert production.test_client().get("/simulator").status_code == 404


def test_terminal_chat(runner):
    result = runner.invoke(args=["chat", "--openid", "o-term"], input="帮助\n/loc 29.29 106.26 江津\n/quit\n")
    assert result.exit_code == 0
    assert "垃圾分类" in result.output and "停车" in result.output


def test_menu_publish_posts_the_menu(standin_app, standin):
    result = standin_app.test_cli_runner().invoke(args=["menu", "publish"])
    assert result.exit_code == 0, result.output
    sent = standin.sent("menu/create")
    assert sent and sent[0]["button"][0]["key"] == "REPORT"
    conditional = standin.sent("menu/addconditional")[0]
    assert conditional["matchrule"] == {"tag_id": "134"} and conditional["button"][1]["name"] == "监督员"


def test_binding_tags_the_supervisor_for_their_menu(standin_app, standin_wechat, standin):
    code = standin_app.test_cli_runner().invoke(args=["supervisor", "invite", "--name", "陈师傅"]).output.strip()
    assert "绑定成功" in standin_wechat.say("o-tagged", f"绑定 {code}")
    tagged = standin.sent("tags/members/batchtagging")
    assert tagged == [{"tagid": 134, "openid_list": ["o-tagged"]}]
