"""Statistics: counts, trend, handling time, on-time rate, satisfaction, supervisors, unknown items."""

import statistics
from collections import Counter
from datetime import timedelta

import redis
from flask import current_app, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from bot import garbage as garbage_data
from bot import tickets
from bot.config import TZ, utcnow
from bot.dashboard.blueprint import bp
from bot.dashboard.queue import visible
from bot.extensions import db
from bot.models import QuizRound, School, Supervisor
from bot.outbound import dead_letters
from bot.tickets.sla import working_hours_between

TREND_DAYS, TREND_WEEKS = 14, 12


def figures(rows, now):
    """Everything the statistics page shows, from the tickets this account may see."""
    by_department = {}
    for t in rows:
        by_department.setdefault(t.department.name, []).append(t)
    return {
        "total": len(rows),
        "by_category": Counter(t.category.name for t in rows).most_common(),
        "by_department": Counter(t.department.name for t in rows).most_common(),
        "by_state": [(s, sum(t.status == s for t in rows)) for s in tickets.STATES],
        "trend": _trend(rows, now),
        "weekly": _weekly(rows, now),
        "departments": [_department_row(name, group) for name, group in sorted(by_department.items())],
        "satisfaction": _mean([t.rating for t in rows if t.rating]),
        "overdue": sum(1 for t in rows if t.status in tickets.OPEN_STATES and t.due_at and t.due_at < now),
    }


def _trend(rows, now):
    days = [(now.astimezone(TZ) - timedelta(days=i)).date() for i in range(TREND_DAYS - 1, -1, -1)]
    counts = Counter(t.created_at.astimezone(TZ).date() for t in rows)
    return [(d.strftime("%m-%d"), counts.get(d, 0)) for d in days]


def _weekly(rows, now):
    """Tickets per week (weeks start on Monday) over the last TREND_WEEKS weeks."""
    today = now.astimezone(TZ).date()
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=i) for i in range(TREND_WEEKS - 1, -1, -1)]
    counts = Counter(_monday(t.created_at.astimezone(TZ).date()) for t in rows)
    return [(f"{w:%m-%d}起", counts.get(w, 0)) for w in weeks]


def _monday(day):
    return day - timedelta(days=day.weekday())


def _department_row(name, group):
    resolved = [t for t in group if t.resolved_at]
    hours = [working_hours_between(t.created_at, t.resolved_at) for t in resolved]  # as the SLA counts
    on_time = [t for t in resolved if t.due_at and t.resolved_at <= t.due_at]
    return {"name": name, "total": len(group), "resolved": len(resolved),
            "median_hours": round(statistics.median(hours), 1) if hours else None,
            "on_time": round(100 * len(on_time) / len(resolved)) if resolved else None,
            "satisfaction": _mean([t.rating for t in group if t.rating])}


def _mean(values):
    return round(sum(values) / len(values), 2) if values else None


def quiz_by_class():
    """Quiz participation and average score per school and class (finished rounds)."""
    query = (select(School.name, QuizRound.class_name, func.count(func.distinct(QuizRound.user_id)),
                    func.count(QuizRound.id), func.avg(QuizRound.score))
             .join(School, School.code == QuizRound.school_code)
             .where(QuizRound.finished_at.is_not(None))
             .group_by(School.name, QuizRound.class_name).order_by(School.name, QuizRound.class_name))
    return [(school, klass or "—", students, rounds, round(float(avg), 1)) for school, klass, students, rounds, avg
            in db.session.execute(query)]


@bp.get("/stats")
@login_required
def stats():
    now = utcnow()
    rows = db.session.execute(visible()).scalars().all()
    data = figures(rows, now)
    names = dict(db.session.execute(select(Supervisor.id, Supervisor.name)).all())
    ranking = [(names.get(sid, "?"), points) for sid, points in tickets.monthly_points(db.session)[:10]]
    unknown = garbage_data.top_unknown(db.session, 10) if current_user.is_admin else []
    schools = quiz_by_class() if current_user.is_admin else []
    dead_jobs = _dead_jobs() if current_user.is_admin else None
    charts = {"category": data["by_category"], "state": data["by_state"], "trend": data["trend"],
              "weekly": data["weekly"], "department": data["by_department"],
              "on_time": [(r["name"], r["on_time"]) for r in data["departments"] if r["on_time"] is not None]}
    return render_template("dashboard/stats.html", d=data, ranking=ranking, unknown=unknown, schools=schools,
                           charts=charts, dead_jobs=dead_jobs)


def _dead_jobs():
    """Notifications and downloads that failed on every retry (None while Redis is down)."""
    try:
        return dead_letters.count(current_app.extensions["jobs"].queue)
    except redis.RedisError:
        return None
