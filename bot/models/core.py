"""Core tables: users, the message log, departments, categories and tickets."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, bindparam, select, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.config import utcnow
from bot.extensions import UTCDateTime, db


class Department(db.Model):
    __tablename__ = "departments"
    __table_args__ = {"info": {"reference": True}}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)

    categories: Mapped[list["Category"]] = relationship(back_populates="department")


class Category(db.Model):
    __tablename__ = "categories"
    __table_args__ = {"info": {"reference": True}}

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    sla_hours: Mapped[int] = mapped_column(default=24)  # working hours
    duplicate_radius_m: Mapped[int] = mapped_column(default=50)
    active: Mapped[bool] = mapped_column(default=True)

    department: Mapped[Department] = relationship(back_populates="categories")


class Supervisor(db.Model):
    """A 群众监督员 invited by the bureau; bound to a WeChat user with `绑定 CODE`."""

    __tablename__ = "supervisors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    invite_code: Mapped[str] = mapped_column(String(16), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    points: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    bound_at: Mapped[datetime | None]


class User(db.Model):
    """A WeChat follower of the account, keyed by openid."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="resident")  # resident | supervisor | student
    subscribed: Mapped[bool] = mapped_column(default=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("supervisors.id"), unique=True)
    school_code: Mapped[str | None] = mapped_column(String(32), index=True)
    class_name: Mapped[str | None] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(32))
    last_lat: Mapped[float | None]
    last_lng: Mapped[float | None]
    last_label: Mapped[str | None] = mapped_column(String(200))
    last_location_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    supervisor: Mapped[Supervisor | None] = relationship()


# A user's row is written by single statements a racing message of the same person cannot break,
# with the same SQL on PostgreSQL and SQLite. Text, because SQLAlchemy compiles its dialect-specific
# INSERT … ON CONFLICT afresh on every execution (no cache key), and an ORM add needs a savepoint
# to survive the race.
_INSERT_USER = ("INSERT INTO users (openid, role, subscribed, created_at, seen_at) "
                "VALUES (:openid, 'resident', true, :now, :now) ON CONFLICT (openid) ")
# A first message's row, loaded as the ORM object (nothing comes back when a racing message made it).
NEW_USER = select(User).from_statement(text(
    _INSERT_USER + f"DO NOTHING RETURNING {', '.join(c.name for c in User.__table__.c)}",
).bindparams(bindparam("now", type_=UTCDateTime())).columns(*User.__table__.c))
# A follow (subscribe event): the row made, or marked subscribed again, in one statement.
SUBSCRIBED = text(_INSERT_USER + "DO UPDATE SET subscribed = true, seen_at = :now WHERE users.subscribed = false",
                  ).bindparams(bindparam("now", type_=UTCDateTime()))


class MessageLog(db.Model):
    """One row per handled message: what it was and how long it took, never its words."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    msgid: Mapped[str | None] = mapped_column(String(64), index=True)
    openid_hash: Mapped[str] = mapped_column(String(16), index=True)
    msg_type: Mapped[str] = mapped_column(String(32))
    intent: Mapped[str | None] = mapped_column(String(32))
    latency_ms: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TicketSequence(db.Model):
    """The last ticket number handed out on a day (YYYYMMDD)."""

    __tablename__ = "ticket_sequences"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Ticket(db.Model):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_status_category", "status", "category_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)  # JJ + YYYYMMDD + NNNN
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(String(8), default="已受理")
    source: Mapped[str] = mapped_column(String(16), default="resident")  # resident | supervisor | open311
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("supervisors.id"))
    description: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None]  # GCJ-02
    lng: Mapped[float | None]
    phone: Mapped[str | None] = mapped_column(String(32))
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    due_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]

    category: Mapped[Category] = relationship()
    department: Mapped[Department] = relationship()
    reporter: Mapped[User | None] = relationship()
    history: Mapped[list["TicketHistory"]] = relationship(
        back_populates="ticket", order_by="TicketHistory.id", cascade="all, delete-orphan"
    )
    photos: Mapped[list["TicketPhoto"]] = relationship(
        back_populates="ticket", order_by="TicketPhoto.id", cascade="all, delete-orphan"
    )


class TicketHistory(db.Model):
    """Every change of a ticket, with who made it."""

    __tablename__ = "ticket_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # system | citizen | staff:<username> | open311:<key>
    action: Mapped[str] = mapped_column(String(32))  # created | status | dispatch | reroute | rating | note
    from_status: Mapped[str | None] = mapped_column(String(8))
    to_status: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)

    ticket: Mapped[Ticket] = relationship(back_populates="history")


class TicketFollower(db.Model):
    """A resident who reported the same problem and wants to hear about it."""

    __tablename__ = "ticket_followers"
    __table_args__ = (UniqueConstraint("ticket_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TicketPhoto(db.Model):
    __tablename__ = "ticket_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[str | None] = mapped_column(String(128))
    pic_url: Mapped[str | None] = mapped_column(String(500))
    path: Mapped[str | None] = mapped_column(String(300))  # under MEDIA_DIR once downloaded
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="photos")
