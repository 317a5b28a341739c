"""Tickets for tests: the one number pattern, and tickets filed directly through the service."""

import re
from datetime import timedelta

from bot import tickets
from bot.config import now
from bot.extensions import db
from bot.models import User

# JJ + YYYYMMDD + a 4-digit daily sequence; the 10,000th ticket of one day takes a fifth digit.
NUMBER = re.compile(r"JJ\d{12,13}(?!\d)")


def make_ticket(app, category="street_light", description="路灯坏了", *, openid=None, days_ago=0, status=None,
                reason=None, **fields):
    """A ticket filed directly (as the chat would), optionally moved to a state; returns its number."""
    with app.app_context():
        reporter = None
        if openid:
            reporter = User(openid=openid, display_name="张小明")
            db.session.add(reporter)
        ticket, _ = tickets.create_ticket(db.session, category_code=category, source="resident", reporter=reporter,
                                          description=description, now=now() - timedelta(days=days_ago), **fields)
        if status:
            tickets.change_status(db.session, ticket, status, actor="staff:test", reason=reason)
        return ticket.number
