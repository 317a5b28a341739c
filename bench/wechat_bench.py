"""Throughput and latency of /wechat against a bare wechatpy echo endpoint, in one run.

Both run under gunicorn with the project's gunicorn.conf.py and the same worker settings on
127.0.0.1 (production mode, PostgreSQL, Redis, safe mode). The load replays pre-signed,
AES-encrypted messages, each with its own MsgId (a repeated one would be answered from the
retry cache), for a fixed time at a fixed number of connections: wrk with bench/wechat.lua, or
a keep-alive Python client when wrk is not installed. One reply per endpoint is decrypted and
checked first, so an endpoint answering errors fast cannot win.

    python bench/wechat_bench.py [--mix help|realistic] [--seconds 10] [--connections 8] [--rounds 1]

With --rounds N the endpoints are measured alternately N times and the median round is shown
(other processes on a small machine move single runs a lot).

Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_DATABASE_URL, default database
jinguanjia_t_bench, created if missing, its schema rebuilt with --fresh; BENCH_REDIS_URL,
default Redis db 9, flushed).
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.loadgen import python_load, wrk_load  # noqa: E402
from bot.chat.messages import fields_for, message_xml, read_reply, signed_request  # noqa: E402
from tests.support.net import free_port  # noqa: E402

SETTINGS = {
    "APP_ENV": "production", "SECRET_KEY": "bench-secret", "WECHAT_TOKEN": "benchtoken",
    "WECHAT_APPID": "wxbench0000000001", "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/jinguanjia_t_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "RATE_LIMIT_PER_MINUTE": "1000000", "LOG_LEVEL": "WARNING", "WEB_CONCURRENCY": "4", "GUNICORN_THREADS": "4",
}
PROTOCOL = {k: SETTINGS[k] for k in ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_ENCODING_AES_KEY")}
REALISTIC = [  # (share, kind, data): what an evening after a campaign looks like
    (30, "text", {"content": "电池是什么垃圾"}), (10, "text", {"content": "奶茶杯扔哪个桶"}),
    (8, "text", {"content": "用过的纸巾是什么垃圾"}), (12, "location", {"lat": "29.2905", "lng": "106.259"}),
    (8, "text", {"content": "鼎山公园附近哪里停车"}), (10, "text", {"content": "滨江路的井盖不见了"}),
    (5, "text", {"content": "跳过"}), (5, "text", {"content": "我的反映"}), (5, "text", {"content": "帮助"}),
    (4, "click", {"key": "HELP"}), (3, "subscribe", {}),
]
HELP = [(1, "text", {"content": "帮助"})]
# (label, gunicorn target, text the decrypted reply to 帮助 must contain)
TARGETS = [("echo (bare wechatpy)", "bench.echo_app:app", "帮助"), ("津管家 /wechat", "bot:create_app()", "垃圾分类")]


def build(count, mix, tag):
    """count pre-signed (path, body) pairs, each a distinct message (its own MsgId)."""
    import random

    rng, pool = random.Random(count), REALISTIC if mix == "realistic" else HELP
    weights = [share for share, _, _ in pool]
    pairs = []
    for i in range(count):
        _, kind, data = rng.choices(pool, weights)[0]
        args, body = signed_request(PROTOCOL, message_xml(f"o-bench-{tag}-{i % 2000}", *fields_for(kind, data)))
        pairs.append(("/wechat?" + "&".join(f"{k}={v}" for k, v in args.items()), body))
    return pairs


def serve(target, port, env):
    """Start gunicorn for target on port; return once it answers HTTP."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", target], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(600):
        try:
            urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError as error:
            if getattr(error, "code", None):  # an HTTP error status: the server is up
                return process
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start: {process.stderr.read().decode()[-2000:]}")


def probe(port, expected):
    """Send one 帮助 and check the decrypted reply: the endpoint really does the work."""
    args, body = signed_request(PROTOCOL, message_xml("o-bench-probe", *fields_for("text", {"content": "帮助"})))
    query = "&".join(f"{k}={v}" for k, v in args.items())
    request = Request(f"http://127.0.0.1:{port}/wechat?{query}", data=body.encode(), method="POST",
                      headers={"Content-Type": "text/xml"})
    with urlopen(request, timeout=10) as response:
        payload = response.read().decode()
    reply = read_reply(PROTOCOL, args, payload)
    if "<Encrypt>" not in payload or expected not in reply.get("content", ""):
        raise RuntimeError(f"unexpected reply on port {port}: {payload[:300]}")


