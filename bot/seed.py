"""Reference data loaded by `flask --app bot seed` (and `make run`): idempotent, re-runnable."""

import logging

from sqlalchemy import select

from bot import garbage
from bot.extensions import db
from bot.models import Category, Department
from bot.parking import lots
from nlp import tables

log = logging.getLogger(__name__)

# After the core tables: the garbage dictionary, then the sample parking lots (into an empty table only).
FEATURE_SEEDERS = (garbage.seed, lots.seed)


def seed_categories(session):
    """Departments and categories from the design's table; staff edits to SLA are kept."""
    departments = {d.name: d for d in session.execute(select(Department)).scalars()}
    existing = {c.code: c for c in session.execute(select(Category)).scalars()}
    for row in tables.categories().values():
        department = departments.get(row.department)
        if department is None:
            department = departments[row.department] = Department(name=row.department)
            session.add(department)
        category = existing.get(row.code)
        if category is None:
            session.add(Category(
                code=row.code, name=row.name, department=department,
                sla_hours=row.sla_hours, duplicate_radius_m=row.dup_radius_m,
            ))
        else:
            category.name, category.department = row.name, department
    session.commit()


def seed_all(session=None):
    """Every reference table: categories first, then each feature's data."""
    session = session or db.session
    seed_categories(session)
    for seed in FEATURE_SEEDERS:
        seed(session)
        log.info("seeded %s", seed.__module__)
