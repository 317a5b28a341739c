"""Every dashboard route from the app's url_map, a valid form for each, and a database snapshot.

The route list is read from the app, so a new dashboard route is covered by the CSRF and access
tests the day it is added; a state-changing route without a form below fails them loudly.
"""

import io

from sqlalchemy import select

from bot.extensions import db
from bot.models import StaffUser, Ticket
from bot.models.parking import ParkingLot

UNCHANGING = {"garbage_items"}  # 8,000 reference rows: compared by count and newest change only
LOT_CSV = "name,address,lat,lng,spaces,schedule,fee,phone\n测试停车场,几江街道测试路1号,29.29,106.25,20,daily 00:00-24:00,免费,023-1\n"


def dashboard_rules(app):
    """(rule, method) for every dashboard route, methods other than HEAD/OPTIONS."""
    return [(rule, method) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("dashboard.")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def url(rule, world):
    """The rule's URL with real arguments: the target ticket, lot, account or photo of `world`."""
    path = rule.rule
    for name in rule.arguments:
        path = path.replace(f"<int:{name}>", str(world[name])).replace(f"<{name}>", str(world[name]))
    return path


def form(endpoint, world):
    """A form that changes something when sent with a valid token (empty for the pages that only show)."""
    forms = {
        "dashboard.garbage": {"name": "测试物品甲", "category": "其他垃圾"},
        "dashboard.supervisors": {"name": "测试监督员"},
        "dashboard.categories": {"code": "noise", "sla_hours": "7", "radius": "77"},
        "dashboard.parking": {"file": (io.BytesIO(LOT_CSV.encode()), "lots.csv")},
        "dashboard.edit_lot": {"spaces": "7", "schedule": "daily 06:00-22:00", "fee": "改了"},
        "dashboard.account_action": {"action": "disable"},
        "dashboard.change_status": {"status": "已派遣", "note": "派"},
        "dashboard.reroute": {"category": "noise"},
        "dashboard.merge": {"into": world["other_number"]},
        "dashboard.login": {"username": "admin", "password": "correct-horse-battery"},
        "dashboard.logout": {},
        "dashboard.add_keyword": {"keyword": "甲乙丙丁戊", "category": "noise", "weight": "3"},
        "dashboard.delete_keyword": {},
    }
    return dict(forms.get(endpoint, {}))


def build_world(app, ticket_number, other_number):
    """Ids the placeholder arguments point at: a ticket, a lot, an account, a photo, a staff keyword."""
    from bot.models import StaffKeyword, TicketPhoto

    with app.app_context():
        ticket = db.session.execute(select(Ticket).filter_by(number=ticket_number)).scalar_one()
        photo = TicketPhoto(ticket=ticket, path="p.jpg")
        keyword = StaffKeyword(keyword="己庚辛壬", category_code="noise", added_by="admin")
        db.session.add_all([photo, keyword])
        db.session.commit()
        account = db.session.execute(select(StaffUser.id).filter_by(username="target")).scalar_one()
        lot = db.session.execute(select(ParkingLot.id).order_by(ParkingLot.id)).scalars().first()
        return {"number": ticket_number, "other_number": other_number, "lot_id": lot, "staff_id": account,
                "photo_id": photo.id, "keyword_id": keyword.id}


def snapshot(app):
    """Every row of every table (the garbage dictionary by size and last change)."""
    with app.app_context():
        db.session.expire_all()
        state = {}
        for table in db.metadata.sorted_tables:
            if table.name in UNCHANGING:
                state[table.name] = db.session.execute(
                    select(db.func.count(), db.func.max(table.c.updated_at)).select_from(table)).one()
            else:
                state[table.name] = sorted(map(repr, db.session.execute(select(table)).all()))
        db.session.remove()
        return state