def rss_mb(master):
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sizes


def measure(target, expected, args, env, tmp):
    """Serve target, check it, warm it up, then load it for args.seconds; figures as a dict."""
    port = free_port()
    server = serve(target, port, env)
    load = (lambda pairs, seconds: wrk_load(port, pairs, seconds, args.connections, tmp)) if args.tool == "wrk" \
        else (lambda pairs, seconds: python_load(port, pairs, seconds, args.connections))
    try:
        probe(port, expected)
        warm = load(build(args.warmup_requests, args.mix, f"w{port}"), 2)  # connections, caches, pools
        count = int(max(warm["rate"], 500) * args.seconds * 2) + 2000  # enough that none repeats
        figures = load(build(count, args.mix, f"m{port}"), args.seconds)
        figures["rss"] = rss_mb(server)
        return figures
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def prepare(env, fresh):
    """Create (if missing; emptied first with fresh), migrate and seed the benchmark database; empty its Redis db."""
    db = env["DATABASE_URL"].rsplit("/", 1)[1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q"]
    subprocess.run([*psql, "-c", f"CREATE DATABASE {db}"], capture_output=True, check=False)
    if fresh:
        subprocess.run([*psql, "-d", db, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                       capture_output=True, check=True)
    for command in (["db", "upgrade", "heads"], ["seed"]):
        done = subprocess.run([sys.executable, "-m", "flask", "--app", "bot", *command], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"flask {' '.join(command)} failed (a changed migration? try --fresh):\n{done.stderr[-1500:]}")
    subprocess.run(["redis-cli", "-u", env["REDIS_URL"], "FLUSHDB"], capture_output=True, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mix", choices=["help", "realistic"], default="help")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup-requests", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workers", default=SETTINGS["WEB_CONCURRENCY"], help="gunicorn workers (both endpoints)")
    parser.add_argument("--threads", default=SETTINGS["GUNICORN_THREADS"], help="threads per worker (both endpoints)")
    parser.add_argument("--fresh", action="store_true", help="empty the benchmark database's schema first")
    parser.add_argument("--tool", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
    args = parser.parse_args()
    SETTINGS.update(WEB_CONCURRENCY=str(args.workers), GUNICORN_THREADS=str(args.threads))
    env = {**os.environ, **SETTINGS, "PYTHONPATH": str(ROOT)}
    prepare(env, args.fresh)
    runs = {label: [] for label, _, _ in TARGETS}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for label, target, expected in TARGETS:
                runs[label].append(measure(target, expected, args, env, tmp))
    report({label: median_run(figures) for label, figures in runs.items()}, args)


def median_run(figures):
    """The run with the median throughput."""
    return sorted(figures, key=lambda f: f["rate"])[len(figures) // 2]


def report(results, args):
    print(f"/wechat benchmark: {args.mix} mix, {args.connections} connections, {args.seconds} s x {args.rounds} each, load by "
          f"{args.tool}; gunicorn gthread {SETTINGS['WEB_CONCURRENCY']} workers x {SETTINGS['GUNICORN_THREADS']} "
          f"threads, safe mode (AES), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':22} {'msg/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'sent':>7} {'non-2xx':>8} {'RSS/worker MB':>16}")
    for name, f in results.items():
        rss = f"{min(f['rss']):.0f}-{max(f['rss']):.0f}" if f["rss"] else "?"
        print(f"{name:22} {f['rate']:8.0f} {f['p50']:8.2f} {f['p99']:8.2f} {f['requests']:7d} {f['errors']:8d} {rss:>16}")
        if f["wrapped"]:
            print(f"  warning: {name} ran out of distinct messages before the time was up (figures not comparable)")
    echo, app = (results[label]["rate"] for label, _, _ in TARGETS)
    print(f"ratio app/echo throughput: {app / echo:.2f}x")


if __name__ == "__main__":
    main()
