"""Reference data loaded by `flask --app bot seed` (and `make run`): idempotent, re-runnable."""

import csv
import importlib
import logging

from sqlalchemy import select

from bot.config import ROOT
from bot.extensions import db
from bot.models import Category, Department

log = logging.getLogger(__name__)
CATEGORIES = ROOT / "nlp" / "data" / "categories.tsv"

# Feature seeders that exist in this checkout run after the core tables are filled.
FEATURE_SEEDERS = ("bot.garbage:seed", "bot.parking.lots:seed", "bot.quiz_data:seed")


def read_categories(path=CATEGORIES):
    """Rows of the category table: code, name, department, sla_hours, duplicate_radius_m."""
    with open(path, encoding="utf-8") as handle:
        rows = [line for line in handle if line.strip() and not line.startswith("#")]
    return [
        {"code": r[0], "name": r[1], "department": r[2], "sla_hours": int(r[3]), "radius": int(r[4])}
        for r in csv.reader(rows, delimiter="\t")
    ]


def seed_categories(session):
    """Departments and categories from the design's table; staff edits to SLA are kept."""
    departments = {d.name: d for d in session.execute(select(Department)).scalars()}
    existing = {c.code: c for c in session.execute(select(Category)).scalars()}
    for row in read_categories():
        department = departments.get(row["department"])
        if department is None:
            department = departments[row["department"]] = Department(name=row["department"])
            session.add(department)
        category = existing.get(row["code"])
        if category is None:
            session.add(Category(
                code=row["code"], name=row["name"], department=department,
                sla_hours=row["sla_hours"], duplicate_radius_m=row["radius"],
            ))
        else:
            category.name, category.department = row["name"], department
    session.commit()


def seed_all(session=None):
    """Every reference table: categories first, then each feature's data."""
    session = session or db.session
    seed_categories(session)
    for target in FEATURE_SEEDERS:
        module_name, func = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        getattr(module, func)(session)
        log.info("seeded %s", module_name)
