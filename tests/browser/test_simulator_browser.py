"""The simulator page in a real headless Chromium: it chats like WeChat, through /wechat."""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import CI

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


@pytest.fixture
def safe_page(backend, safe_app):
    yield from _page(backend, safe_app)


@pytest.fixture
def dev_page(backend, make_app, tmp_path):
    """The page of an app as `make run` has it: WeChat's API is the built-in stand-in."""
    app = make_app(WECHAT_STANDIN=None, INSTANCE_DIR=str(tmp_path / "instance"), MEDIA_DIR=str(tmp_path / "media"))
    page = _page(backend, app)
    tab = next(page)
    yield app, tab
    next(page, None)


def _page(backend, app):
    if backend != "sqlite":
        pytest.skip("the page does not depend on the database: one backend is enough")
    playwright = pytest.importorskip("playwright.sync_api") if not CI else __import__("playwright.sync_api").sync_api
    if not CHROMIUM:
        if CI:
            pytest.fail("chromium is not installed (scripts/install-browser.sh)")
        pytest.skip("chromium is not installed")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tab = browser.new_page(viewport={"width": 420, "height": 860})
        tab.goto(f"http://127.0.0.1:{server.server_port}/simulator")
        yield tab
        browser.close()
    server.shutdown()


def last_reply_after(page, action):
    """Do action, wait for one more reply bubble, return its text."""
    before = page.locator(".msg.bot").count()
    action()
    page.wait_for_function(f"document.querySelectorAll('.msg.bot').length > {before}")
    return page.locator(".msg.bot .bubble").last.inner_text()


def test_chat_menu_location_and_photo(safe_page, tmp_path):
    page = safe_page
    assert "安全模式" in page.inner_text("header")
    assert "垃圾分类" in last_reply_after(page, lambda: (page.fill("#text", "帮助"), page.press("#text", "Enter")))
    assert page.locator(".msg.me .bubble").last.inner_text() == "帮助"

    def menu_click():
        page.click("#menu .parent >> text=垃圾分类")
        page.click("#menu [data-key=GARBAGE_HELP]")
    assert "桶" in last_reply_after(page, menu_click)

    def send_location():
        page.click("#more")
        page.click("#show-location")
        page.click("#map", position={"x": 150, "y": 110})
        page.click("#send-location")
    assert "停车" in last_reply_after(page, send_location)
    assert page.locator("#location-panel").is_hidden() and page.locator(".location-card").count() == 1

    photo = tmp_path / "井盖.jpg"
    photo.write_bytes(JPEG)
    reply = last_reply_after(page, lambda: (page.click("#more"), page.set_input_files("#photo-file", str(photo))))
    assert "问题" in reply and "/simulator/uploads/" in page.get_attribute(".msg.me .bubble.photo img", "src")


def test_a_push_arrives_as_an_incoming_message(dev_page):
    """The ticket's 已派遣 notice, sent later by a job through the WeChat API stand-in."""
    from bot import tickets
    from bot.extensions import db
    from bot.models import Ticket
    from tests.support.tickets import NUMBER

    app, page = dev_page
    page.select_option("#user", "o-simulator-1")
    last_reply_after(page, lambda: (page.fill("#text", "路灯不亮了"), page.press("#text", "Enter")))

    def send_location():
        page.click("#more")
        page.click("#show-location")
        page.click("#map", position={"x": 150, "y": 110})
        page.click("#send-location")
    last_reply_after(page, send_location)
    reply = ""
    for text in ("跳过", "跳过", "确认"):
        if not NUMBER.search(reply):
            reply = last_reply_after(page, lambda text=text: (page.fill("#text", text), page.press("#text", "Enter")))
    number = NUMBER.search(reply).group(0)
    with app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        tickets.change_status(db.session, ticket, "已派遣", actor="staff:wang", enqueue=app.extensions["jobs"].enqueue)
    push = last_reply_after(page, lambda: None)
    assert number in push and "已派遣" in push
    assert "客服消息（推送）" in page.locator(".note").last.inner_text()
