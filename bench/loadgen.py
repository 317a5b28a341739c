"""Load generators for bench/wechat_bench.py: wrk (preferred) or a keep-alive Python client.

Both take pre-built (path, body) pairs, send each at most once while they last, and return
{"rate", "p50", "p99" (ms), "requests", "errors" (non-2xx or failed), "wrapped"}.
"""

import http.client
import re
import subprocess
import threading
import time
from pathlib import Path

LUA = Path(__file__).resolve().parent / "wechat.lua"
WRK_THREADS = 2


def wrk_load(port, pairs, seconds, connections, tmp):
    """Drive 127.0.0.1:port with wrk and bench/wechat.lua."""
    tsv = Path(tmp) / f"requests-{port}-{len(pairs)}.tsv"
    tsv.write_text("".join(f"{path}\t{body}\n" for path, body in pairs), encoding="utf-8")
    out = subprocess.run(
        ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(LUA), f"http://127.0.0.1:{port}", "--", str(tsv), str(WRK_THREADS)],
        capture_output=True, text=True, check=True).stdout
    pct = {p: _ms(v) for p, v in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+\w+)", out, re.MULTILINE)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": pct.get("50"), "p99": pct.get("99"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
        "wrapped": "WRAPPED" in out,
    }


def _ms(value):
    number, unit = float(re.match(r"[\d.]+", value).group(0)), re.sub(r"[\d.]", "", value)
    return number * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def python_load(port, pairs, seconds, connections):
    """Drive 127.0.0.1:port from `connections` threads, one keep-alive connection each."""
    lock, queue, latencies, errors = threading.Lock(), iter(pairs), [], [0]
    deadline = time.perf_counter() + seconds

    def worker():
        connection, mine, failed = http.client.HTTPConnection("127.0.0.1", port, timeout=10), [], 0
        while time.perf_counter() < deadline:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            started = time.perf_counter()
            try:
                connection.request("POST", item[0], item[1].encode(), {"Content-Type": "text/xml"})
                response = connection.getresponse()
                response.read()
                failed += response.status != 200
            except (OSError, http.client.HTTPException):
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, ordered = time.perf_counter() - started, sorted(latencies)
    return {
        "rate": len(ordered) / elapsed, "requests": len(ordered), "errors": errors[0],
        "p50": ordered[len(ordered) // 2] * 1000 if ordered else 0.0,
        "p99": ordered[int(len(ordered) * 0.99)] * 1000 if ordered else 0.0,
        "wrapped": len(ordered) >= len(pairs),
    }
