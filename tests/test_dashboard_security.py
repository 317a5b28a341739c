"""Dashboard security: idle timeout, CSRF page, headers, photos and CSV per department."""

import re

import itsdangerous

from bot.extensions import db
from bot.models import Ticket, TicketPhoto
from tests.support.dashboard import csrf, login, make_staff
from tests.support.tickets import make_ticket


def test_idle_session_expires(app, client, monkeypatch):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    login(client, "admin")
    assert client.get("/dashboard/").status_code == 200
    real = itsdangerous.TimestampSigner.get_timestamp
    monkeypatch.setattr(itsdangerous.TimestampSigner, "get_timestamp", lambda self: real(self) + 31 * 60)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/dashboard/login" in response.headers["Location"]


def test_csrf_failure_page_and_security_headers(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    response = client.post("/dashboard/login", data={"username": "admin", "password": "x"})
    assert response.status_code == 400 and "请刷新页面后重试" in response.get_data(as_text=True)
    page = client.get("/dashboard/login")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_photo_route_needs_login_and_the_right_department(app, client, tmp_path):
    app.config["MEDIA_DIR"] = str(tmp_path)
    (tmp_path / "p.jpg").write_bytes(b"\xff\xd8jpeg")
    theirs = make_ticket(app, "street_light", "路灯不亮", lat=29.29, lng=106.25)
    with app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=theirs)).scalar_one()
        photo = TicketPhoto(ticket=ticket, path="p.jpg")
        db.session.add(photo)
        db.session.commit()
        photo_id = photo.id
    assert client.get(f"/dashboard/photos/{photo_id}").status_code == 302  # to the login page
    make_staff(app, "road", "市政设施管理所")
    make_staff(app, "light", "路灯管理所")
    login(client, "road")
    assert client.get(f"/dashboard/photos/{photo_id}").status_code == 404
    client.post("/dashboard/logout", data={"csrf_token": csrf(client, "/dashboard/")})
    login(client, "light")
    assert client.get(f"/dashboard/photos/{photo_id}").get_data() == b"\xff\xd8jpeg"


def test_department_csv_and_filters_never_reach_other_departments(app, client):
    make_staff(app, "road", "市政设施管理所")
    mine = make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    theirs = make_ticket(app, "street_light", "路灯不亮", lat=29.29, lng=106.25)
    with app.app_context():
        their_department = db.session.execute(db.select(Ticket).filter_by(number=theirs)).scalar_one().department_id
    login(client, "road")
    body = client.get("/dashboard/tickets.csv", query_string={"department": their_department}).get_data(as_text=True)
    assert mine in body and theirs not in body
    listing = client.get("/dashboard/", query_string={"department": their_department}).get_data(as_text=True)
    assert theirs not in listing
    assert client.get("/dashboard/tickets/%00").status_code == 404


def test_filters_by_source_and_overdue(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    fresh = make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    late = make_ticket(app, "noise", "太吵了", lat=29.29, lng=106.25)
    with app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=late)).scalar_one()
        ticket.due_at = ticket.created_at.replace(year=2000)
        db.session.commit()
    login(client, "admin")
    overdue = client.get("/dashboard/?overdue=1").get_data(as_text=True)
    assert late in overdue and fresh not in overdue
    assert fresh in client.get("/dashboard/?source=resident").get_data(as_text=True)
    assert fresh not in client.get("/dashboard/?source=open311").get_data(as_text=True)


def test_statistics_have_weekly_trend_and_on_time_chart(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_ticket(app, "manhole_cover", "</script><script>alert(1)</script>", lat=29.29, lng=106.25)
    login(client, "admin")
    page = client.get("/dashboard/stats").get_data(as_text=True)
    assert "chart-weekly" in page and "chart-on-time" in page and "<script>alert(1)" not in page


def test_staff_create_reads_env_or_prompts(app, runner):
    from bot.models import StaffUser

    env = runner.invoke(args=["staff", "create", "--username", "env", "--department", "路灯管理所"],
                        env={"STAFF_PASSWORD": "from-the-environment"})
    prompted = runner.invoke(args=["staff", "create", "--username", "ask", "--department", "路灯管理所"],
                             input="typed-password-1\ntyped-password-1\n", env={"STAFF_PASSWORD": ""})
    short = runner.invoke(args=["staff", "create", "--username", "short", "--department", "路灯管理所",
                                "--password", "short"])
    assert env.exit_code == 0 and prompted.exit_code == 0 and short.exit_code != 0
    with app.app_context():
        ask = db.session.execute(db.select(StaffUser).filter_by(username="ask")).scalar_one()
        assert ask.check_password("typed-password-1") and "typed-password-1" not in ask.password_hash


def test_admin_unlocks_and_disables_accounts(app, client):
    from bot.models import StaffUser

    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_staff(app, "wang", "市政设施管理所")
    for _ in range(5):
        login(client, "wang", "wrong-password")
    login(client, "admin")
    with app.app_context():
        wang = db.session.execute(db.select(StaffUser).filter_by(username="wang")).scalar_one().id
    token = csrf(client, "/dashboard/manage/accounts")
    assert "已锁定" in client.get("/dashboard/manage/accounts").get_data(as_text=True)
    client.post(f"/dashboard/manage/accounts/{wang}", data={"action": "unlock", "csrf_token": token})
    client.post(f"/dashboard/manage/accounts/{wang}", data={"action": "disable", "csrf_token": token})
    other = app.test_client()
    assert login(other, "wang").status_code == 401  # disabled, no longer locked
    client.post(f"/dashboard/manage/accounts/{wang}", data={"action": "enable", "csrf_token": token})
    assert login(other, "wang").status_code == 302


def test_rerouting_a_ticket_away_returns_to_the_queue(app, client):
    make_staff(app, "road", "市政设施管理所")
    number = make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    login(client, "road")
    token = csrf(client, f"/dashboard/tickets/{number}")
    response = client.post(f"/dashboard/tickets/{number}/reroute", data={"category": "street_light", "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard/")
    assert client.get(f"/dashboard/tickets/{number}").status_code == 404


def test_queue_pages_keep_the_filters(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    with app.app_context():
        from bot import tickets

        for _ in range(52):
            tickets.create_ticket(db.session, category_code="noise", description="吵", source="resident")
    login(client, "admin")
    first = client.get("/dashboard/?category=noise").get_data(as_text=True)
    assert "共 52 条" in first and "page=2" in first and "category=noise" in first
    second = client.get("/dashboard/?category=noise&page=2").get_data(as_text=True)
    assert second.count('class="state"') == 2
    assert client.get("/dashboard/?page=99999999").status_code == 200


def test_dashboard_with_the_database_down_is_a_plain_503_page(redis_url):
    from bot import create_app

    broken = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        "REDIS_URL": redis_url, "WECHAT_TOKEN": "t", "SECRET_KEY": "t",
    })
    client = broken.test_client()
    page = client.get("/dashboard/login")  # no database needed to show the form
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/dashboard/login", data={"username": "wang", "password": "x", "csrf_token": token})
    assert response.status_code == 503 and "数据库暂时连不上" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "60"
