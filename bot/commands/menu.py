"""`flask --app bot menu publish`: replace the account's custom menu with bot/menu.json."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from bot import wechat_api

menu = AppGroup("menu", help="The official account's custom menu.")
MENU = Path(__file__).resolve().parent.parent / "menu.json"


@menu.command("publish")
def publish_command():
    """Publish bot/menu.json through WeChat's API."""
    definition = json.loads(MENU.read_text(encoding="utf-8"))
    try:
        wechat_api.publish_menu(current_app.config, current_app.extensions["redis"], definition)
    except wechat_api.WeChatAPIError as error:
        raise click.ClickException(str(error)) from error
    click.echo("menu published")


COMMANDS = [menu]
