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
def page(backend, safe_app):
    if backend != "sqlite":
        pytest.skip("the page does not depend on the database: one backend is enough")
    playwright = pytest.importorskip("playwright.sync_api") if not CI else __import__("playwright.sync_api").sync_api
    if not CHROMIUM:
        if CI:
            pytest.fail("chromium is not installed (scripts/install-browser.sh)")
        pytest.skip("chromium is not installed")
    server = make_server("127.0.0.1", 0, safe_app, threaded=True)
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


def test_chat_menu_location_and_photo(page, tmp_path):
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
