"""Stored injection end to end: hostile text from every outside channel reaches staff inert.

Citizens (through the real /wechat route), Open311 clients, CSV files and staff themselves fill
every field staff later see with PAYLOADS; every staff page, the CSV export and Open311's JSON
and XML must show the text as text: no markup, no evaluated template, no formula, no js: link.
"""

import csv
import html
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import utcnow
from bot.extensions import db
from bot.models import QuizRound, Ticket, User
from bot.models.parking import ParkingLot
from tests.support import hostile as h
from tests.support.dashboard import csrf, login, make_staff
from tests.support.open311 import BASE, KEY
from tests.support.open311 import post as open311_post
from tests.support.tickets import NUMBER

SHORT = [h.SCRIPT, h.ATTRIBUTE, h.TEMPLATE, h.FORMULA]  # for fields of 32 characters or so
QUIZ_CLASSES = ["<b>x</b>班", '"><svg/onload=1>班', "{{7*7}}班", "=1+1班"]
STAFF_KEYWORDS = ['"><svg/onload=1>', "<b>粗体</b>", "{{7*7}}噪音"]  # 2–20 characters, no spaces
STAFF_PAGES = ["/dashboard/", "/dashboard/stats", "/dashboard/manage/garbage", "/dashboard/manage/supervisors",
               "/dashboard/manage/parking", "/dashboard/manage/accounts", "/dashboard/manage/categories"]


def _report(wechat, openid, label):
    """A resident's report from the first message to 确认; returns the ticket number."""
    wechat.location(openid, 29.2905, 106.2590, label=label)
    wechat.image(openid, media_id=h.ATTRIBUTE, pic_url=h.JS_URL)
    wechat.say(openid, "好了")
    wechat.say(openid, h.SQL)  # not a phone number: asked again
    wechat.say(openid, "跳过")
    done = wechat.say(openid, "确认")
    assert NUMBER.search(done), done
    return NUMBER.search(done).group(0)


def _chat_channels(wechat):
    """Text, voice and location label from the chat; unknown garbage items."""
    wechat.say("o-text", f"F01 滨江路的井盖不见了 {h.ALL}")
    numbers = [_report(wechat, "o-text", "F02 " + h.ALL)]
    wechat.voice("o-voice", f"F03 路灯坏了 {h.ALL}")
    numbers.append(_report(wechat, "o-voice", h.ATTRIBUTE))
    for item in SHORT:
        wechat.say("o-garbage", f"{item}是什么垃圾")
    return numbers


def _outside_channels(app, wechat):
    """Open311, the CLI (supervisors, schools, staff) and quiz results."""
    api = app.test_client()
    created = open311_post(api, description=f"F04 {h.ALL}", address_string=f"F05 {h.ALL}", first_name=h.SCRIPT,
                           last_name=h.ATTRIBUTE, email="f06@evil.example", phone="13900001111")
    assert created.status_code == 201, created.get_data(as_text=True)
    assert open311_post(api, description="F04", media_url=h.JS_URL).status_code == 400  # refused, never a link
    assert open311_post(api, lat=h.SQL, long=h.SCRIPT).status_code == 400
    runner = app.test_cli_runner()
    for name in SHORT:
        assert runner.invoke(args=["supervisor", "invite", "--name", name, "--phone", h.FORMULA[:30]]).exit_code == 0
    assert runner.invoke(args=["quiz", "school", "add", "EVIL", f"F07 {h.ATTRIBUTE}"]).exit_code == 0
    for i, klass in enumerate(QUIZ_CLASSES):  # the chat's 「班级 姓名」 step takes these as they are
        wechat.say(f"o-quiz{i}", "加入学校 EVIL")
        wechat.say(f"o-quiz{i}", f"{klass} 张三")
    with app.app_context():
        students = db.session.execute(select(User).filter(User.openid.like("o-quiz%"))).scalars().all()
        assert sorted(u.class_name for u in students) == sorted(QUIZ_CLASSES)
        for user in students:  # a finished round each (ten questions through the chat are another test's job)
            db.session.add(QuizRound(user_id=user.id, school_code="EVIL", class_name=user.class_name, day="20261129",
                                     finished_at=utcnow(), score=7, counts=True))
        db.session.commit()
    return created.get_json()[0]["service_request_id"]


