"""No ticket lost or filed twice when WeChat retries and deliveries race (CI size; bench runs more)."""

import json
import os
import random
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot import tickets
from bot.chat import dedupe
from bot.extensions import db
from bot.models import Ticket, TicketSequence, User
from tests.conftest import TOKEN
from tests.support.tickets import NUMBER
from tests.support.wechat_client import WeChatServer, message_xml

REPORTERS = 40


def _draft(app, openid, i):
    """A report waiting for 确认, as the conversation leaves it (written straight into Redis)."""
    data = {"draft": uuid.uuid4().hex, "photos": [], "asked": "confirm", "description": f"井盖不见了 {i}",
            "category": "manhole_cover", "lat": 29.0 + i * 0.01, "lng": 106.0, "photos_done": True,
            "phone_done": True}
    record = json.dumps({"name": "report", "data": data})
    app.extensions["redis"].set(f"state:{openid}", record, ex=600)
    return record


def test_retries_and_racing_deliveries_file_each_report_once(app):
    rng = random.Random(11)
    deliveries = []
    for i in range(REPORTERS):
        openid = f"o-once-{i}"
        _draft(app, openid, i)
        xml = message_xml(openid, "text", {"Content": "确认"}, msgid=800000 + i)
        deliveries += [xml] * rng.choice([1, 2, 3, 4])  # WeChat retries up to three times
    rng.shuffle(deliveries)

    def deliver(xml):
        response = WeChatServer(app.test_client(), TOKEN).post_xml(xml)
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(deliver, deliveries))
    assert set(statuses) == {200}
    with app.app_context():
        assert db.session.execute(select(func.count(Ticket.id))).scalar() == REPORTERS
        per_user = db.session.execute(select(User.openid, func.count(Ticket.id)).join(
            Ticket, Ticket.reporter_id == User.id).group_by(User.openid)).all()
        assert len(per_user) == REPORTERS and {n for _, n in per_user} == {1}
        numbers = db.session.execute(select(Ticket.number)).scalars().all()
        assert len(set(numbers)) == REPORTERS


def test_confirm_resent_after_a_lost_answer_gets_the_same_ticket(app, wechat):
    """A worker killed after the commit, before (or after) the state was cleared: the resent 确认
    (a new MsgId) is told its own ticket again, not "a similar report nearby" or "I don't understand"."""
    record = _draft(app, "o-once-lost", 0)
    first = wechat.say("o-once-lost", "确认")
    app.extensions["redis"].set("state:o-once-lost", record, ex=600)  # as if never cleared
    again = wechat.say("o-once-lost", "确认")
    assert "提交成功" in again and NUMBER.search(again).group(0) == NUMBER.search(first).group(0), again
    assert "已反映过" not in again
    with app.app_context():
        assert db.session.execute(select(func.count(Ticket.id))).scalar() == 1
    late = wechat.say("o-once-lost", "确认")  # the answer lost after the state was cleared, too
    assert "已经提交过了" in late and NUMBER.search(late).group(0) == NUMBER.search(first).group(0), late
    with app.app_context():
        assert db.session.execute(select(func.count(Ticket.id))).scalar() == 1


def _dead_pid():
    """The id of a process that has exited (and been reaped)."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.mark.parametrize("left_by, lease_ms", [
    (f":{dedupe.HOST}:{_dead_pid()}", 60_000),  # a killed worker on this machine: taken over at once
    (":another-machine:4242", 500),  # another machine's: taken over when the claim runs out
])
def test_retry_takes_over_a_claim_a_dead_worker_left(make_app, left_by, lease_ms):
    """A worker SIGKILLed mid-message leaves its MsgId claimed: the retry does the work, so the
    resident gets the ticket instead of silence, and later retries get that answer."""
    app = make_app(WECHAT_RETRY_WAIT_SECONDS=2.0)
    wechat = WeChatServer(app.test_client(), TOKEN)
    _draft(app, "o-once-dead", 0)
    app.extensions["redis"].set("reply:msg:870001", dedupe.PENDING + left_by.encode(), px=lease_ms)
    reply = wechat.say("o-once-dead", "确认", msgid=870001)
    assert "提交成功" in reply and NUMBER.search(reply), reply
    assert wechat.say("o-once-dead", "确认", msgid=870001) == reply
    with app.app_context():
        assert db.session.execute(select(func.count(Ticket.id))).scalar() == 1


def test_retry_leaves_a_live_workers_claim_alone(make_app):
    """A slow delivery still working in a live process is not done a second time by the retry."""
    app = make_app(WECHAT_RETRY_WAIT_SECONDS=0.3)
    _draft(app, "o-once-slow", 0)
    app.extensions["redis"].set("reply:msg:870002", dedupe.PENDING + f":{dedupe.HOST}:{os.getpid()}".encode(),
                                px=60_000)
    assert WeChatServer(app.test_client(), TOKEN).say("o-once-slow", "确认", msgid=870002) == ""
    with app.app_context():
        assert db.session.execute(select(func.count(Ticket.id))).scalar() == 0


def test_the_ten_thousandth_report_of_a_day_is_filed_and_found(app, wechat):
    """The 10,000-report load fills a day's four digits: the next one gets a fifth, and 查询 finds it."""
    day = datetime.now(tickets.TZ).strftime("%Y%m%d")
    with app.app_context():
        db.session.add(TicketSequence(day=day, last=9999))
        db.session.commit()
    _draft(app, "o-once-busy", 0)
    number = NUMBER.search(wechat.say("o-once-busy", "确认")).group(0)
    assert number == f"JJ{day}10000"
    assert number in wechat.say("o-once-busy", f"查询 {number}")
    assert number in wechat.say("o-once-busy", number)
