"""What the exactly-once load (bench/once_load.py) checks in the database once the load is over."""

from collections import Counter

from sqlalchemy import create_engine, text

TICKETS = text("""
    SELECT u.openid, t.number, t.idempotency_key
    FROM tickets t JOIN users u ON u.id = t.reporter_id
    WHERE u.openid LIKE :prefix
""")
ALL_NUMBERS = text("SELECT number FROM tickets")


def check(database_url, residents, prefix):
    """Figures: tickets per resident and per draft, numbers and daily sequences, what residents saw."""
    engine = create_engine(_psycopg(database_url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(TICKETS, {"prefix": prefix + "%"}).all()
            numbers = connection.execute(ALL_NUMBERS).scalars().all()
    finally:
        engine.dispose()
    per_resident = Counter(openid for openid, _, _ in rows)
    per_draft = Counter(key for _, _, key in rows)
    number_of = {openid: number for openid, number, _ in rows}
    joined = [r for r in residents if r.outcome == "joined"]
    return {
        "tickets": len(rows),
        "duplicates": sum(n - 1 for n in per_resident.values()) + sum(n - 1 for n in per_draft.values()),
        "lost": sum(1 for r in residents if per_resident[r.openid] == 0 and r.outcome != "joined"),
        "confirmed": sum(1 for r in residents if r.number),
        "number_mismatches": sum(1 for r in residents if r.number and number_of.get(r.openid) != r.number),
        "failed_then_filed": sum(1 for r in residents if r.confirm_failed and per_resident[r.openid] == 1),
        "joined": len(joined),
        "stuck": sum(1 for r in residents if r.outcome in ("stuck", "unfinished")),
        **_sequences(numbers),
    }


def _sequences(numbers):
    """Duplicate numbers or daily sequences, gaps in them, and sequences past the 4 digits of the format."""
    days = {}
    for number in numbers:
        days.setdefault(number[2:10], []).append(int(number[10:]))
    duplicates = len(numbers) - len(set(numbers))
    duplicates += sum(len(seqs) - len(set(seqs)) for seqs in days.values())
    gaps = sum(max(seqs) - len(set(seqs)) for seqs in days.values())
    return {"sequence_duplicates": duplicates, "sequence_gaps": gaps,
            "numbers_past_9999": sum(1 for seqs in days.values() for s in seqs if s > 9999)}


def _psycopg(url):
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