def lots_csv(*rows):
    """A parking import file (the contract's columns) with these rows, as an upload."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "address", "lat", "lng", "spaces", "schedule", "fee", "phone"])
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


def _staff_channels(client, numbers):
    """Parking CSV import and edits, supervisors' form, ticket notes and reasons, garbage form."""
    token = csrf(client, "/dashboard/manage/parking")
    lot = [f"F08 {h.SCRIPT}", h.ATTRIBUTE, 29.29, 106.25, 10, "daily 00:00-24:00", h.FORMULA, h.FORMULA[:30]]
    client.post("/dashboard/manage/parking", data={"csrf_token": token, "file": (lots_csv(lot), "lots.csv")})
    client.post("/dashboard/manage/supervisors", data={"csrf_token": token, "name": h.TEMPLATE, "phone": h.SQL})
    client.post("/dashboard/manage/garbage", data={"csrf_token": token, "name": h.TEMPLATE[:20], "category": "其他垃圾",
                                                    "aliases": h.SCRIPT})
    for keyword in STAFF_KEYWORDS:
        client.post("/dashboard/manage/categories/keywords", data={"csrf_token": token, "keyword": keyword,
                                                                   "category": "noise", "weight": "3"})
    client.post(f"/dashboard/tickets/{numbers[0]}/status", data={"csrf_token": token, "status": "已派遣",
                                                                  "note": f"F09 {h.ALL}"})
    client.post(f"/dashboard/tickets/{numbers[1]}/status", data={"csrf_token": token, "status": "不予受理",
                                                                  "reason": f"F10 {h.ALL}"})


@pytest.fixture
def hostile(app, wechat):
    """Every field filled with payloads; an admin client logged in; the ticket numbers."""
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    make_staff(app, h.ATTRIBUTE[:30], "市政设施管理所")
    numbers = _chat_channels(wechat)
    app.config["OPEN311_API_KEYS"] = [KEY]
    client = app.test_client()
    numbers.append(_outside_channels(app, wechat))
    login(client, "admin")
    _staff_channels(client, numbers)
    return client, numbers


def test_every_staff_page_shows_payloads_as_text(hostile):
    client, numbers = hostile
    pages = {path: client.get(path) for path in STAFF_PAGES + [f"/dashboard/tickets/{n}" for n in numbers]}
    for path, response in pages.items():
        assert response.status_code == 200, path
        h.assert_inert_html(response.get_data(as_text=True), path)
    text = {path: html.unescape(r.get_data(as_text=True)) for path, r in pages.items()}
    ticket = text[f"/dashboard/tickets/{numbers[0]}"]
    assert "F01" in ticket and "F02" in ticket and "F09" in ticket and h.SCRIPT in ticket  # shown, escaped
    assert "F03" in text[f"/dashboard/tickets/{numbers[1]}"] and "F10" in text[f"/dashboard/tickets/{numbers[1]}"]
    assert "F04" in text[f"/dashboard/tickets/{numbers[2]}"] and "F05" in text[f"/dashboard/tickets/{numbers[2]}"]
    assert "F08" in text["/dashboard/manage/parking"] and h.FORMULA in text["/dashboard/manage/parking"]
    assert h.TEMPLATE in text["/dashboard/manage/supervisors"] and h.SCRIPT in text["/dashboard/manage/supervisors"]
    assert h.ATTRIBUTE[:30] in text["/dashboard/manage/accounts"]
    assert all(k in text["/dashboard/manage/categories"] for k in STAFF_KEYWORDS)
    assert '"><img' in text["/dashboard/manage/garbage"] and "onerror=alert(1)>" in text["/dashboard/stats"]  # unknown items
    assert "F07" in text["/dashboard/stats"] and all(k in text["/dashboard/stats"] for k in QUIZ_CLASSES)


