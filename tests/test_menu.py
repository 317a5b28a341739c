"""The custom menu: checked against WeChat's limits, every key handled, published to the stand-in."""

import json

import pytest

from bot.chat.messages import exchange
from bot.commands import menu as menu_cli

MENUS = [menu_cli.MENU, menu_cli.SUPERVISOR_MENU]


@pytest.mark.parametrize("path", MENUS, ids=lambda p: p.name)
def test_menu_files_fit_wechats_limits(path):
    assert menu_cli.problems(menu_cli.load(path)) == []


def test_limits_are_enforced():
    too_many = {"button": [{"type": "click", "name": f"按钮{i}", "key": f"K{i}"} for i in range(4)]}
    assert "4 top-level buttons" in menu_cli.problems(too_many)[0]
    long_name = {"button": [{"type": "click", "name": "垃圾分类查询", "key": "K"}]}
    assert "longer than 16 bytes" in menu_cli.problems(long_name)[0]
    no_key = {"button": [{"name": "我的", "sub_button": [{"type": "click", "name": "帮助"}]}]}
    assert "needs a key" in menu_cli.problems(no_key)[0]


def test_every_menu_key_has_a_handler(app):
    """Each click gets an answer; an unknown key gets none."""
    assert exchange(app, "o-menu", "click", {"key": "NO_SUCH_KEY"})["type"] == "none"
    for path in MENUS:
        for name, key in menu_cli.keys(menu_cli.load(path)):
            reply = exchange(app, f"o-menu-{key}", "click", {"key": key})
            assert reply["type"] in ("text", "news") and (reply["content"] or reply["articles"]), (name, key)


def test_show_lists_the_keys(runner):
    result = runner.invoke(args=["menu", "show"])
    assert result.exit_code == 0 and "menu.json:" in result.output and "GARBAGE_HELP" in result.output


def test_publish_posts_both_menus_to_the_standin(standin_app, standin):
    result = standin_app.test_cli_runner().invoke(args=["menu", "publish"])
    assert result.exit_code == 0, result.output
    assert standin.sent("menu/create") == [menu_cli.load(menu_cli.MENU)]
    conditional = standin.sent("menu/addconditional")[0]
    assert conditional["matchrule"] == {"tag_id": "134"} and conditional["button"][1]["name"] == "监督员"
    assert standin.calls[0]["endpoint"] == "token"


def test_publish_reports_wechats_refusal(standin_app, standin):
    standin.fail("menu/create", errcode=40018)
    result = standin_app.test_cli_runner().invoke(args=["menu", "publish"])
    assert result.exit_code == 1 and "40018" in result.output
    assert standin.sent("menu/addconditional") == []


def test_publish_checks_the_file_before_sending(standin_app, standin, tmp_path, monkeypatch):
    broken = tmp_path / "menu.json"
    broken.write_text(json.dumps({"button": [{"type": "click", "name": "随手拍"}]}), encoding="utf-8")
    monkeypatch.setattr(menu_cli, "MENU", broken)
    result = standin_app.test_cli_runner().invoke(args=["menu", "publish"])
    assert result.exit_code == 1 and "needs a key" in result.output and standin.calls == []


def test_binding_tags_the_supervisor_for_their_menu(standin_app, standin_wechat, standin):
    code = standin_app.test_cli_runner().invoke(args=["supervisor", "invite", "--name", "陈师傅"]).output.strip()
    assert "绑定成功" in standin_wechat.say("o-tagged", f"绑定 {code}")
    assert standin.sent("tags/members/batchtagging") == [{"tagid": 134, "openid_list": ["o-tagged"]}]
