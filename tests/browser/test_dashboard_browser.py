"""The dashboard in a real headless Chromium: log in, filter, change a state, see the chart."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import CI
from tests.support.dashboard import PASSWORD, make_staff, seed_history
from tests.support.tickets import make_ticket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api") if not CI else __import__("playwright.sync_api").sync_api
    if not CHROMIUM:
        if CI:
            pytest.fail("chromium is not installed (scripts/install-browser.sh)")
        pytest.skip("chromium is not installed")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live(standin_app):
    server = make_server("127.0.0.1", 0, standin_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_staff_work_a_ticket_and_see_the_statistics(standin_app, standin, live, browser, backend):
    make_staff(standin_app, "admin", "数字城管指挥中心", admin=True)
    number = make_ticket(standin_app, "manhole_cover", "井盖不见了", openid="o-browser-reporter", lat=29.29, lng=106.25)
    make_ticket(standin_app, "noise", "工地半夜施工太吵", lat=29.29, lng=106.25)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live}/dashboard/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#tickets")
    page.select_option("select[name=category]", "manhole_cover")
    page.click("#filters button[type=submit]")
    rows = page.locator("#tickets tbody tr")
    assert rows.count() == 1 and number in rows.first.inner_text()
    page.click(f"text={number}")
    page.select_option("#status-form select[name=status]", "已派遣")
    page.fill("#status-form input[name=note]", "已派市政设施管理所现场处置")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert "已派遣" in page.locator("#history").inner_text()
    sent = standin.sent("message/custom/send")
    assert sent and sent[-1]["touser"] == "o-browser-reporter" and number in sent[-1]["text"]["content"]
    seed_history(standin_app)  # a realistic spread for the charts and the README's screenshot
    page.goto(f"{live}/dashboard/stats")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.evaluate("() => !!document.getElementById('chart-category').chart")
    drawn = page.evaluate("""() => { const c = document.getElementById('chart-category');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; } return false; }""")
    assert drawn
    shot = page.screenshot(full_page=True)
    assert len(shot) > 20_000  # a page with drawn charts, not a blank one
    if os.environ.get("UPDATE_SCREENSHOTS") and backend == "postgres":  # refresh the README's picture on demand
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / "statistics.png").write_bytes(shot)
