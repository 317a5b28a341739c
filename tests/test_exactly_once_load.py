"""Exactly-once with real processes: gunicorn on PostgreSQL and Redis, WeChat's retries and racing
duplicates over HTTP, one worker SIGKILLed mid-run (CI size; `make bench` runs 10,000 reports)."""

import pytest

from bench.once_load import run
from tests.conftest import PG_URL, REDIS_URL

REPORTS = 150


@pytest.mark.slow
def test_reports_are_filed_once_through_retries_duplicates_and_a_killed_worker(make_app, backend):
    if backend != "postgres":
        pytest.skip("several gunicorn processes writing one SQLite file is not a set-up we run (PostgreSQL only)")
    make_app()  # a migrated, seeded, emptied database and an empty Redis db for the server to use
    f = run(PG_URL, REDIS_URL, REPORTS, clients=12, kills=1, retry_pause=0.5, seed=3)
    summary = {k: v for k, v in f.items() if k != "log_tail"}
    assert f["kills"] == 1, summary
    assert f["tickets"] == REPORTS and f["lost"] == 0 and f["duplicates"] == 0, summary
    assert f["sequence_duplicates"] == 0 and f["number_mismatches"] == 0, summary
    assert f["failed_then_filed"] == f["confirms_failed_every_retry"], summary  # resent, filed once
    assert f["stuck"] == 0 and f["joined"] == 0 and f["unexpected_replies"] == 0, summary
    assert f["retry_mismatches"] == 0 and f["duplicate_mismatches"] == 0, summary
    assert f["own_duplicate_prompts"] == 0, summary  # a resent 确认 is told its own ticket, not "a duplicate"
    assert f["server_tracebacks"] == 0 and not any(e.startswith("HTTP 5") for e in f["errors"]), f["log_tail"]
    assert f["retries"] > 0 and f["concurrent_duplicates"] > 0 and f["answers_dropped"] > 0, summary


@pytest.mark.slow
def test_two_nodes_one_killed_mid_run_lose_and_duplicate_nothing(make_app, backend):
    """The README's scale-out: two app nodes share PostgreSQL and Redis behind a round-robin balancer;
    one node (master and workers) is SIGKILLed mid-run and never comes back."""
    if backend != "postgres":
        pytest.skip("two nodes share PostgreSQL")
    make_app()
    f = run(PG_URL, REDIS_URL, REPORTS, clients=12, kills=0, nodes=2, node_kills=1, retry_pause=0.5, seed=5)
    summary = {k: v for k, v in f.items() if k != "log_tail"}
    assert (f["nodes"], f["node_kills"]) == (2, 1), summary
    assert f["tickets"] == REPORTS and f["lost"] == 0 and f["duplicates"] == 0, summary
    assert f["sequence_duplicates"] == 0 and f["number_mismatches"] == 0, summary
    assert f["stuck"] == 0 and f["joined"] == 0 and f["unexpected_replies"] == 0, summary
    assert f["retry_mismatches"] == 0 and f["duplicate_mismatches"] == 0, summary
    assert f["server_tracebacks"] == 0 and not any(e.startswith("HTTP 5") for e in f["errors"]), f["log_tail"]
    assert f["errors"].get("ConnectionRefusedError", 0) > 0, summary  # the balancer did see the node go
