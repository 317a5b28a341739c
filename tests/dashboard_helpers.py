"""Helpers for dashboard tests: accounts, CSRF tokens, a ticket to work on."""

import re

from bot import tickets
from bot.extensions import db

PASSWORD = "correct-horse-battery"


def make_staff(app, username, department, admin=False):
    result = app.test_cli_runner().invoke(args=["staff", "create", "--username", username, "--department", department,
                                                *(["--admin"] if admin else []), "--password", PASSWORD])
    assert result.exit_code == 0, result.output


def csrf(client, path="/dashboard/login"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def login(client, username, password=PASSWORD):
    return client.post("/dashboard/login", data={"username": username, "password": password,
                                                 "csrf_token": csrf(client)})


def make_ticket(app, category="manhole_cover", description="井盖不见了", reporter_openid=None, lat=29.29, lng=106.25):
    from bot.models import User

    with app.app_context():
        reporter = None
        if reporter_openid:
            reporter = User(openid=reporter_openid)
            db.session.add(reporter)
        ticket, _ = tickets.create_ticket(db.session, category_code=category, description=description,
                                          source="resident", reporter=reporter, lat=lat, lng=lng)
        return ticket.number
