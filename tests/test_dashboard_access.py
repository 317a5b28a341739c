"""Auth bypass: logged out, another department, not an admin, locked, disabled, odd ids, open redirects.

Routes come from url_map (tests/dashboard_routes.py), so a new one is covered when it is added.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from bot.config import utcnow
from bot.dashboard import auth
from bot.extensions import db
from bot.models import StaffUser, Ticket
from tests.support.dashboard import PASSWORD, csrf, login, make_staff
from tests.support.dashboard_routes import build_world, dashboard_rules, form, snapshot, url
from tests.support.tickets import make_ticket

PUBLIC = {"dashboard.login"}
HUGE = 2**40  # beyond PostgreSQL's integer: must be a 404, not a database error


@pytest.fixture
def world(app, tmp_path):
    """Tickets of two departments (the lights' one has the photo), an admin, a road and a light account."""
    app.config["MEDIA_DIR"] = str(tmp_path)
    (tmp_path / "p.jpg").write_bytes(b"\xff\xd8jpeg")
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_staff(app, "road", "市政设施管理所")
    make_staff(app, "target", "路灯管理所")
    return build_world(app, make_ticket(app, "street_light", "路灯不亮", lat=29.29, lng=106.25),
                       make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25))


def _send(client, method, path, data):
    return client.get(path) if method == "GET" else client.post(path, data=data)


def test_logged_out_every_route_goes_to_the_login_page(app, world):
    client = app.test_client()
    before = snapshot(app)
    for rule, method in dashboard_rules(app):
        if rule.endpoint in PUBLIC:
            continue
        data = {**form(rule.endpoint, world), "csrf_token": csrf(client)}  # a valid token: login_required must stop it
        response = _send(client, method, url(rule, world), data)
        assert response.status_code in (302, 401, 403, 404), (rule.rule, method, response.status_code)
        if response.status_code == 302:
            assert urlsplit(response.headers["Location"]).path == "/dashboard/login", rule.rule
    assert snapshot(app) == before


def test_a_department_never_reaches_another_departments_ticket(app, world):
    client = app.test_client()
    login(client, "road")
    theirs = world["number"]
    assert client.get(f"/dashboard/tickets/{theirs}").status_code == 404
    assert client.get(f"/dashboard/photos/{world['photo_id']}").status_code == 404
    assert theirs not in client.get("/dashboard/tickets.csv").get_data(as_text=True)
    assert theirs not in client.get("/dashboard/", query_string={"category": "street_light"}).get_data(as_text=True)
    token, before = csrf(client, "/dashboard/"), snapshot(app)
    for action in ("status", "reroute", "merge"):
        data = {**form(f"dashboard.{'change_status' if action == 'status' else action}", world), "csrf_token": token}
        assert client.post(f"/dashboard/tickets/{theirs}/{action}", data=data).status_code == 404, action
    mine = world["other_number"]  # merging our ticket into theirs must not find theirs
    client.post(f"/dashboard/tickets/{mine}/merge", data={"into": theirs, "csrf_token": token})
    assert snapshot(app) == before


def test_a_department_account_cannot_reach_admin_pages(app, world):
    client = app.test_client()
    login(client, "road")
    token, before = csrf(client, "/dashboard/"), snapshot(app)
    admin_routes = [(r, m) for r, m in dashboard_rules(app) if r.rule.startswith("/dashboard/manage")]
    assert len(admin_routes) >= 10
    for rule, method in admin_routes:
        response = _send(client, method, url(rule, world), {**form(rule.endpoint, world), "csrf_token": token}
                         if method == "POST" else None)
        assert response.status_code == 403, (rule.rule, method)
    assert snapshot(app) == before
    assert "/dashboard/manage" not in client.get("/dashboard/").get_data(as_text=True)  # no links either


def test_out_of_range_and_unknown_ids_are_404_not_500(app, world):
    client = app.test_client()
    login(client, "admin")
    token = csrf(client, "/dashboard/")
    odd = {**world, "number": "JJ000000000000", "photo_id": HUGE, "lot_id": HUGE, "staff_id": HUGE, "keyword_id": HUGE}
    for rule, method in dashboard_rules(app):
        if rule.arguments:
            response = _send(client, method, url(rule, odd), {**form(rule.endpoint, world), "csrf_token": token})
            assert response.status_code == 404, (rule.rule, method, response.status_code)


