"""Throughput and latency of /wechat against a bare wechatpy echo endpoint, in one run.

Both run under gunicorn with the project's gunicorn.conf.py and the same worker settings on
127.0.0.1 (production mode, PostgreSQL, Redis, safe mode). The load replays pre-signed,
AES-encrypted messages, each with its own MsgId (a repeated one would be answered from the
retry cache), for a fixed time at a fixed number of connections: wrk with bench/wechat.lua, or
a keep-alive Python client when wrk is not installed. One reply per endpoint is decrypted and
checked first, and while the load runs a checker thread sends a sample of the mix (a new resident
each time) and decrypts every reply: a kind "try again" answer, an error or a reply that does not
answer the question counts as a failure, so speed is never bought with failures.

    python bench/wechat_bench.py [--mix help|realistic] [--seconds 10] [--connections 8] [--rounds 1] [--floor]

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
import threading
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
# What a first message of a new resident must be answered with (the checker's sample), by content or kind.
EXPECTED = {"电池是什么垃圾": "垃圾", "奶茶杯扔哪个桶": "桶", "用过的纸巾是什么垃圾": "其他垃圾", "location": "停车",
            "鼎山公园附近哪里停车": "停车", "滨江路的井盖不见了": "问题", "跳过": "", "我的反映": "反映",
            "帮助": "垃圾分类", "click": "垃圾分类", "subscribe": "您好"}
TRY_AGAIN = ("开了个小差", "系统正在维护", "发得太快")  # the kind answers of a bot that could not do the work
# (label, gunicorn target, text the decrypted reply to 帮助 must contain)
TARGETS = [("echo (bare wechatpy)", "bench.echo_app:app", "帮助"), ("津管家 /wechat", "bot:create_app()", "垃圾分类")]
FLOOR = ("floor (echo + Redis)", "bench.floor_app:app", "帮助")  # --floor: what no /wechat can go below


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


class Checker(threading.Thread):
    """Sends one message of the mix every `every` seconds, as a new resident, and checks the decrypted reply."""

    def __init__(self, port, mix, echo, every=0.05):
        super().__init__(daemon=True)
        self.port, self.pool, self.echo, self.every = port, REALISTIC if mix == "realistic" else HELP, echo, every
        self.checked, self.failures, self.stop = 0, [], threading.Event()

    def run(self):
        import http.client
        import random

        rng, connection, n = random.Random(11), http.client.HTTPConnection("127.0.0.1", self.port, timeout=10), 0
        while not self.stop.wait(self.every):
            _, kind, data = rng.choices(self.pool, [share for share, _, _ in self.pool])[0]
            n += 1
            args, body = signed_request(PROTOCOL, message_xml(f"o-check-{self.port}-{n}", *fields_for(kind, data)))
            try:
                connection.request("POST", "/wechat?" + "&".join(f"{k}={v}" for k, v in args.items()), body.encode(),
                                   {"Content-Type": "text/xml"})
                response = connection.getresponse()
                payload = response.read().decode()
                reply = read_reply(PROTOCOL, args, payload) if response.status == 200 else None
            except Exception as error:  # noqa: BLE001 (any failure is a failed check, never the end of the run)
                reply, payload = None, f"{type(error).__name__}: {error}"
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.checked += 1
            problem = self.problem(kind, data, reply)
            if problem:
                self.failures.append(f"{data.get('content', kind)} -> {problem}: {str(reply or payload)[:120]}")

    def problem(self, kind, data, reply):
        """Why this reply fails the check, or None."""
        if reply is None:
            return "no reply (HTTP error or undecryptable)"
        text = (reply.get("content") or "") + "".join(a.get("title", "") + a.get("description", "")
                                                      for a in reply.get("articles") or [])
        if any(phrase in text for phrase in TRY_AGAIN):
            return "a try-again answer"
        if self.echo:
            return None if text or reply.get("type") != "none" else "empty"
        needle = EXPECTED.get(data.get("content"), EXPECTED.get(kind, ""))
        return None if (text and needle in text) else f"expected {needle!r}"


def rss_mb(master):
    """Memory of each gunicorn worker (the master's children), in MB: (RSS, PSS, private).

    RSS counts every page the worker touches, the preloaded app it shares copy-on-write with the
    master and the other workers included; PSS charges each shared page to its sharers in equal
    parts (what a worker really costs the machine); private is what only this worker holds."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        kb = {name: int(re.search(rf"^{name}:\s+(\d+)", rollup, re.MULTILINE).group(1))
              for name in ("Rss", "Pss", "Private_Clean", "Private_Dirty")}
        sizes.append((kb["Rss"] / 1024, kb["Pss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024))
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
        checker = Checker(port, args.mix, echo=target.startswith(("bench.echo_app", "bench.floor_app")))
        checker.start()
        figures = load(build(count, args.mix, f"m{port}"), args.seconds)
        checker.stop.set()
        checker.join(15)
        figures.update(rss=rss_mb(server), checked=checker.checked, failures=checker.failures)
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
    parser.add_argument("--floor", action="store_true",
                        help="also measure bench/floor_app.py: the echo plus the Redis work every message needs")
    args = parser.parse_args()
    targets = TARGETS + ([FLOOR] if args.floor else [])
    SETTINGS.update(WEB_CONCURRENCY=str(args.workers), GUNICORN_THREADS=str(args.threads))
    env = {**os.environ, **SETTINGS, "PYTHONPATH": str(ROOT)}
    prepare(env, args.fresh)
    runs = {label: [] for label, _, _ in targets}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for label, target, expected in targets:
                runs[label].append(measure(target, expected, args, env, tmp))
    report({label: median_run(figures) for label, figures in runs.items()}, args)


def median_run(figures):
    """The run with the median throughput; the reply checks of every round."""
    median = dict(sorted(figures, key=lambda f: f["rate"])[len(figures) // 2])
    median.update(checked=sum(f["checked"] for f in figures), failures=[x for f in figures for x in f["failures"]])
    return median


def report(results, args):
    print(f"/wechat benchmark: {args.mix} mix, {args.connections} connections, {args.seconds} s x {args.rounds} each, load by "
          f"{args.tool}; gunicorn gthread {SETTINGS['WEB_CONCURRENCY']} workers x {SETTINGS['GUNICORN_THREADS']} "
          f"threads, safe mode (AES), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'endpoint':22} {'msg/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'sent':>7} {'non-2xx':>8} "
          f"{'MB/worker: RSS / PSS / private':>31}")
    for name, f in results.items():
        memory = " / ".join(f"{max(m[i] for m in f['rss']):.0f}" for i in range(3)) if f["rss"] else "?"
        print(f"{name:22} {f['rate']:8.0f} {f['p50']:8.2f} {f['p99']:8.2f} {f['requests']:7d} {f['errors']:8d} {memory:>31}")
        print(f"  {f['checked']} replies decrypted and checked under load, {len(f['failures'])} failed"
              + "".join(f"\n    {line}" for line in f["failures"][:5]))
        if f["wrapped"]:
            print(f"  warning: {name} ran out of distinct messages before the time was up (figures not comparable)")
    echo, app = (results[label]["rate"] for label, _, _ in TARGETS)
    print(f"ratio app/echo throughput: {app / echo:.2f}x")
    if FLOOR[0] in results:
        floor = results[FLOOR[0]]["rate"]
        print(f"ratio floor/echo throughput: {floor / echo:.2f}x (the most any /wechat doing that Redis work can reach); "
              f"app/floor: {app / floor:.2f}x")
    if any(f["failures"] for f in results.values()):
        sys.exit("replies failed their check under load: the figures above do not count")


if __name__ == "__main__":
    main()
