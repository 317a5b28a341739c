"""The ticket service that chat, dashboard, CLI and Open311 share: numbers, states, outbox."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot import supervisors as points
from bot import tickets
from bot.extensions import db
from bot.models import PointEntry, Supervisor, Ticket, TicketFollower, User
from bot.models.reports import Notification
from bot.tickets import notify

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _user(openid):
    user = User(openid=openid)
    db.session.add(user)
    db.session.commit()
    return user


def _ticket(code="manhole_cover", lat=29.29, lng=106.25, **kwargs):
    ticket, created = tickets.create_ticket(db.session, category_code=code, description="井盖不见了",
                                            source="resident", lat=lat, lng=lng, now=NOW, **kwargs)
    assert created
    return ticket


def test_ticket_is_routed_numbered_dated_and_has_history(app):
    with app.app_context():
        ticket = _ticket(reporter=_user("o-t1"))
        assert ticket.number == "JJ202611240001" and ticket.status == tickets.ACCEPTED
        assert ticket.department.name == "市政设施管理所"
        assert ticket.due_at == datetime(2026, 11, 24, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # 4 working h
        assert [(h.action, h.to_status) for h in ticket.history] == [("created", "已受理")]


def test_unknown_category_goes_to_triage(app):
    with app.app_context():
        assert _ticket("no_such_thing").department.name == "数字城管指挥中心"


def test_idempotency_key_returns_the_existing_ticket(app):
    with app.app_context():
        first = _ticket(idempotency_key="k-1")
        again, created = tickets.create_ticket(db.session, category_code="road_damage", description="x",
                                               source="resident", idempotency_key="k-1", now=NOW)
        assert not created and again.id == first.id
        assert db.session.execute(select(func.count(Ticket.id))).scalar() == 1


def test_numbers_are_unique_under_concurrency(app, backend):
    if backend != "postgres":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises whole-database writes)")
    numbers, errors = [], []

    def file_one(i):
        with app.app_context():
            try:
                ticket, _ = tickets.create_ticket(db.session, category_code="road_damage", description=f"#{i}",
                                                  source="resident", now=NOW, idempotency_key=f"c-{i % 10}")
                numbers.append(ticket.number)
            except Exception as error:  # noqa: BLE001 - the assertion below reports it
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=file_one, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(numbers)) == 10  # ten keys, each filed once, retries got the same ticket
    assert sorted(set(numbers)) == [f"JJ20261124{i:04d}" for i in range(1, 11)]  # and no gaps


def test_find_duplicate_within_the_category_radius(app):
    with app.app_context():
        ticket = _ticket(lat=29.29, lng=106.25)
        assert tickets.find_duplicate(db.session, "manhole_cover", 29.29015, 106.25, NOW).id == ticket.id  # ~17 m
        assert tickets.find_duplicate(db.session, "manhole_cover", 29.2905, 106.25, NOW) is None  # ~56 m > 30 m
        assert tickets.find_duplicate(db.session, "street_light", 29.29, 106.25, NOW) is None
        tickets.change_status(db.session, ticket, tickets.RESOLVED, actor="t")
        assert tickets.find_duplicate(db.session, "manhole_cover", 29.29, 106.25, NOW) is None


def test_transitions_are_checked(app):
    with app.app_context():
        ticket = _ticket()
        for state in (tickets.DISPATCHED, tickets.IN_PROGRESS, tickets.RESOLVED):
            tickets.change_status(db.session, ticket, state, actor="staff:t")
        with pytest.raises(tickets.TicketError):
            tickets.change_status(db.session, ticket, tickets.DISPATCHED, actor="staff:t")
        with pytest.raises(tickets.TicketError):
            tickets.change_status(db.session, ticket, "修好了", actor="staff:t")
        assert [h.to_status for h in ticket.history] == ["已受理", "已派遣", "处置中", "已办结"]
        assert ticket.resolved_at is not None


def test_reject_needs_a_reason_and_takes_points_back(app):
    with app.app_context():
        supervisor = Supervisor(name="甲", invite_code="AAAAAA")
        db.session.add(supervisor)
        ticket = _ticket(supervisor=supervisor)
        assert ticket.status == tickets.DISPATCHED and supervisor.points == points.FIRST_REPORT
        with pytest.raises(tickets.TicketError):
            tickets.reject(db.session, ticket, actor="staff:t", reason="  ")
        tickets.reject(db.session, ticket, actor="staff:t", reason="属于小区物业")
        assert ticket.status == tickets.REJECTED and ticket.reject_reason == "属于小区物业"
        assert supervisor.points == 0
        assert sum(e.points for e in db.session.execute(select(PointEntry)).scalars()) == 0


def test_reroute_changes_department_and_notifies(app):
    with app.app_context():
        ticket = _ticket(reporter=_user("o-t2"))
        sent = []
        tickets.reroute(db.session, ticket, "street_light", actor="staff:t", enqueue=lambda f, *a: sent.append(a))
        assert ticket.department.name == "路灯管理所"
        assert "路灯管理所" in ticket.history[-1].note and len(sent) == 1
        with pytest.raises(tickets.TicketError):
            tickets.reroute(db.session, ticket, "nope", actor="staff:t")


def test_merge_makes_the_reporter_a_follower(app):
    with app.app_context():
        keep = _ticket(reporter=_user("o-t3"))
        other = _ticket(reporter=_user("o-t4"), lat=29.5)
        tickets.merge(db.session, other, keep, actor="staff:t")
        assert other.status == tickets.REJECTED and keep.number in other.reject_reason
        assert other.duplicate_of_id == keep.id
        assert db.session.execute(select(TicketFollower.user_id)).scalars().all() == [other.reporter_id]
        with pytest.raises(tickets.TicketError):
            tickets.merge(db.session, keep, keep, actor="staff:t")


def test_rating_only_by_the_reporter_of_a_resolved_ticket(app):
    with app.app_context():
        reporter, stranger = _user("o-t5"), _user("o-t6")
        ticket = _ticket(reporter=reporter)
        with pytest.raises(tickets.TicketError):
            tickets.rate(db.session, ticket, 5, user=reporter)
        tickets.change_status(db.session, ticket, tickets.RESOLVED, actor="staff:t")
        with pytest.raises(tickets.TicketError):
            tickets.rate(db.session, ticket, 5, user=stranger)
        assert tickets.rate(db.session, ticket, 1, user=reporter).to_status == tickets.IN_PROGRESS
        assert ticket.rating == 1 and ticket.resolved_at is None


def test_every_change_writes_an_outbox_row_per_person(app):
    with app.app_context():
        ticket = _ticket(reporter=_user("o-t7"))
        tickets.follow(db.session, ticket, _user("o-t8"))
        queued = []
        tickets.change_status(db.session, ticket, tickets.RESOLVED, actor="t", enqueue=lambda f, *a: queued.append(a))
        rows = db.session.execute(select(Notification).order_by(Notification.id)).scalars().all()
        assert [(r.openid, r.asks_rating, r.status) for r in rows] == [("o-t7", True, "pending"),
                                                                     ("o-t8", False, "pending")]
        assert queued == [(rows[0].id,), (rows[1].id,)]
        tickets.change_status(db.session, ticket, tickets.IN_PROGRESS, actor="t")  # no enqueue: nobody told
        assert db.session.execute(select(func.count(Notification.id))).scalar() == 2


def test_pending_rows_are_found_for_the_sweeper(app):
    from datetime import timedelta

    with app.app_context():
        ticket = _ticket(reporter=_user("o-t9"))
        tickets.change_status(db.session, ticket, tickets.DISPATCHED, actor="t", enqueue=lambda *a: None)
        assert notify.pending(db.session) == []  # too fresh: its job may still be running
        assert len(notify.pending(db.session, older_than=timedelta(0))) == 1
