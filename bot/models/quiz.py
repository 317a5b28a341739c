"""Schools, quiz rounds and answers (teachers' results; rankings are rebuilt from these)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.config import utcnow
from bot.extensions import db


class School(db.Model):
    __tablename__ = "schools"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    district: Mapped[str | None] = mapped_column(String(20))  # the 街道/镇 of 江津区 it is in
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizRound(db.Model):
    __tablename__ = "quiz_rounds"
    __table_args__ = (Index("ix_quiz_rounds_user_day", "user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    school_code: Mapped[str | None] = mapped_column(String(32), index=True)
    class_name: Mapped[str | None] = mapped_column(String(32))
    day: Mapped[str] = mapped_column(String(8))  # YYYYMMDD, Asia/Shanghai
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    score: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=10)
    duration_s: Mapped[int | None]
    counts: Mapped[bool] = mapped_column(default=False)  # first finished round of the day


class QuizAnswer(db.Model):
    __tablename__ = "quiz_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("quiz_rounds.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(String(300))
    given: Mapped[str] = mapped_column(String(16))
    correct: Mapped[bool]
