"""`flask chat`: the terminal chat sends real signed (encrypted) XML through /wechat."""

from bot.commands.chat import parse


def chat(app, lines, openid="o-term"):
    result = app.test_cli_runner().invoke(args=["chat", "--openid", openid], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result.output


def test_text_location_and_menu_click(app):
    output = chat(app, ["帮助", "/loc 29.29 106.26 江津", "/click garbage_help", "/quit"])
    assert "明文模式" in output and "垃圾分类" in output
    assert "停车" in output and "桶" in output


def test_voice_photo_and_subscribe_in_safe_mode(safe_app):
    output = chat(safe_app, ["/sub", "/voice 电池是什么垃圾", "/img", "取消", "/quit"], openid="o-safe-term")
    assert "安全模式" in output and "您好" in output
    assert "有害垃圾" in output and "问题" in output and "已取消" in output


def test_help_xml_and_end_of_input(app):
    output = chat(app, ["/help", "/nope", "/xml", "帮助"])  # no /quit: end of input ends the chat too
    assert output.count("/loc 纬度 经度") == 2
    assert "显示 XML" in output and "→ <xml>" in output and "<Content><![CDATA[帮助]]></Content>" in output


def test_parse_lines():
    assert parse("电池") == ("text", {"content": "电池"})
    assert parse("/loc 29.3 106.2 鼎山") == ("location", {"lat": "29.3", "lng": "106.2", "label": "鼎山"})
    assert parse("/loc")[1]["lat"] == "29.2905"
    assert parse("/click help") == ("click", {"key": "HELP"})
    assert parse("/scan school:JJZX") == ("scan", {"scene": "school:JJZX"})
    assert parse("/img http://127.0.0.1/a.jpg") == ("image", {"pic_url": "http://127.0.0.1/a.jpg"})
    assert parse("/what") == (None, None)
