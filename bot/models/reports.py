"""Supervisor points: a ledger, so monthly rankings are sums and every change is explained."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.extensions import db
from bot.models.core import utcnow


class PointEntry(db.Model):
    __tablename__ = "supervisor_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("supervisors.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"))
    points: Mapped[int]
    reason: Mapped[str] = mapped_column(String(32))  # first_report | duplicate_report | rejected
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StateRecord(db.Model):
    """A conversation state kept in the database while Redis is unavailable."""

    __tablename__ = "conversation_states"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    record: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)
