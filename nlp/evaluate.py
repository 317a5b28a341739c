"""Accuracy of nlp/ on the labelled sets (tests/data) and the public citizen letters."""

import csv
from collections import Counter
from pathlib import Path

import nlp
from nlp.tables import categories

ROOT = Path(__file__).resolve().parent.parent
SETS = {name: ROOT / "tests" / "data" / f"nlp_{name}.tsv" for name in ("train", "dev", "heldout")}
LETTERS = ROOT.parent / "shared" / "data" / "complaints_teddy2020c_titled495.tsv"
CITY_TOPICS = {"城乡建设", "环境保护"}  # letter topics that may be city-management business


def read_set(path):
    """(text, intent, category) rows of a labelled set."""
    with open(path, encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
        return [(r[0], r[1], (r[2] if len(r) > 2 else "") or None) for r in rows]


def evaluate_set(name, rows):
    """Intent, category and department accuracy with the confusion counts and the errors."""
    depts = {code: c.department for code, c in categories().items()}
    counts, confusion, errors = Counter(), Counter(), []
    for text, intent, category in rows:
        got = nlp.understand(text)
        counts["n"] += 1
        counts["intent"] += got.intent == intent
        confusion[(intent, got.intent)] += 1
        if intent == "report":
            counts["reports"] += 1
            counts["category"] += got.category == category
            counts["department"] += got.department == depts.get(category)
        if intent == "out_of_scope":
            counts["oos"] += 1
            counts["oos_hit"] += got.intent == "out_of_scope"
        if got.intent != intent or (intent == "report" and got.category != category):
            errors.append((got.confidence, text, f"{intent}/{category}", f"{got.intent}/{got.category}"))
    errors.sort(key=lambda e: -e[0])
    return {"name": name, "counts": counts, "confusion": confusion, "errors": errors}


def evaluate_letters(path=LETTERS):
    """Long real letters: other bureaus' topics should not become a confident city report."""
    if not path.exists():
        return None
    counts, errors = Counter(), []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            got = nlp.understand(row["text"])
            city = row["label"] in CITY_TOPICS
            key = "city" if city else "other"
            counts[key] += 1
            ok = city or got.intent != "report" or got.category == "other"
            counts[key + "_ok"] += ok
            if not ok:
                errors.append((got.confidence, row["text"][:60], row["label"], f"{got.intent}/{got.category}"))
    errors.sort(key=lambda e: -e[0])
    return {"name": "letters", "counts": counts, "confusion": Counter(), "errors": errors}


def run_all():
    reports = [evaluate_set(name, read_set(path)) for name, path in SETS.items() if path.exists()]
    letters = evaluate_letters()
    return reports + ([letters] if letters else [])


def _pct(a, b):
    return f"{100.0 * a / b:.1f}% ({a}/{b})" if b else "n/a"


def format_report(report, worst=10):
    """Human-readable accuracy, confusion and worst errors."""
    c = report["counts"]
    if report["name"] == "letters":
        lines = [f"== letters (public 2020 泰迪杯 C, 495 titled): not a confident city report for other bureaus' "
                 f"topics: {_pct(c['other_ok'], c['other'])}"]
    else:
        lines = [f"== {report['name']}: intent {_pct(c['intent'], c['n'])}, category {_pct(c['category'], c['reports'])}, "
                 f"department {_pct(c['department'], c['reports'])}, out-of-scope {_pct(c['oos_hit'], c['oos'])}"]
        wrong = sorted(((k, v) for k, v in report["confusion"].items() if k[0] != k[1]), key=lambda kv: -kv[1])
        lines += ["  confusion (expected -> got: n): " + ", ".join(f"{a}->{b}: {n}" for (a, b), n in wrong[:12])]
    lines += [f"  {conf:.2f}  {text}  expected {exp}  got {got}" for conf, text, exp, got in report["errors"][:worst]]
    return "\n".join(lines)
