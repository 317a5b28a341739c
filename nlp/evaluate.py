"""Accuracy of nlp/ on the labelled sets and the public citizen letters.

Labelled sets: `text<TAB>intent<TAB>category` (category for reports only; intent `none` means the
honest "no idea" answer). The tuned sets (nlp/data/train.tsv, dev.tsv) also train the statistical
fallback, so on those it is scored by 5-fold cross-validation: each message is read by a fallback
that never saw it. Held-out sets (tests/data/nlp_heldout*.tsv) are scored as they are; a message
that an earlier set already holds is left out of the pooled figure (v6 repeats some of v4 and v5).
"""

import csv
import os
from collections import Counter
from pathlib import Path

import nlp
from nlp.tables import categories

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "data"
TUNED = {"train": nlp.DATA / "train.tsv", "dev": nlp.DATA / "dev.tsv"}
# Sets nobody tuned on (written blind, only their totals ever read): their pool is the honest figure.
UNTUNED = ("heldout4", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10")
LETTERS_DIR = Path(os.environ.get("JJ_LETTERS_DIR", ROOT.parent / "shared" / "data"))
# titled495 was looked at while tuning (sessions 1-3); body (3,649 letters) only as totals.
LETTER_FILES = ("complaints_teddy2020c_titled495.tsv", "complaints_teddy2020c_body.tsv")
CITY_TOPICS = {"城乡建设", "环境保护"}  # letter topics that are partly city-management business


def sets():
    """name -> path of every labelled set: the tuned ones first, then the held-out ones in order."""
    found = dict(TUNED)
    for path in sorted(HELDOUT.glob("nlp_heldout*.tsv"), key=lambda p: int(p.stem[11:] or 2)):
        found[path.stem.removeprefix("nlp_")] = path
    return found


def read_set(path):
    """(text, intent, category) rows of a labelled set; intent `none` reads as None."""
    with open(path, encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
        return [(r[0], None if r[1] == "none" else r[1], (r[2] if len(r) > 2 else "") or None) for r in rows]


def _score(counts, confusion, errors, row, got, departments):
    text, intent, category = row
    counts["n"] += 1
    counts["intent"] += got.intent == intent
    confusion[(intent, got.intent)] += 1
    if intent == "report":
        counts["reports"] += 1
        counts["category"] += got.category == category
        counts["department"] += got.department == departments.get(category)
    if intent == "out_of_scope":
        counts["oos"] += 1
        counts["oos_hit"] += got.intent == "out_of_scope"
    if got.intent != intent or (intent == "report" and got.category != category):
        errors.append((got.confidence, text, f"{intent}/{category}", f"{got.intent}/{got.category}"))


def evaluate_set(name, rows, folds=None, classifier=None):
    """Intent, category and department accuracy with the confusion counts and the errors."""
    classifier = classifier or nlp.load()
    departments = {code: c.department for code, c in categories().items()}
    counts, confusion, errors = Counter(), Counter(), []
    for fold in range(folds or 1):
        part = rows[fold::folds] if folds else rows
        reader = _without(classifier, {text for text, _, _ in part}) if folds else classifier
        for row in part:
            _score(counts, confusion, errors, row, reader.classify(row[0]), departments)
    errors.sort(key=lambda e: -e[0])
    return {"name": name + (f" ({folds}-fold for the fallback)" if folds else ""), "counts": counts,
            "confusion": confusion, "errors": errors, "held_out": not folds}


def _without(classifier, texts):
    """The classifier with a fallback trained without these texts (cross-validation)."""
    return classifier.with_fallback(nlp.fit_fallback(e for e in nlp.training_examples() if e[0] not in texts))


def pooled(named_rows, names=UNTUNED, classifier=None):
    """One report over the untuned sets, each message once; a message that any other set holds is
    left out (it may have been tuned on: v6 repeats 13 messages of v4 and 3 of v5)."""
    seen = {row[0] for name, rows in named_rows.items() if name not in names for row in rows}
    rows = []
    for name in names:
        for row in named_rows.get(name, ()):
            if row[0] not in seen:
                seen.add(row[0])
                rows.append(row)
    report = evaluate_set("pooled " + " + ".join(n.removeprefix("heldout") for n in names if n in named_rows),
                          rows, classifier=classifier)
    return report


def repeats(named_rows):
    """name -> how many of its messages an earlier set already holds."""
    seen, found = set(), {}
    for name, rows in named_rows.items():
        texts = {row[0] for row in rows}
        found[name] = len(texts & seen)
        seen |= texts
    return found


def letter_rows(name, directory=LETTERS_DIR):
    """(label, text) of one file of public letters ([] when it is not present)."""
    if not (directory / name).exists():
        return []
    with open(directory / name, encoding="utf-8") as handle:
        return [(row["label"], row["text"]) for row in csv.DictReader(handle, delimiter="\t")]


def evaluate_letters(rows, name="letters", classifier=None):
    """Other bureaus' letters must not be routed to a city department (report with a real category).

    Letters on 城乡建设/环境保护 mix housing and property matters with real city-management ones
    (占道, 违建, 油烟, 噪声); they carry no city-category label, so they are not scored, only counted.
    """
    classifier = classifier or nlp.load()
    counts, errors, city = Counter(), [], Counter()
    for label, text in rows:
        got = classifier.classify(text)
        routed = got.intent == "report" and got.category != "other"
        if label in CITY_TOPICS:
            city["n"] += 1
            city["routed"] += routed
            city["oos"] += got.intent == "out_of_scope"
            continue
        counts["n"] += 1
        counts["ok"] += not routed
        counts["oos"] += got.intent == "out_of_scope"
        if routed:
            errors.append((got.confidence, text[:60], label, f"{got.intent}/{got.category}"))
    errors.sort(key=lambda e: -e[0])
    return {"name": name, "letters": True, "counts": counts, "city": city, "errors": errors}


def run_all(letters=True, classifier=None):
    """Every labelled set (tuned ones cross-validated), the untuned pool and, if asked, the letters."""
    named_rows = {name: read_set(path) for name, path in sets().items()}
    again = repeats(named_rows)
    reports = []
    for name, rows in named_rows.items():
        report = evaluate_set(name, rows, 5 if name in TUNED else None, classifier)
        if again.get(name):
            report["name"] += f" [{again[name]} messages repeat earlier sets]"
        reports.append(report)
    reports.append(pooled(named_rows, classifier=classifier))
    for name in LETTER_FILES if letters else ():
        rows = letter_rows(name)
        if rows:
            report = evaluate_letters(rows, name.removeprefix("complaints_").removesuffix(".tsv"), classifier)
            report["held_out"] = "body" in name  # the body letters were only ever read as totals
            reports.append(report)
    return reports


INTENTS = ("garbage", "parking", "report", "status", "quiz", "supervisor", "help", "out_of_scope", None)


def confusion_table(confusion):
    """Intent confusion as a grid: one row per expected intent, one column per intent given."""
    short = {None: "none", "out_of_scope": "oos", "supervisor": "superv"}
    names = [short.get(i, i) for i in INTENTS]
    lines = ["  expected \\ got " + " ".join(f"{n:>7}" for n in names)]
    for expected in INTENTS:
        row = [confusion.get((expected, got), 0) for got in INTENTS]
        if any(row):
            lines.append(f"  {short.get(expected, expected):>15} " + " ".join(f"{n or '.':>7}" for n in row))
    return lines


def _pct(a, b):
    return f"{100.0 * a / b:.1f}% ({a}/{b})" if b else "n/a"


def format_report(report, worst=10, held_out_errors=False):
    """Human-readable accuracy, confusion and worst errors (a held-out set's errors only when asked:
    reading them would make it tuning material)."""
    c = report["counts"]
    if report.get("letters"):
        city = report["city"]
        lines = [f"== {report['name']} (public letters): other bureaus' letters not routed to a city department "
                 f"{_pct(c['ok'], c['n'])}; recognised as out_of_scope {_pct(c['oos'], c['n'])}",
                 f"  城乡建设/环境保护 letters (not scored): routed to a city category {_pct(city['routed'], city['n'])}, "
                 f"out_of_scope {_pct(city['oos'], city['n'])}"]
    else:
        lines = [f"== {report['name']}: intent {_pct(c['intent'], c['n'])}, category {_pct(c['category'], c['reports'])}, "
                 f"department {_pct(c['department'], c['reports'])}, out-of-scope {_pct(c['oos_hit'], c['oos'])}"]
        lines += confusion_table(report["confusion"])
    if report.get("held_out") and not held_out_errors:
        return "\n".join(lines)
    lines += [f"  {conf:.2f}  {text}  expected {exp}  got {got}" for conf, text, exp, got in report["errors"][:worst]]
    return "\n".join(lines)
