"""CSRF: every state-changing dashboard route (read from url_map) refuses a POST without a valid token.

Each route gets a form that does change the database when it carries the session's token (the
control), so "nothing changed" without it means the token was what stopped it.
"""

import io

import pytest

from bot.dashboard import csrf as csrf_protect
from tests.support.dashboard import csrf, login, make_staff
from tests.support.dashboard_routes import build_world, dashboard_rules, form, snapshot, url
from tests.support.tickets import make_ticket

MACHINE_BLUEPRINTS = {"wechat", "open311", "parking_api", "simulator"}  # signature / key, never a browser session
SESSION_ONLY = {"dashboard.logout", "dashboard.login"}  # change the session, not the database


@pytest.fixture
def world(app, tmp_path):
    app.config["MEDIA_DIR"] = str(tmp_path)
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_staff(app, "target", "路灯管理所")
    return build_world(app, make_ticket(app, "manhole_cover", "井盖不见了", lat=29.29, lng=106.25),
                       make_ticket(app, "manhole_cover", "又一个井盖", lat=29.29, lng=106.25))


def _posts(app):
    return [rule for rule, method in dashboard_rules(app) if method != "GET"]


def _bad_tokens(app):
    """No token, a forged one, and a real token from someone else's session."""
    stranger = app.test_client()
    return [None, "forged-token", "", csrf(stranger)]


def test_every_state_changing_route_needs_the_sessions_token(app, world):
    client = app.test_client()
    login(client, "admin")
    routes = _posts(app)
    assert len(routes) >= 10, routes
    for rule in routes:
        path = url(rule, world)
        for token in _bad_tokens(app):
            before = snapshot(app)
            data = form(rule.endpoint, world)
            if token is not None:
                data["csrf_token"] = token
            response = client.post(path, data=data)
            assert response.status_code in (400, 403), (path, token, response.status_code)
            assert snapshot(app) == before, (path, token)
        assert client.get("/dashboard/").status_code == 200  # still logged in: logout was refused too


def test_the_same_forms_with_the_token_do_change_something(app, world):
    client = app.test_client()
    login(client, "admin")
    for rule in _posts(app):
        if rule.endpoint in SESSION_ONLY:
            continue
        before = snapshot(app)
        data = {**form(rule.endpoint, world), "csrf_token": csrf(client, "/dashboard/")}
        response = client.post(url(rule, world), data=data)
        assert response.status_code == 302, rule.rule
        assert snapshot(app) != before, rule.rule


def test_only_machine_endpoints_are_exempt(app):
    exempt = {bp.name for bp in csrf_protect._exempt_blueprints}
    assert exempt <= MACHINE_BLUEPRINTS and not csrf_protect._exempt_views
    for rule in app.url_map.iter_rules():
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            blueprint = rule.endpoint.split(".")[0]
            assert blueprint == "dashboard" or blueprint in exempt, rule.rule


def test_machine_endpoints_refuse_without_their_own_credentials(app):
    client = app.test_client()
    before = snapshot(app)
    assert client.post("/wechat", data="<xml/>").status_code == 403
    assert client.post("/open311/v2/requests.json", data={"service_code": "noise", "address_string": "x"}
                       ).status_code == 403
    assert client.post("/api/parking/occupancy", json={"lot_id": 1, "free_spaces": 1}).status_code == 401
    assert snapshot(app) == before


def test_logging_in_needs_a_token_too(app):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    client = app.test_client()
    response = client.post("/dashboard/login", data={"username": "admin", "password": "correct-horse-battery"})
    assert response.status_code == 400 and client.get("/dashboard/").status_code == 302


def test_nul_and_junk_in_any_field_of_any_form_never_500(app, world):
    """PostgreSQL refuses NUL in text: every field of every form (and the login) is tried with it."""
    client = app.test_client()
    login(client, "admin")
    token = csrf(client, "/dashboard/")
    for rule in _posts(app):
        if rule.endpoint in SESSION_ONLY:
            continue
        valid = form(rule.endpoint, world)
        for field in [name for name, value in valid.items() if isinstance(value, str)]:
            for junk in ("x\x00y", "\x00", "9" * 30, "x" * 5000):
                data = {**form(rule.endpoint, world), field: junk, "csrf_token": token}
                response = client.post(url(rule, world), data=data)
                assert response.status_code in (302, 400, 404), (rule.rule, field, junk, response.status_code)
    lot = "name,address,lat,lng,spaces,schedule,fee,phone\nA\x00B,路1号,29.29,106.25,5,daily 00:00-24:00,免费,1\n"
    response = client.post("/dashboard/manage/parking", data={"csrf_token": token,
                                                              "file": (io.BytesIO(lot.encode()), "lots.csv")})
    assert response.status_code in (302, 400)
    other = app.test_client()
    response = other.post("/dashboard/login", data={"username": "ad\x00min", "password": "x", "csrf_token": csrf(other)})
    assert response.status_code in (400, 401)
    assert client.get("/dashboard/manage/garbage", query_string={"q": "电\x00池"}).status_code in (200, 400)


def test_no_get_request_changes_the_database(app, world):
    """CSRF protection covers POST only, so every GET route (with a state-changing form as its query) must be safe."""
    client = app.test_client()
    login(client, "admin")
    before = snapshot(app)
    for rule in [rule for rule, method in dashboard_rules(app) if method == "GET" or "GET" not in rule.methods]:
        query = {k: v for k, v in form(rule.endpoint, world).items() if isinstance(v, str)}
        client.get(url(rule, world), query_string=query)  # POST-only routes too: their form sent as a GET
    assert snapshot(app) == before
