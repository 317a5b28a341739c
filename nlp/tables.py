"""Keyword tables from nlp/data, loaded once and checked for ambiguous keywords."""

import csv
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# The default district profile's categories: the label set the classifier knows, with 江津's names.
DEFAULT_CATEGORIES = DATA.parent.parent / "data" / "districts" / "jiangjin" / "categories.tsv"


class TableError(ValueError):
    """A data file is malformed or claims one keyword for two labels."""


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    department: str
    sla_hours: int  # working hours
    dup_radius_m: int  # a report of the same category this close joins the open ticket
    short_name: str  # what residents pick from the chat's category menu


CATEGORY_COLUMNS = ("code", "name", "department", "sla_hours", "dup_radius_m")


def _rows(name):
    path = name if isinstance(name, Path) else DATA / name
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.reader(lines, delimiter="\t"))


def categories(path=None):
    """code -> Category, from a categories.tsv (a header row names the columns), in the file's order.

    Without a path: the default profile's (江津区), whose codes are the label set the classifier knows;
    another profile's file decides its own names, departments and time limits for those codes."""
    rows = _rows(Path(path) if path else DEFAULT_CATEGORIES)
    header, found = [h.strip() for h in rows[0]], {}
    missing = [c for c in CATEGORY_COLUMNS if c not in header]
    if missing:
        raise TableError(f"categories.tsv: the header lacks {', '.join(missing)}")
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise TableError(f"categories.tsv row {number}: {len(row)} columns, the header has {len(header)}")
        record = {key: value.strip() for key, value in zip(header, row, strict=True)}
        try:
            sla, radius = int(record["sla_hours"]), int(record["dup_radius_m"])
        except ValueError as error:
            raise TableError(f"categories.tsv row {number}: sla_hours and dup_radius_m are whole numbers") from error
        if not (record["code"] and record["name"] and record["department"]) or record["code"] in found:
            raise TableError(f"categories.tsv row {number}: code, name and department are required, codes unique")
        found[record["code"]] = Category(record["code"], record["name"], record["department"], sla, radius,
                                         record.get("short_name") or record["name"])
    if "other" not in found:
        raise TableError("categories.tsv needs the category 'other' (staff triage)")
    return found


def keywords(name, known_labels=None):
    """keyword -> (label, weight); refuses a keyword claimed by two labels unless marked shared."""
    table = {}
    for row in _rows(name):
        keyword, label, weight = row[0].strip(), row[1].strip(), float(row[2])
        shared = len(row) > 3 and row[3].strip() == "shared"
        if known_labels is not None and label not in known_labels:
            raise TableError(f"{name}: unknown label {label!r} for {keyword!r}")
        if keyword in table and table[keyword][0] != label and not shared:
            raise TableError(f"{name}: {keyword!r} is claimed by {table[keyword][0]} and {label}")
        table.setdefault(keyword, []).append((label, weight)) if shared else table.__setitem__(keyword, [(label, weight)])
    return table


def words(name):
    """One word per line (comments and blanks skipped)."""
    return [r[0].strip() for r in _rows(name)]


def pairs(name):
    """Two-column rows (e.g. dialect -> Mandarin)."""
    return [(r[0].strip(), r[1].strip()) for r in _rows(name) if len(r) >= 2]


def patterns(name, known_labels):
    """(compiled regex, label, weight) rows: who does what, read from the whole phrase."""
    import re

    found = []
    for row in _rows(name):
        label = row[1].strip()
        if label not in known_labels:
            raise TableError(f"{name}: unknown label {label!r} for {row[0]!r}")
        found.append((re.compile(row[0].strip()), label, float(row[2])))
    return found
