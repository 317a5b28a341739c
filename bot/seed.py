"""Reference data loaded by `flask --app bot seed` (and `make run`): idempotent, re-runnable."""

import csv
import logging

from flask import current_app
from sqlalchemy import select

from bot import garbage
from bot.extensions import db
from bot.models import Category, Department, School
from bot.parking import lots

log = logging.getLogger(__name__)

# After the core tables: the garbage dictionary, then the sample parking lots (into an empty table only).
FEATURE_SEEDERS = (garbage.seed, lots.seed)


def seed_categories(session, district):
    """Departments and categories from the district profile's categories.tsv; staff edits to SLA are
    kept; a category the profile no longer lists is switched off (its tickets stay)."""
    departments = {d.name: d for d in session.execute(select(Department)).scalars()}
    existing = {c.code: c for c in session.execute(select(Category)).scalars()}
    for code, category in existing.items():
        category.active = code in district["categories"]
    for row in district["categories"].values():
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


def seed_schools(session, district):
    """The profile's schools.tsv (code, name, district), if it has one: added or renamed, never removed."""
    if not district.get("schools.tsv"):
        return
    with open(district["schools.tsv"], encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
        for row in rows:
            school = session.get(School, row["code"].strip().upper()) or School(code=row["code"].strip().upper())
            school.name, school.district = row["name"].strip(), (row.get("district") or "").strip() or None
            session.add(school)
    session.commit()


def seed_all(session=None):
    """Every reference table: the profile's categories and schools first, then each feature's data."""
    session = session or db.session
    district = current_app.config["DISTRICT"]
    seed_categories(session, district)
    seed_schools(session, district)
    for seed in FEATURE_SEEDERS:
        seed(session)
        log.info("seeded %s", seed.__module__)
