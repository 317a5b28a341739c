"""Dashboard with the test client: accounts, CSRF, lock-out, department isolation, actions, CSV."""

from bot.models import Ticket
from tests.support.dashboard import csrf, login, make_staff
from tests.support.tickets import make_ticket


def test_staff_create_contract(app, runner):
    result = runner.invoke(args=["staff", "create", "--username", "li", "--department", "路灯管理所",
                                 "--password", "long-enough-pw"])
    assert result.exit_code == 0 and "li" in result.output
    bad = runner.invoke(args=["staff", "create", "--username", "x", "--department", "不存在", "--password", "long-enough-pw"])
    assert bad.exit_code != 0


def test_login_required_and_login_works(app, client):
    assert client.get("/dashboard/").status_code == 302
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    assert login(client, "admin").status_code == 302
    assert "工单" in client.get("/dashboard/").get_data(as_text=True)


def test_post_without_csrf_token_is_rejected(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    number = make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    login(client, "admin")
    response = client.post(f"/dashboard/tickets/{number}/status", data={"status": "已派遣"})
    assert response.status_code == 400
    with app.app_context():
        assert Ticket.query.filter_by(number=number).one().status == "已受理"


def test_lockout_after_repeated_failures(app, client):
    make_staff(app, "wang", "市政设施管理所")
    for _ in range(5):
        assert login(client, "wang", "wrong-password").status_code == 401
    assert login(client, "wang").status_code == 429  # even the right password waits


def test_department_staff_see_only_their_department(app, client):
    make_staff(app, "road", "市政设施管理所")
    mine = make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    theirs = make_ticket(app, "street_light", "路灯不亮", lat=29.29, lng=106.25)
    login(client, "road")
    listing = client.get("/dashboard/").get_data(as_text=True)
    assert mine in listing and theirs not in listing
    assert client.get(f"/dashboard/tickets/{theirs}").status_code == 404
    token = csrf(client, f"/dashboard/tickets/{mine}")
    response = client.post(f"/dashboard/tickets/{theirs}/status", data={"status": "已派遣", "csrf_token": token})
    assert response.status_code == 404
    assert client.get("/dashboard/manage/garbage").status_code == 403


def test_change_state_filter_and_history(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    number = make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    other = make_ticket(app, "noise", "太吵了", lat=29.29, lng=106.25)
    login(client, "admin")
    token = csrf(client, f"/dashboard/tickets/{number}")
    client.post(f"/dashboard/tickets/{number}/status", data={"status": "已派遣", "note": "派市政", "csrf_token": token})
    page = client.get(f"/dashboard/tickets/{number}").get_data(as_text=True)
    assert "工作人员 admin" in page and "状态变更" in page and "派市政" in page and "staff:" not in page
    filtered = client.get("/dashboard/?status=已派遣").get_data(as_text=True)
    assert number in filtered and other not in filtered


def test_hostile_text_is_escaped(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    number = make_ticket(app, "manhole_cover", "<script>alert(1)</script>", lat=29.29, lng=106.25)
    login(client, "admin")
    page = client.get(f"/dashboard/tickets/{number}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_csv_export_neutralises_formulas(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_ticket(app, "manhole_cover", "=HYPERLINK(\"http://evil\")", lat=29.29, lng=106.25)
    login(client, "admin")
    body = client.get("/dashboard/tickets.csv").get_data(as_text=True)
    assert "工单号" in body and "'=HYPERLINK" in body


def test_stats_page_and_manage_pages(app, client):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25)
    login(client, "admin")
    page = client.get("/dashboard/stats").get_data(as_text=True)
    assert "chart-category" in page and "窨井盖缺失破损" in page
    for path in ("garbage", "supervisors", "categories", "parking"):
        assert client.get(f"/dashboard/manage/{path}").status_code == 200


def test_admin_edits_one_lot_with_the_schedule_checked(app, client):
    from bot.extensions import db
    from bot.models.parking import ParkingLot
    from tests.support.dashboard import csrf

    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    login(client, "admin")
    with app.app_context():
        lot = db.session.execute(db.select(ParkingLot).limit(1)).scalar_one()
        lot_id, old = lot.id, (lot.spaces, lot.schedule)
    token = csrf(client, "/dashboard/manage/parking")
    bad = client.post(f"/dashboard/manage/parking/{lot_id}", data={"spaces": "10", "schedule": "someday 10-12",
                                                                    "csrf_token": token}, follow_redirects=True)
    assert "未保存" in bad.get_data(as_text=True)
    client.post(f"/dashboard/manage/parking/{lot_id}", data={"spaces": "99", "schedule": "daily 06:00-22:00",
                                                              "fee": "免费", "csrf_token": token})
    with app.app_context():
        lot = db.session.get(ParkingLot, lot_id)
        assert (lot.spaces, lot.schedule, lot.fee) == (99, "daily 06:00-22:00", "免费")
        lot.spaces, lot.schedule = old  # the sample lots are reference data kept between tests
        db.session.commit()


def test_admins_see_how_many_jobs_are_dead(make_app):
    import operator

    app = make_app(JOBS_ASYNC=True, JOB_RETRY_INTERVALS=[0])
    app.extensions["jobs"].enqueue(operator.truediv, 1, 0)
    app.extensions["jobs"].work(burst=True)
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_staff(app, "roads", "市政设施管理所")
    client = app.test_client()
    login(client, "admin")
    page = client.get("/dashboard/stats").get_data(as_text=True)
    assert '<div class="card" id="dead-jobs"><b>1</b>' in page
    other = app.test_client()
    login(other, "roads")
    assert "dead-jobs" not in other.get("/dashboard/stats").get_data(as_text=True)
