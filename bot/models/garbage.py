"""The garbage-sorting dictionary and the items residents asked about that it lacks."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.config import utcnow
from bot.extensions import db


class GarbageItem(db.Model):
    """One item and its category; shipped rows have added_by None, staff rows their name."""

    __tablename__ = "garbage_items"
    __table_args__ = {"info": {"reference": True}}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    category: Mapped[str] = mapped_column(String(8))  # 可回收物 | 有害垃圾 | 厨余垃圾 | 其他垃圾
    aliases: Mapped[str] = mapped_column(String(200), default="")  # "|"-separated
    sources: Mapped[str] = mapped_column(String(100), default="")  # public lists ("mtq851=其他垃圾" lost)
    tip: Mapped[str | None] = mapped_column(String(100))  # replaces the category's tip when set
    added_by: Mapped[str | None] = mapped_column(String(40))  # None = shipped list, else "staff:<name>"
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class GarbageUnknown(db.Model):
    """An item phrase nobody could answer (normalised), counted for staff to add."""

    __tablename__ = "garbage_unknown"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(40), unique=True)
    count: Mapped[int] = mapped_column(default=1)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    resolved: Mapped[bool] = mapped_column(default=False)
    suggestion: Mapped[str | None] = mapped_column(String(40))
