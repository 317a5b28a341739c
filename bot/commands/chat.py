"""`flask --app bot chat`: talk to the bot in the terminal through the real /wechat route.

Each line becomes WeChat's XML, signed (and in safe mode encrypted) like WeChat's servers do,
posted through the app's test client; the reply is decrypted and printed.
"""

import click
from flask import current_app
from flask.cli import with_appcontext

from bot.chat.messages import exchange
from nlp import places

HELP = """直接输入文字即发送文字消息。其他：
  /loc 纬度 经度 [地点]   发送位置（默认本区第一个街道/镇的中心）
  /img [图片URL]          发送照片
  /voice 文字             发送语音（文字作为识别结果）
  /click KEY              点击菜单（如 REPORT、GARBAGE_HELP、HELP）
  /sub [场景]  /unsub     关注 / 取消关注；/scan 场景 扫码（如 school:JJZX）
  /xml                    显示 / 隐藏收发的 XML
  /help  /quit"""
SAMPLE_PHOTO = "http://127.0.0.1/static/simulator/photo.svg"


def _home():
    """The district's first 街道/镇 (its profile's places.tsv), as "lat", "lng"."""
    town = places.current().towns()[0]
    return str(town.lat), str(town.lng)


def parse(line):
    """(kind, data) for one typed line; (None, None) when it is not a message."""
    if not line.startswith("/"):
        return "text", {"content": line}
    command, _, rest = line.partition(" ")
    rest = rest.strip()
    if command == "/loc":
        parts = rest.split()
        lat, lng = parts[:2] if len(parts) >= 2 else _home()
        return "location", {"lat": lat, "lng": lng, "label": " ".join(parts[2:])}
    simple = {
        "/img": ("image", {"pic_url": rest or SAMPLE_PHOTO}), "/voice": ("voice", {"content": rest}),
        "/click": ("click", {"key": rest.upper()}), "/sub": ("subscribe", {"scene": rest}),
        "/unsub": ("unsubscribe", {}), "/scan": ("scan", {"scene": rest}),
    }
    return simple.get(command, (None, None))


def render(reply):
    """The reply as terminal text."""
    if reply.get("type") == "none":
        return "（没有回复）"
    articles = reply.get("articles") or []
    if articles:
        return "\n".join(f"[图文] {a.get('title') or ''}\n  {a.get('description') or ''}\n  {a.get('url') or ''}"
                         for a in articles)
    return reply.get("content") or f"（{reply.get('type')} 消息）"


@click.command("chat")
@click.option("--openid", default="o-terminal", show_default=True, help="Who you are in the chat.")
@with_appcontext
def chat_command(openid):
    """Chat with the bot (signed, and in safe mode encrypted, XML to /wechat)."""
    app = current_app._get_current_object()
    mode = "安全模式（AES）" if app.config.get("WECHAT_ENCODING_AES_KEY") else "明文模式"
    click.echo(f"津管家 终端聊天 · {mode} · openid={openid}　输入 /help 看命令，/quit 退出。")
    show_xml = False
    while True:
        try:
            line = input("我> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if line in ("/quit", "/exit"):
            break
        if line == "/xml":
            show_xml = not show_xml
            click.echo("显示 XML" if show_xml else "隐藏 XML")
        elif line:
            say(app, openid, line, show_xml)


def say(app, openid, line, show_xml=False):
    """Send one typed line and print the reply (or the help for an unknown command)."""
    kind, data = parse(line)
    if kind is None:
        click.echo(HELP)
        return
    reply = exchange(app, openid, kind, data)
    if show_xml:
        click.echo(f"→ {reply.get('sent_xml')}\n← {reply.get('xml', 'success')}")
    click.echo(f"津管家> {render(reply)}")


COMMANDS = [chat_command]
