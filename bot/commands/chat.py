"""`flask --app bot chat`: talk to the bot in the terminal through the real /wechat route."""

import click
from flask import current_app
from flask.cli import with_appcontext

from bot.wechat_messages import exchange

HELP = "/loc 纬度 经度 [地点]  /img  /voice 文字  /click KEY  /sub  /scan 场景  /quit"


def _parse(line):
    """(kind, data) for one typed line."""
    if not line.startswith("/"):
        return "text", {"content": line}
    command, _, rest = line.partition(" ")
    parts = rest.split()
    if command == "/loc" and len(parts) >= 2:
        return "location", {"lat": parts[0], "lng": parts[1], "label": " ".join(parts[2:])}
    return {"/img": ("image", {"pic_url": "http://127.0.0.1/photo.jpg"}), "/voice": ("voice", {"content": rest}),
            "/click": ("click", {"key": rest.strip()}), "/sub": ("subscribe", {}),
            "/scan": ("scan", {"scene": rest.strip()})}.get(command, (None, None))


@click.command("chat")
@click.option("--openid", default="o-terminal", show_default=True, help="Who you are in the chat.")
@with_appcontext
def chat_command(openid):
    """Chat with the bot (signed, and in safe mode encrypted, XML to /wechat)."""
    app = current_app._get_current_object()
    click.echo("津管家 终端聊天。" + HELP)
    while True:
        try:
            line = input("我> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not line:
            continue
        if line == "/quit":
            break
        kind, data = _parse(line)
        if kind is None:
            click.echo(HELP)
            continue
        reply = exchange(app, openid, kind, data)
        body = reply.get("content") or "\n".join(f"{a.get('title')}: {a.get('description')}" for a in reply.get("articles", []))
        click.echo(f"津管家> {body or '（没有回复）'}")


COMMANDS = [chat_command]
