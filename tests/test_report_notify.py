"""Notifications and photo downloads run as jobs, never inside the request; retries; the outbox."""


import pytest

from bot import tickets
from bot.extensions import db
from bot.models import Ticket
from bot.models.reports import Notification
from tests.conftest import TOKEN
from tests.support.tickets import NUMBER
from tests.support.wechat_client import WeChatServer


@pytest.fixture
def queued(make_app, standin, tmp_path):
    """An app with a real RQ queue (jobs wait for a worker) talking to the WeChat stand-in."""
    return make_app(JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[0, 0], WECHAT_API_BASE_URL=standin.base_url,
                    WECHAT_SECRET="s", MEDIA_DIR=str(tmp_path))


def _report(wechat, openid, text="井盖不见了", lat=29.29, lng=106.25):
    return NUMBER.search(wechat.report(openid, text, lat, lng)).group(0)


def _change(app, number, state, **kwargs):
    with app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        tickets.change_status(db.session, ticket, state, actor="staff:test", enqueue=app.extensions["jobs"].enqueue,
                              **kwargs)


def _texts(standin, openid):
    return [m["text"]["content"] for m in standin.sent("message/custom/send") if m["touser"] == openid]


def test_jobs_wait_for_the_worker(queued, standin, tmp_path):
    wechat = WeChatServer(queued.test_client(), TOKEN)
    wechat.image("o-j1", media_id="MEDIA-J1")
    wechat.say("o-j1", "路边倒了一堆建筑垃圾")
    wechat.location("o-j1", 29.29, 106.25)
    wechat.say("o-j1", "跳过")
    number = NUMBER.search(wechat.say("o-j1", "确认")).group(0)
    _change(queued, number, "已派遣")
    assert standin.calls == []  # nothing went to WeChat while answering
    queued.extensions["jobs"].work(burst=True)
    assert "已派遣" in _texts(standin, "o-j1")[0]
    assert [p.parent.name for p in tmp_path.rglob("*.jpg")] == [number]
    _change(queued, number, "已办结")
    queued.extensions["jobs"].work(burst=True)
    before = len(standin.calls)
    assert "重新交办" in wechat.say("o-j1", "2")  # the reopening is queued too
    assert len(standin.calls) == before
    queued.extensions["jobs"].work(burst=True)
    assert "处置中" in _texts(standin, "o-j1")[-1]


def test_failed_send_is_retried_and_sent_once(queued, standin):
    number = _report(WeChatServer(queued.test_client(), TOKEN), "o-j2")
    standin.fail("message/custom/send", times=1, errcode=-1)
    _change(queued, number, "已派遣")
    queued.extensions["jobs"].work(burst=True)
    queued.extensions["jobs"].work(burst=True)
    assert len(_texts(standin, "o-j2")) == 1
    with queued.app_context():
        row = Notification.query.one()
        assert (row.status, row.channel, row.attempts) == ("sent", "custom", 2)
        from bot.tickets import notify

        assert notify.deliver(row.id) == "sent"  # a late duplicate job sends nothing
    assert len(_texts(standin, "o-j2")) == 1


def test_unsubscribed_user_is_not_retried(queued, standin):
    number = _report(WeChatServer(queued.test_client(), TOKEN), "o-j3")
    standin.fail("message/custom/send", times=5, errcode=43004)
    _change(queued, number, "已派遣")
    queued.extensions["jobs"].work(burst=True)
    queued.extensions["jobs"].work(burst=True)
    assert len([c for c in standin.calls if c["endpoint"] == "message/custom/send"]) == 1
    with queued.app_context():
        assert (Notification.query.one().status, Notification.query.one().errcode) == ("skipped", 43004)


def test_pending_notifications_are_sent_after_an_outage(standin_app, standin_wechat, standin):
    number = _report(standin_wechat, "o-j4")
    with standin_app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        tickets.change_status(db.session, ticket, "已派遣", actor="staff:t", enqueue=lambda *a: None)  # queue down
    assert _texts(standin, "o-j4") == []
    result = standin_app.test_cli_runner().invoke(args=["tickets", "notify-pending", "--minutes", "0"])
    assert "queued 1" in result.output
    assert "已派遣" in _texts(standin, "o-j4")[0]


