"""`flask --app bot menu publish|show`: the official account's custom menu.

bot/menu.json is everyone's menu, bot/supervisor_menu.json the personalised menu for users
tagged 群众监督员. Every CLICK key must have a handler (handlers/*: bot.menu("KEY")); the keys
are listed in README ("In the chat"). Both files are checked against WeChat's limits before
anything is sent, so a typo fails here instead of in WeChat's admin console.
"""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from bot.outbound import wechat_api

menu = AppGroup("menu", help="The official account's custom menu.")
MENU = Path(__file__).resolve().parent.parent / "menu.json"
SUPERVISOR_MENU = Path(__file__).resolve().parent.parent / "supervisor_menu.json"
# WeChat: at most 3 top buttons of 16 bytes, 5 sub-buttons of 60 bytes each, keys of 128 bytes.
LIMITS = {"top": (3, 16), "sub": (5, 60), "key": 128}


def load(path):
    """A menu file as a dict."""
    return json.loads(path.read_text(encoding="utf-8"))


def problems(definition):
    """What WeChat would refuse in a menu definition (empty when it is fine)."""
    found = []
    buttons = definition.get("button", [])
    if not 1 <= len(buttons) <= LIMITS["top"][0]:
        found.append(f"{len(buttons)} top-level buttons (WeChat allows 1-3)")
    for button in buttons:
        found += _button_problems(button, LIMITS["top"][1])
        subs = button.get("sub_button", [])
        if len(subs) > LIMITS["sub"][0]:
            found.append(f"{button.get('name')}: {len(subs)} sub-buttons (WeChat allows 5)")
        for sub in subs:
            found += _button_problems(sub, LIMITS["sub"][1])
    return found


def _button_problems(button, name_bytes):
    name = button.get("name", "")
    found = [f"{name}: name longer than {name_bytes} bytes"] if len(name.encode()) > name_bytes else []
    if button.get("sub_button"):
        return found
    if button.get("type") == "click" and not 0 < len(button.get("key", "").encode()) <= LIMITS["key"]:
        found.append(f"{name}: a click button needs a key of 1-128 bytes")
    if button.get("type") == "view" and not button.get("url", "").startswith(("http://", "https://")):
        found.append(f"{name}: a view button needs an http(s) url")
    return found


def keys(definition):
    """(name, key) of every click button, in menu order."""
    for button in definition.get("button", []):
        for item in button.get("sub_button") or [button]:
            if item.get("type") == "click":
                yield item["name"], item["key"]


def _checked(path):
    definition = load(path)
    found = problems(definition)
    if found:
        raise click.ClickException(f"{path.name}: " + "; ".join(found))
    return definition


@menu.command("publish")
def publish_command():
    """Publish bot/menu.json, and bot/supervisor_menu.json for users tagged 群众监督员."""
    config, redis_client = current_app.config, current_app.extensions["redis"]
    everyone, supervisors = _checked(MENU), _checked(SUPERVISOR_MENU)
    try:
        wechat_api.publish_menu(config, redis_client, everyone)
        wechat_api.publish_supervisor_menu(config, redis_client, supervisors)
    except wechat_api.WeChatAPIError as error:
        raise click.ClickException(str(error)) from error
    click.echo("menus published (everyone, and the 群众监督员 tag)")


@menu.command("show")
def show_command():
    """List both menus' buttons and keys, checked against WeChat's limits."""
    for path in (MENU, SUPERVISOR_MENU):
        definition = _checked(path)
        click.echo(f"{path.name}:")
        for name, key in keys(definition):
            click.echo(f"  {name:<8}{key}")


COMMANDS = [menu]
