"""Reports: the supervisor points ledger and the notification outbox."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.extensions import db
from bot.models.core import Ticket, TicketHistory, utcnow


class PointEntry(db.Model):
    __tablename__ = "supervisor_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisors.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    points: Mapped[int]
    reason: Mapped[str] = mapped_column(String(32))  # first_report | duplicate_report | rejected
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Notification(db.Model):
    """One person to tell about one change of a ticket: written with the change, sent by a job.

    The row is the outbox (a change is never forgotten if Redis or a worker is down: `flask tickets
    notify-pending` re-queues what is still pending) and the log (which channel, WeChat's errcode).
    """

    __tablename__ = "ticket_notifications"
    __table_args__ = (UniqueConstraint("history_id", "openid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    history_id: Mapped[int] = mapped_column(ForeignKey("ticket_history.id", ondelete="CASCADE"))
    openid: Mapped[str] = mapped_column(String(64))
    asks_rating: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending | sent | skipped
    channel: Mapped[str | None] = mapped_column(String(16))  # custom | template
    attempts: Mapped[int] = mapped_column(default=0)
    errcode: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    ticket: Mapped[Ticket] = relationship()
    history: Mapped[TicketHistory] = relationship()


class StateRecord(db.Model):
    """A conversation state kept in the database while Redis is unavailable."""

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    record: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class StaffKeyword(db.Model):
    """A keyword staff taught the classifier in the dashboard (on top of nlp/data's tables)."""

    __tablename__ = "staff_keywords"

    id: Mapped[int] = mapped_column(primary_key=True)
    keyword: Mapped[str] = mapped_column(String(20), unique=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    weight: Mapped[float] = mapped_column(default=3.0)
    added_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
