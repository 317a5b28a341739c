"""The first hour of a new user: the WeChat API stand-in in development, its pushes in the
simulator, a clean `make run` log, Chinese words and Beijing times for staff."""

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bot import create_app
from bot import tickets as service
from bot.config import ConfigError
from bot.extensions import db
from bot.models import Ticket, TicketPhoto
from tests.conftest import TOKEN
from tests.support.net import free_port
from tests.support.tickets import NUMBER

ROOT = Path(__file__).resolve().parent.parent
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32 + b"\xff\xd9"


@pytest.fixture
def dev_app(make_app, tmp_path):
    """An app as `make run` has it: no WECHAT_SECRET, so WeChat's API is the built-in stand-in."""
    return make_app(WECHAT_STANDIN=None, INSTANCE_DIR=str(tmp_path / "instance"), MEDIA_DIR=str(tmp_path / "media"),
                    JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[0])


def send(client, **data):
    response = client.post("/simulator/send", json=data)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["content"]


def report_with_photo(client, openid):
    upload = client.post("/simulator/upload", data={"image": (io.BytesIO(JPEG), "p.jpg", "image/jpeg")},
                         content_type="multipart/form-data").get_json()
    send(client, openid=openid, kind="image", pic_url=upload["pic_url"], media_id=upload["media_id"])
    send(client, openid=openid, kind="text", content="小区门口井盖不见了")
    send(client, openid=openid, kind="location", lat=29.29, lng=106.25, label="几江街道")
    send(client, openid=openid, kind="text", content="跳过")
    return NUMBER.search(send(client, openid=openid, kind="text", content="确认")).group(0)


def test_stand_in_is_on_only_in_development_without_a_secret(make_app, tmp_path):
    assert make_app(WECHAT_STANDIN=None, INSTANCE_DIR=str(tmp_path)).config["WECHAT_STANDIN"] is True
    assert make_app(WECHAT_STANDIN=None, WECHAT_SECRET="real").config["WECHAT_STANDIN"] is False


def test_push_photo_and_resolution_reach_the_simulator(dev_app):
    client = dev_app.test_client()
    number = report_with_photo(client, "o-first-1")
    with dev_app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        service.change_status(db.session, ticket, "已办结", actor="staff:wang", note="已更换井盖",
                              enqueue=dev_app.extensions["jobs"].enqueue)
    dev_app.extensions["jobs"].work(burst=True)
    pushes = client.get("/simulator/outbox.json?openid=o-first-1").get_json()
    assert [p["kind"] for p in pushes] == ["text"]
    assert number in pushes[-1]["text"] and "已办结" in pushes[-1]["text"] and "已更换井盖" in pushes[-1]["text"]
    assert pushes[-1]["at"].endswith("+08:00")  # Beijing time
    assert client.get("/simulator/outbox.json?openid=o-nobody").get_json() == []
    assert client.get("/simulator/outbox.json").status_code == 400
    with dev_app.app_context():
        photo = db.session.execute(db.select(TicketPhoto)).scalar_one()
        assert photo.path and (Path(dev_app.config["MEDIA_DIR"]) / photo.path).read_bytes() == JPEG
    assert "5 分评价" in send(client, openid="o-first-1", kind="text", content="5")  # the push asked for it


def test_pushes_are_listed_newest_last(dev_app):
    from bot.outbound import wechat_api

    with dev_app.app_context():
        for text in ("第一条", "第二条", "第三条"):
            wechat_api.send_text(dev_app.config, dev_app.extensions["redis"], "o-first-2", text)
    listed = dev_app.test_client().get("/simulator/outbox.json?openid=o-first-2").get_json()
    assert [p["text"] for p in listed] == ["第一条", "第二条", "第三条"]


def test_qr_code_is_a_local_placeholder(dev_app):
    from bot.outbound import wechat_api

    result = wechat_api.create_qrcode(dev_app.config, dev_app.extensions["redis"], "school:JJZX")
    assert result["image_url"].startswith("/simulator/qrcode.svg?ticket=")
    image = dev_app.test_client().get(result["image_url"])
    assert image.status_code == 200 and image.mimetype == "image/svg+xml" and "school:JJZX" in image.get_data(as_text=True)


def test_unknown_media_falls_back_to_the_pic_url_and_never_reads_outside_the_folder(dev_app, tmp_path):
    from bot.outbound import wechat_api

    secret = tmp_path / "instance" / "secret.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text("nope")
    for media_id in ("MEDIA-1", "SIM-../secret.txt", "SIM-"):
        with pytest.raises(wechat_api.WeChatAPIError) as raised:
            wechat_api.download_media(dev_app.config, dev_app.extensions["redis"], media_id)
        assert raised.value.errcode == 40007


def test_staff_read_chinese_in_the_history_and_residents_in_their_reply(dev_app):
    from tests.support.wechat_client import WeChatServer

    wechat = WeChatServer(dev_app.test_client(), TOKEN)
    number = NUMBER.search(wechat.report("o-first-3", "路灯不亮了", 29.29, 106.25)).group(0)
    reply = wechat.say("o-first-3", f"查询 {number}")
    assert "来源：居民" in reply and not re.search(r"resident|citizen|created", reply)
    runner = dev_app.test_cli_runner()
    shown = runner.invoke(args=["tickets", "show", number]).output
    assert "反映人" in shown and "受理" in shown and "citizen" not in shown and "Z" not in shown.split("\n")[0]


