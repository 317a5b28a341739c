"""`flask --app bot menu publish`: replace the account's custom menu with bot/menu.json."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from bot import wechat_api

menu = AppGroup("menu", help="The official account's custom menu.")
MENU = Path(__file__).resolve().parent.parent / "menu.json"
SUPERVISOR_MENU = Path(__file__).resolve().parent.parent / "supervisor_menu.json"


@menu.command("publish")
def publish_command():
    """Publish bot/menu.json, and bot/supervisor_menu.json for users tagged 群众监督员."""
    config, redis_client = current_app.config, current_app.extensions["redis"]
    try:
        wechat_api.publish_menu(config, redis_client, json.loads(MENU.read_text(encoding="utf-8")))
        wechat_api.publish_supervisor_menu(config, redis_client, json.loads(SUPERVISOR_MENU.read_text(encoding="utf-8")))
    except wechat_api.WeChatAPIError as error:
        raise click.ClickException(str(error)) from error
    click.echo("menus published (everyone, and the 群众监督员 tag)")


COMMANDS = [menu]