def test_a_disabled_account_is_logged_out_at_once(app, world):
    admin, target = app.test_client(), app.test_client()
    login(admin, "admin")
    login(target, "target")
    assert target.get("/dashboard/").status_code == 200
    admin.post(f"/dashboard/manage/accounts/{world['staff_id']}",
               data={"action": "disable", "csrf_token": csrf(admin, "/dashboard/manage/accounts")})
    response = target.get("/dashboard/")
    assert response.status_code == 302 and "/dashboard/login" in response.headers["Location"]


def test_lock_out_after_five_failures_and_its_end(app, world, monkeypatch):
    client = app.test_client()
    for _ in range(auth.MAX_FAILURES):
        assert login(client, "road", "wrong-password").status_code == 401
    assert login(client, "road").status_code == 429  # the right password does not help while locked
    assert login(client, " road ").status_code == 429
    later = utcnow() + timedelta(minutes=auth.LOCK_MINUTES + 1)
    monkeypatch.setattr(auth, "utcnow", lambda: later)
    for key in app.extensions["redis"].scan_iter("login:fail:*"):  # Redis's counters expire with the lock
        app.extensions["redis"].delete(key)
    assert login(client, "road").status_code == 302


def test_an_unknown_name_locks_like_a_real_one(app, world):
    client = app.test_client()
    for name in ("road", "no-such-clerk"):
        for _ in range(auth.MAX_FAILURES):
            assert login(client, name, "wrong-password").status_code == 401
        response = login(client, name, "wrong-password")
        assert response.status_code == 429 and auth.TOO_MANY in response.get_data(as_text=True)


def test_an_address_guessing_many_names_waits_but_others_do_not(make_app):
    app = make_app(TRUSTED_PROXIES=1)
    make_staff(app, "road", "市政设施管理所")
    guesser, colleague = app.test_client(), app.test_client()
    for i in range(auth.ADDRESS_FAILURES):
        guesser.environ_base.update(HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert login(guesser, f"guess-{i}", "x").status_code == 401
    assert login(guesser, "road").status_code == 429  # even a real name with its password
    colleague.environ_base.update(HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert login(colleague, "road").status_code == 302


def test_a_forged_forwarded_address_does_not_help_without_a_trusted_proxy(app, world):
    client = app.test_client()
    for i in range(auth.ADDRESS_FAILURES):
        client.environ_base.update(HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")  # ignored: no proxy is trusted
        assert login(client, f"guess-{i}", "x").status_code == 401
    assert login(client, "road").status_code == 429


def test_unknown_users_fail_like_wrong_passwords(app, world, monkeypatch):
    """Same answer, and the same password hashing (no timing difference between names)."""
    hashed = []
    real = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda *args: hashed.append(1) or real(*args))
    client = app.test_client()
    for name in ("nobody", "' OR 1=1 --", "admin' --", "a" * 5000, "\u202eadmin"):
        response = login(client, name, "x")
        assert response.status_code == 401 and "用户名或密码错误" in response.get_data(as_text=True)
    assert len(hashed) == 5
    with app.app_context():
        assert db.session.execute(select(StaffUser.failed_logins).filter_by(username="admin")).scalar() == 0


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
                                    "javascript:alert(1)", "https:evil.example"])
def test_login_never_redirects_off_site(app, world, target):
    client = app.test_client()
    response = client.post("/dashboard/login", query_string={"next": target},
                           data={"username": "admin", "password": PASSWORD, "csrf_token": csrf(client)})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost") and location.path.startswith("/dashboard")
    again = client.get("/dashboard/login", query_string={"next": target})
    assert urlsplit(again.headers["Location"]).netloc in ("", "localhost")


def test_session_cookie_flags(app, world, make_app):
    client = app.test_client()
    cookie = login(client, "admin").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    production = make_app(PRODUCTION=True)
    make_staff(production, "admin", "数字城管指挥中心", admin=True)
    secure = login(production.test_client(), "admin").headers["Set-Cookie"]
    assert "Secure" in secure and "HttpOnly" in secure


def test_open311_post_needs_a_valid_key_and_hides_the_reporter(make_app):
    from tests.support.open311 import BASE, KEY, post

    app = make_app(OPEN311_API_KEYS=[KEY])
    api = app.test_client()
    for key in (None, "", "wrong", KEY[:-1], KEY.upper(), "' OR 1=1 --"):
        assert post(api, api_key=key).status_code == 403, key
    with app.app_context():
        assert db.session.execute(select(db.func.count(Ticket.id))).scalar() == 0
    make_ticket(app, openid="o-secret-openid", phone="13812345678")
    for fmt in ("json", "xml"):
        body = api.get(f"{BASE}/requests.{fmt}").get_data(as_text=True)
        assert "JJ" in body and "o-secret-openid" not in body and "13812345678" not in body and "张小明" not in body
