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


def seed_history(app, count=60, seed=7):
    """Eight weeks of tickets across categories, most resolved and many rated (for charts and the screenshot)."""
    import random
    from datetime import datetime, timedelta

    from bot.config import TZ

    rng = random.Random(seed)
    codes = ["garbage_collection", "street_light", "manhole_cover", "street_vending", "greenery", "drainage",
             "noise", "illegal_parking", "road_damage", "public_toilet"]
    with app.app_context():
        now = datetime.now(TZ)
        for _ in range(count):
            created = now - timedelta(days=rng.uniform(0.2, 56))
            ticket, _ = tickets.create_ticket(db.session, category_code=rng.choice(codes), description="样例工单",
                                              source=rng.choice(["resident", "resident", "open311"]), now=created)
            if rng.random() < 0.75:
                ticket.status = tickets.RESOLVED
                ticket.resolved_at = min(now, created + timedelta(hours=rng.uniform(1, 120)))
                ticket.rating = rng.choice([None, 3, 4, 5, 5, 4, 2])
        db.session.commit()