def test_reroute_reject_and_merge_are_told(standin_app, standin_wechat, standin):
    first = _report(standin_wechat, "o-j5", "路灯不亮", 29.30, 106.30)
    second = _report(standin_wechat, "o-j6", "这个路灯坏了", 29.40, 106.40)
    enqueue = standin_app.extensions["jobs"].enqueue
    with standin_app.app_context():
        a, b = (Ticket.query.filter_by(number=n).one() for n in (first, second))
        tickets.reroute(db.session, a, "park_facility", actor="staff:t", enqueue=enqueue)
        tickets.merge(db.session, b, a, actor="staff:t", enqueue=enqueue)
        tickets.reject(db.session, a, actor="staff:t", reason="属于小区物业管理", enqueue=enqueue)
    assert "园林绿化管理所" in _texts(standin, "o-j5")[0]
    assert first in _texts(standin, "o-j6")[0] and "不予受理" in _texts(standin, "o-j6")[0]
    assert all("物业" in texts[-1] for texts in (_texts(standin, "o-j5"), _texts(standin, "o-j6")))  # follower too


def test_expired_media_id_falls_back_to_the_pic_url(standin_app, standin_wechat, standin, tmp_path):
    standin_app.config["MEDIA_DIR"] = str(tmp_path)
    standin.fail("media/get", times=1, errcode=40007)
    standin_wechat.image("o-j7", media_id="OLD", pic_url=standin.base_url + "media/get?from=picurl")
    standin_wechat.say("o-j7", "河边好多垃圾漂着")
    standin_wechat.say("o-j7", "是")  # the guessed category (街面与水域保洁)
    standin_wechat.location("o-j7", 29.29, 106.25)
    standin_wechat.say("o-j7", "跳过")
    number = NUMBER.search(standin_wechat.say("o-j7", "确认")).group(0)
    assert [c["query"] for c in standin.calls if c["endpoint"] == "media/get"][-1] == {"from": "picurl"}
    assert (tmp_path / number).is_dir() and not list(tmp_path.rglob("*.part"))


def _outbox(app, number):
    """(reporter's openid, [(openid, status, attempts, errcode)] of the ticket's outbox rows), as the
    database holds them: a failure says which step went wrong, not a bare NoResultFound."""
    with app.app_context():
        ticket = Ticket.query.filter_by(number=number).one_or_none()
        assert ticket is not None, f"ticket {number} is not in the database"
        rows = Notification.query.filter_by(ticket_id=ticket.id).order_by(Notification.id).all()
        return (ticket.reporter.openid if ticket.reporter else None,
                [(r.openid, r.status, r.attempts, r.errcode) for r in rows])


def test_dead_notification_stays_pending_and_is_sent_once_by_either_route(queued, standin):
    number = _report(WeChatServer(queued.test_client(), TOKEN), "o-j5")
    assert _outbox(queued, number) == ("o-j5", [])
    standin.fail("message/custom/send", times=3, errcode=-1)  # the first try and both retries
    _change(queued, number, "已派遣")
    assert _outbox(queued, number) == ("o-j5", [("o-j5", "pending", 0, None)])
    queued.extensions["jobs"].work(burst=True)
    runner = queued.test_cli_runner()
    assert "notify.deliver" in runner.invoke(args=["jobs", "failed"]).output
    assert _outbox(queued, number) == ("o-j5", [("o-j5", "pending", 3, -1)])
    assert "queued 1" in runner.invoke(args=["tickets", "notify-pending", "--minutes", "0"]).output
    queued.extensions["jobs"].work(burst=True)
    assert "requeued 1" in runner.invoke(args=["jobs", "requeue", "--all"]).output
    queued.extensions["jobs"].work(burst=True)
    assert len(_texts(standin, "o-j5")) == 1
    assert "0 dead job(s)" in runner.invoke(args=["jobs", "failed"]).output
    assert _outbox(queued, number)[1][0][:2] == ("o-j5", "sent")


def test_two_jobs_for_one_row_send_it_once(queued, standin, backend):
    """notify-pending may queue a row whose first job is still running: the row lock serialises them."""
    import threading

    from sqlalchemy import create_engine, text

    if backend != "postgres":
        pytest.skip("SQLite has no row locks (development only)")
    number = _report(WeChatServer(queued.test_client(), TOKEN), "o-j6")
    _change(queued, number, "已派遣")
    with queued.app_context():
        row_id = Notification.query.one().id
        url = db.engine.url
    other = create_engine(url)
    with other.connect() as first_job:  # the first job holds the row while it sends
        first_job.execute(text("SELECT id FROM ticket_notifications WHERE id = :id FOR UPDATE"), {"id": row_id})
        outcome = {}

        def second_job():
            from bot.tickets import notify

            with queued.app_context():
                outcome["status"] = notify.deliver(row_id)

        thread = threading.Thread(target=second_job)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first job, not sending
        first_job.execute(text("UPDATE ticket_notifications SET status = 'sent' WHERE id = :id"), {"id": row_id})
        first_job.commit()
        thread.join(5)
    other.dispose()
    assert outcome == {"status": "sent"} and _texts(standin, "o-j6") == []
