"""Throughput and latency of /wechat against a bare wechatpy echo endpoint, in one run.

Both run under gunicorn with the project's gunicorn.conf.py on 127.0.0.1; wrk replays
pre-signed, AES-encrypted messages with unique MsgIds at 8 connections for a fixed time.

    python bench/wechat_bench.py [--mix help|realistic] [--seconds 10] [--connections 8]

Needs PostgreSQL and Redis on 127.0.0.1 (database jinguanjia_bench, Redis db 9) and wrk.
"""

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bot.wechat_messages import fields_for, message_xml, signed_request  # noqa: E402

SETTINGS = {
    "APP_ENV": "production", "SECRET_KEY": "bench-secret", "WECHAT_TOKEN": "benchtoken",
    "WECHAT_APPID": "wxbench0000000001", "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/jinguanjia_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "RATE_LIMIT_PER_MINUTE": "1000000", "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": "4", "GUNICORN_THREADS": "4",
}
REALISTIC = [  # (share, kind, data): what an evening after a campaign looks like
    (30, "text", {"content": "电池是什么垃圾"}), (10, "text", {"content": "奶茶杯扔哪个桶"}),
    (8, "text", {"content": "用过的纸巾是什么垃圾"}), (12, "location", {"lat": "29.2905", "lng": "106.259"}),
    (8, "text", {"content": "鼎山公园附近哪里停车"}), (10, "text", {"content": "滨江路的井盖不见了"}),
    (5, "text", {"content": "跳过"}), (5, "text", {"content": "我的反映"}), (5, "text", {"content": "帮助"}),
    (4, "click", {"key": "HELP"}), (3, "subscribe", {}),
]


def requests(count, mix, config):
    """Pre-signed (path, body) pairs, each a distinct message."""
    pool = [(s, k, d) for s, k, d in REALISTIC] if mix == "realistic" else [(1, "text", {"content": "帮助"})]
    weights = [s for s, _, _ in pool]
    out = []
    for i in range(count):
        _, kind, data = random.choices(pool, weights)[0]
        msg_type, fields = fields_for(kind, data)
        args, body = signed_request(config, message_xml(f"o-bench-{i % 2000}", msg_type, fields))
        query = "&".join(f"{k}={v}" for k, v in args.items())
        out.append((f"/wechat?{query}", body))
    return out


def lua_script(pairs, path):
    """A wrk script cycling through the pre-built requests."""
    def quote(text):
        return "[==[" + text + "]==]"

    lines = ["local reqs = {"] + [f"{{{quote(p)}, {quote(b)}}}," for p, b in pairs] + ["}", "local i = 0",
             'wrk.method = "POST"', 'wrk.headers["Content-Type"] = "text/xml"',
             "request = function() i = i % #reqs + 1; return wrk.format(nil, reqs[i][1], nil, reqs[i][2]) end"]
    path.write_text("\n".join(lines), encoding="utf-8")


def serve(target, port, env):
    """Start gunicorn for target on port; wait until it answers."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", target], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error: the server is up
                return process
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start: {process.stderr.read().decode()[-2000:]}")


def rss_mb(master):
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def load(port, script, seconds, connections):
    """wrk's requests/s and latency percentiles (ms)."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: _ms(v) for p, v in re.findall(r"\s(50|99)(?:\.0+)?%\s+([\d.]+\w+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, pct.get("50"), pct.get("99"), int(errors.group(1)) if errors else 0


def _ms(value):
    number, unit = float(re.match(r"[\d.]+", value).group(0)), re.sub(r"[\d.]", "", value)
    return number * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def prepare(env):
    """Create, migrate and seed the benchmark database."""
    db = env["DATABASE_URL"].rsplit("/", 1)[1]
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {db}"],
                   capture_output=True, check=False)
    for command in (["db", "upgrade", "heads"], ["seed"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "bot", *command], cwd=ROOT, env=env,
                       check=True, capture_output=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mix", choices=["help", "realistic"], default="help")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--requests", type=int, default=30000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    env = {**os.environ, **SETTINGS, "PYTHONPATH": str(ROOT)}
    prepare(env)
    subprocess.run(["redis-cli", "-n", env["REDIS_URL"].rsplit("/", 1)[1], "FLUSHDB"], capture_output=True)
    config = {k: SETTINGS[k] for k in ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_ENCODING_AES_KEY")}
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, target, port in (("echo (bare wechatpy)", "bench.echo_app:app", 5901),
                                   (f"津管家 /wechat ({args.mix})", "bot:create_app()", 5902)):
            script = Path(tmp) / f"{port}.lua"
            lua_script(requests(args.requests, args.mix, config), script)
            server = serve(target, port, env)
            try:
                load(port, script, 2, args.connections)  # warm-up: connections, caches
                results[name] = (*load(port, script, args.seconds, args.connections), rss_mb(server))
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
    report(results, args)


def report(results, args):
    print(f"{args.connections} connections, {args.seconds} s, gunicorn gthread "
          f"{SETTINGS['WEB_CONCURRENCY']} workers x {SETTINGS['GUNICORN_THREADS']} threads, safe mode (AES)")
    print(f"{'endpoint':34} {'msg/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'RSS/worker MB':>14}")
    for name, (rate, p50, p99, errors, rss) in results.items():
        print(f"{name:34} {rate:9.0f} {p50:8.2f} {p99:8.2f} {errors:8d} {max(rss):14.0f}")
    (echo, *_), (app, *_) = results.values()
    print(f"ratio app/echo throughput: {app / echo:.2f}x")


if __name__ == "__main__":
    main()