def test_no_javascript_url_from_a_channel_becomes_a_link(hostile, app):
    client, numbers = hostile
    for number in numbers:
        h.assert_inert_html(client.get(f"/dashboard/tickets/{number}").get_data(as_text=True), number)
    record = app.test_client().get(f"{BASE}/requests/{numbers[2]}.json").get_json()[0]
    assert record["media_url"] == ""  # only http(s) links are ever kept


def test_csv_export_is_formula_safe_and_complete(hostile):
    client, numbers = hostile
    response = client.get("/dashboard/tickets.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = h.assert_formula_safe(response.get_data(as_text=True))
    cells = "\n".join(",".join(row) for row in rows)
    assert all(number in cells for number in numbers) and h.SCRIPT in cells and "F05" in cells


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_reads_carry_payloads_as_data_without_identity(hostile, app, fmt):
    client, numbers = hostile
    api = app.test_client()
    for path in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{numbers[2]}.{fmt}"):
        response = api.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        if fmt == "xml":
            root = h.parse_xml(response.get_data())
            descriptions = [r.findtext("description") for r in root.iter("request")]
        else:
            descriptions = [r["description"] for r in response.get_json()]
        assert any(d and d.startswith("F04") and h.SCRIPT in d for d in descriptions), path
        for identity in ("f06@evil.example", "13900001111", "o-text", "o-voice", h.ATTRIBUTE + "</last_name"):
            assert identity not in body, (path, identity)


def test_a_department_account_sees_payload_tickets_of_its_own_only(hostile, app):
    _, numbers = hostile
    client = app.test_client()
    login(client, h.ATTRIBUTE[:30])
    with app.app_context():
        mine = {t.number for t in db.session.execute(select(Ticket)).scalars() if t.department.name == "市政设施管理所"}
    queue = client.get("/dashboard/").get_data(as_text=True)
    h.assert_inert_html(queue, "department queue")
    for number in numbers:
        assert (number in queue) == (number in mine)
        assert client.get(f"/dashboard/tickets/{number}").status_code == (200 if number in mine else 404)


def test_long_hostile_strings_never_500(app, wechat):
    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    app.config["OPEN311_API_KEYS"] = [KEY]
    long = (h.ALL + " ") * 200
    api = app.test_client()
    assert open311_post(api, description=long, address_string=long).status_code == 400  # over the limits: refused
    assert open311_post(api, description=long[:2000], address_string=long[:200]).status_code == 201
    wechat.say("o-long", "滨江路的井盖不见了 " + long[:1500])
    wechat.location("o-long", 29.29, 106.25, label=long[:1000])
    client = app.test_client()
    login(client, "admin")
    token = csrf(client, "/dashboard/manage/supervisors")
    refused = client.post("/dashboard/manage/supervisors", data={"csrf_token": token, "name": long, "phone": long},
                          follow_redirects=True)
    assert refused.status_code == 200 and "姓名需为" in refused.get_data(as_text=True)
    assert app.test_cli_runner().invoke(args=["supervisor", "invite", "--name", long]).exit_code == 1
    with app.app_context():
        lot_id = db.session.execute(select(ParkingLot.id)).scalars().first()
    for field, value in (("schedule", "daily 00:00-24:00;" * 40), ("spaces", "9" * 40), ("fee", long)):
        form = {"csrf_token": token, "spaces": "5", "schedule": "daily 00:00-24:00", field: value}
        assert client.post(f"/dashboard/manage/parking/{lot_id}", data=form).status_code == 302, field
    for field in ("sla_hours", "radius"):
        form = {"csrf_token": token, "code": "noise", "sla_hours": "8", "radius": "50", field: "9" * 40}
        assert client.post("/dashboard/manage/categories", data=form).status_code == 302, field
    with app.app_context():
        number = db.session.execute(select(Ticket.number)).scalars().first()
    lot = ["长名停车场", long[:300], 29.29, 106.25, 10, "daily 00:00-24:00;" * 40, long, long]
    imported = client.post("/dashboard/manage/parking", data={"csrf_token": token, "file": (lots_csv(lot), "l.csv")},
                           follow_redirects=True)
    assert imported.status_code == 200 and "未导入任何数据" in imported.get_data(as_text=True)
    lot[5] = "daily 00:00-24:00"
    assert client.post("/dashboard/manage/parking", data={"csrf_token": token, "file": (lots_csv(lot), "l.csv")}
                       ).status_code == 302
    assert client.post(f"/dashboard/tickets/{number}/status", data={"csrf_token": token, "status": "不予受理",
                                                                     "reason": long, "note": long}).status_code == 302
    huge = io.BytesIO(b"name,address\n" + b"x" * (11 * 1024 * 1024))
    assert client.post("/dashboard/manage/parking", data={"csrf_token": token, "file": (huge, "big.csv")}
                       ).status_code == 413
    for path in STAFF_PAGES + [f"/dashboard/tickets/{number}", "/dashboard/tickets.csv"]:
        assert client.get(path).status_code == 200, path
    assert app.test_client().get(f"{BASE}/requests.xml", query_string={
        "start_date": (utcnow() - timedelta(days=1)).isoformat()}).status_code == 200


def test_query_strings_are_reflected_as_text_on_every_page(app):
    """Reflected injection: every GET page (from url_map) with every parameter it reads set to a payload."""
    from tests.support.dashboard_routes import dashboard_rules

    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    client = app.test_client()
    login(client, "admin")
    names = ["q", "name", "category", "status", "department", "source", "date_from", "date_to", "overdue", "page", "next", "try"]
    pages = [rule.rule for rule, method in dashboard_rules(app) if method == "GET" and not rule.arguments]
    for payload in h.PAYLOADS:
        for path in pages:
            response = client.get(path, query_string={name: payload for name in names})
            assert response.status_code in (200, 302), (path, payload)
            if response.mimetype == "text/html":
                h.assert_inert_html(response.get_data(as_text=True), path)


def test_spreadsheet_triggers_in_any_position_of_a_cell_start(app):
    """Tickets filed directly (as a future channel might) with every trigger first; the export neutralises all."""
    from bot import tickets

    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    triggers = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", h.FORMULA]
    with app.app_context():
        for text in triggers:
            tickets.create_ticket(db.session, category_code="noise", description=text, address=text, source="resident")
    client = app.test_client()
    login(client, "admin")
    rows = h.assert_formula_safe(client.get("/dashboard/tickets.csv").get_data(as_text=True))
    assert sorted(row[7] for row in rows[1:]) == sorted("'" + t for t in triggers)


def test_quiz_export_for_teachers_is_formula_safe(hostile, app, tmp_path):
    out = tmp_path / "quiz.csv"
    result = app.test_cli_runner().invoke(args=["quiz", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = h.assert_formula_safe(out.read_text(encoding="utf-8-sig"))
    assert any("'=1+1班" in row for row in rows) and any(h.ATTRIBUTE in cell for row in rows for cell in row)


def test_an_open311_photo_link_is_shown_only_when_it_is_http(app):
    from bot.models import TicketPhoto

    make_staff(app, "admin", "数字城管指挥中心", admin=True)
    app.config["OPEN311_API_KEYS"] = [KEY]
    good = open311_post(app.test_client(), media_url="https://photos.example.org/p.jpg?a=1&b=2")
    number = good.get_json()[0]["service_request_id"]
    with app.app_context():  # links that only a bug elsewhere could store: the page must still refuse them
        ticket = db.session.execute(select(Ticket).filter_by(number=number)).scalar_one()
        for url in (h.JS_URL, " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>1</script>",
                    "//evil.example/x", "https:alert(1)"):
            db.session.add(TicketPhoto(ticket=ticket, pic_url=url))
        db.session.commit()
    client = app.test_client()
    login(client, "admin")
    page = client.get(f"/dashboard/tickets/{number}").get_data(as_text=True)
    h.assert_inert_html(page, number)
    assert 'href="https://photos.example.org/p.jpg?a=1&amp;b=2"' in page and page.count("来源系统提供的链接") == 1