def test_log_level_any_case_and_a_bad_one_names_the_variable(make_app, tmp_path):
    assert make_app(LOG_LEVEL="warning").logger.level == 30
    with pytest.raises(ConfigError, match="LOG_LEVEL"):
        create_app({"LOG_LEVEL": "loud", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    started = subprocess.run([sys.executable, "-m", "bot.serve", "--port", str(free_port())], cwd=ROOT,
                             env={**_env(tmp_path), "LOG_LEVEL": "loud"}, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0 and "Traceback" not in started.stderr
    assert started.stderr.strip().count("\n") == 0 and "LOG_LEVEL='loud'" in started.stderr  # one line
    command = subprocess.run([sys.executable, "-m", "flask", "tickets", "list"], cwd=ROOT,
                             env={**_env(tmp_path), "LOG_LEVEL": "loud"}, capture_output=True, text=True, timeout=60)
    assert command.returncode != 0 and "Traceback" not in command.stderr
    assert command.stderr.strip() == "Error: LOG_LEVEL='loud' is not a level (debug, info, warning, error)"


def test_a_command_before_the_first_start_says_how_to_make_the_tables(tmp_path):
    """`flask chat` or `flask tickets list` on a fresh instance: one line saying what to run, no traceback."""
    chat = subprocess.run([sys.executable, "-m", "flask", "chat"], cwd=ROOT, env=_env(tmp_path), input="/quit\n",
                          capture_output=True, text=True, timeout=120)
    assert chat.returncode == 1 and "Traceback" not in chat.stderr + chat.stdout
    assert chat.stderr.strip().splitlines()[-1].startswith("Error: the database has no tables yet")
    assert "db upgrade heads" in chat.stderr and "make run" in chat.stderr
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.db'}", "SECRET_KEY": "x"})
    listed = app.test_cli_runner().invoke(args=["tickets", "list"])
    assert listed.exit_code == 1 and "no tables yet" in listed.output
    assert app.test_cli_runner().invoke(args=["nlp", "classify", "井盖不见了"]).exit_code == 0  # needs no database


def _env(tmp_path, port=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "WECHAT_SECRET", "SECRET_KEY", "WECHAT_TOKEN", "LOG_LEVEL")}
    env.update(INSTANCE_DIR=str(tmp_path / "instance"), FLASK_APP="bot", PYTHONUNBUFFERED="1")
    if port:
        env["PORT"] = str(port)
    return env


def _cli(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "flask", *args], cwd=ROOT, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=120)


def test_make_run_report_resolution_and_push_leave_a_clean_log(tmp_path):
    """`make run` on a fresh instance, a report from the simulator, its resolution from the shell
    (another process) and the push it makes: no Traceback, no ERROR, no "no such table"."""
    port = free_port()
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "bot.serve", "--port", str(port)], cwd=ROOT,
                                  env=_env(tmp_path, port), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert server.poll() is None, log_path.read_text()
            time.sleep(0.25)
        say = lambda **data: requests.post(base + "/simulator/send", json={"openid": "o-first-run", **data},  # noqa: E731
                                           timeout=10).json()["content"]
        replies = [say(kind="text", content="井盖不见了"), say(kind="location", lat=29.29, lng=106.25, label="几江街道"),
                   say(kind="text", content="跳过"), say(kind="text", content="跳过"), say(kind="text", content="确认")]
        number = NUMBER.search(replies[-1]).group(0) if NUMBER.search(replies[-1]) else pytest.fail(str(replies))
        resolved = _cli(tmp_path, "tickets", "status", number, "已办结", "--note", "已更换")
        assert resolved.returncode == 0, resolved.stderr
        pushes = requests.get(base + "/simulator/outbox.json", params={"openid": "o-first-run"}, timeout=5).json()
        assert number in pushes[-1]["text"] and "已办结" in pushes[-1]["text"]
        failed = _cli(tmp_path, "jobs", "failed")
        assert failed.returncode != 0 and "cannot see it" in failed.stderr
        # The dashboard's change is a job for the embedded worker of `make run`: its push arrives too.
        staff = _cli(tmp_path, "staff", "create", "--username", "wang", "--department", "市政设施管理所",
                     "--password", "correct-horse-battery")
        assert staff.returncode == 0, staff.stderr
        web = requests.Session()
        token = lambda path: re.search(r'name="csrf_token" value="([^"]+)"',  # noqa: E731
                                       web.get(base + path, timeout=5).text).group(1)
        web.post(base + "/dashboard/login", timeout=5, data={"username": "wang", "password": "correct-horse-battery",
                                                             "csrf_token": token("/dashboard/login")})
        changed = web.post(f"{base}/dashboard/tickets/{number}/status", timeout=5, data={
            "status": "处置中", "note": "复查发现还有一处", "csrf_token": token(f"/dashboard/tickets/{number}")})
        assert changed.status_code == 200 and "已排队发送" in changed.text
        for _ in range(40):
            pushes = requests.get(base + "/simulator/outbox.json", params={"openid": "o-first-run"}, timeout=5).json()
            if "处置中" in pushes[-1]["text"]:
                break
            time.sleep(0.25)
        assert "处置中" in pushes[-1]["text"] and len(pushes) == 2
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)
    text = log_path.read_text() + resolved.stdout + resolved.stderr + staff.stdout + staff.stderr
    assert "REDIS_URL is not set" in text and "stand-in" in text  # says what it stands in for
    for bad in ("Traceback", " ERROR ", "no such table", "\x1b["):
        assert bad not in text, text
    assert "serving on" in text
