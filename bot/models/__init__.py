"""Database models. Each feature keeps its models in a module of its own."""

from bot.models import garbage, parking, quiz, reports, staff  # noqa: F401,E402
from bot.models.core import (  # noqa: F401
    Category,
    Department,
    MessageLog,
    Supervisor,
    Ticket,
    TicketFollower,
    TicketHistory,
    TicketPhoto,
    TicketSequence,
    User,
    utcnow,
)
from bot.models.quiz import QuizAnswer, QuizRound, School  # noqa: F401,E402
from bot.models.reports import PointEntry, StaffKeyword  # noqa: F401,E402
from bot.models.staff import StaffUser  # noqa: F401,E402
