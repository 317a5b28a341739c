"""Parking lots (staggered shared, public, on-street) and the operators who report free spaces."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.config import utcnow
from bot.extensions import db


class ParkingOperator(db.Model):
    __tablename__ = "parking_operators"
    # Kept between tests like the lots that reference it (PostgreSQL's TRUNCATE would cascade).
    __table_args__ = {"info": {"reference": True}}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the API key
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ParkingLot(db.Model):
    __tablename__ = "parking_lots"
    __table_args__ = (UniqueConstraint("name", "address"), {"info": {"reference": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float]  # GCJ-02
    lng: Mapped[float]
    spaces: Mapped[int]
    schedule: Mapped[str] = mapped_column(String(300))
    fee: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(16), default="shared")  # shared | public | on-street
    sample: Mapped[bool] = mapped_column(default=False)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("parking_operators.id"))
    free_spaces: Mapped[int | None]
    free_updated_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    operator: Mapped[ParkingOperator | None] = relationship()
