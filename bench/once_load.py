"""Exactly-once under load: full 随手拍 conversations against a real gunicorn, a worker killed mid-run.

    python bench/once_load.py [--reports 10000] [--clients 16] [--kills 1] [--nodes 2 --node-kills 1]

Starts gunicorn like production (gunicorn.conf.py, gthread, preloaded app, safe mode, 2 workers
x 4 threads) on PostgreSQL and Redis, and has --reports residents each write one report over
HTTP: text -> location -> 跳过 (photos) -> 跳过 (phone) -> 确认, following what the bot asks.
Every message is delivered the way WeChat does (bench/once_wechat.py: retried up to 3 times on a
slow or failed answer, some sent twice at once, some answers thrown away so the retry is served
from the cache). While the load runs, --kills gunicorn workers are SIGKILLed (gunicorn starts new
ones; the requests they held fail and are retried). A resident who saw nothing sends again with
a new MsgId, as people do. Then the database is checked (bench/once_checks.py): each resident has
exactly one ticket, numbers and daily sequences are unique, nothing was lost.

With --nodes 2 the scale-out of the README runs: two app nodes (two gunicorn masters on their own
ports, as two machines would run them) share PostgreSQL and Redis behind a round-robin balancer
(bench/once_wechat.py: a node that refuses connections is left out for a while, as nginx does);
--node-kills SIGKILLs whole nodes (master and workers) mid-run, which never come back.

Needs PostgreSQL and Redis on 127.0.0.1: BENCH_DATABASE_URL (default database jinguanjia_t_once,
created if missing, schema rebuilt) and BENCH_REDIS_URL (default Redis db 8, flushed).
tests/test_exactly_once_load.py runs the same driver at CI size.
"""

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.once_checks import check  # noqa: E402
from bench.once_wechat import COUNTED, Delivery  # noqa: E402
from bot.chat.messages import fields_for, message_xml  # noqa: E402
from tests.support.net import free_port  # noqa: E402

PROTOCOL = {"WECHAT_TOKEN": "oncetoken", "WECHAT_APPID": "wxonce00000000001",
            "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
TEXTS = ["井盖不见了", "路灯不亮了", "人行道地砖坏了", "下水道堵了积水", "垃圾桶满了没人收", "占道摆摊堵路"]
NUMBER = re.compile(r"工单号：(JJ\d+)")
RESENDS = 2  # a resident who saw nothing tries again, twice at most
MAX_STEPS = 14


class Resident:
    """One resident writing one report, answering whatever the bot asks next."""

    def __init__(self, index, run, delivery):
        self.openid, self.delivery = f"o-once-{run}-{index}", delivery
        self.text = TEXTS[index % len(TEXTS)]
        # ~500 m apart, no merging, all inside 江津区's bounds (a report from elsewhere is refused)
        self.location = (28.50 + (index // 150) * 0.0125, 105.85 + (index % 150) * 0.005)
        self.number, self.confirm_failed, self.outcome = None, False, "unfinished"

    def report(self):
        """Talk until a ticket number comes back (or the conversation goes nowhere)."""
        message = ("text", {"content": self.text})
        for _ in range(MAX_STEPS):
            reply = self.say(*message)
            message = self.answer(reply)
            if message is None:
                return self
        return self

    def say(self, kind, data):
        """The bot's answer, sending again (new MsgId) when WeChat delivered nothing."""
        for attempt in range(1 + RESENDS):
            if attempt:
                self.delivery.count("user_resends")
            reply = self.delivery.send(message_xml(self.openid, *fields_for(kind, data)))
            if reply is not None and reply["type"] != "none":
                return reply["content"]
            if data.get("content") == "确认" and not attempt:
                self.confirm_failed = True
                self.delivery.count("confirms_failed_every_retry")
        return ""

    def answer(self, content):
        """What a resident sends next, given the bot's reply (None: done)."""
        if found := NUMBER.search(content):
            self.number, self.outcome = found.group(1), "filed"
            return None
        if "附近已有人反映了同样的问题" in content:
            self.outcome = "joined"
            return None
        for needle, message in (
            ("请核对一下", ("text", {"content": "确认"})),
            ("已反映过同类问题", ("text", {"content": "仍然提交"})),
            ("请回复数字选择问题类别", ("text", {"content": "1"})),
            ("请简单说说是什么问题", ("text", {"content": self.text})),
            ("问题在", ("location", {"lat": self.location[0], "lng": self.location[1]})),
            ("照片", ("text", {"content": "跳过"})),
            ("手机号", ("text", {"content": "跳过"})),
        ):
            if needle in content:
                if needle == "已反映过同类问题":
                    self.delivery.count("own_duplicate_prompts")
                return message
        self.delivery.count("unexpected_replies")
        self.outcome = "stuck"
        return None


class Gunicorn:
    """The app under gunicorn.conf.py on a free port; its log goes to a file."""

    def __init__(self, env, workers, threads):
        self.env = {**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
        self.workers, self.port, self.kills, self.dead = workers, free_port(), 0, False
        # gunicorn writes here for the whole run; closed in __exit__, kept for a look afterwards
        self.log = tempfile.NamedTemporaryFile("w+", prefix="once-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--bind",
             f"127.0.0.1:{self.port}", "--access-logfile", "/dev/null", "bot:create_app()"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()
        return self

    def __exit__(self, *exc):
        if self.process.poll() is not None:  # killed as a node
            self.log.close()
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

    def wait_ready(self, seconds=60):
        """Until all workers are up and /healthz answers."""
        from urllib.request import urlopen

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_text()[-2000:]}")
            try:
                if len(self.worker_pids()) == self.workers:
                    urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2).read()
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start: {self.log_text()[-2000:]}")

    def worker_pids(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill_node(self):
        """SIGKILL the master and every worker at once: the machine is gone."""
        pids = [self.process.pid, *self.worker_pids()]
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        self.process.wait()
        self.dead = True
        return pids[0]

    def kill_worker(self):
        """SIGKILL one worker in the middle of its requests; gunicorn forks a new one."""
        pid = self.worker_pids()[self.kills % self.workers]
        os.kill(pid, signal.SIGKILL)
        self.kills += 1
        return pid

    def log_text(self):
        return Path(self.log.name).read_text(errors="replace")


def run(database_url, redis_url, reports, *, clients=16, workers=2, threads=4, kills=1, seed=1, timeout=5.0,
        retry_pause=1.0, dup_rate=0.1, drop_rate=0.05, nodes=1, node_kills=0):
    """Drive `reports` conversations over `nodes` app nodes with `kills` worker kills spread over the
    run and `node_kills` whole nodes killed (the last ones, at a third and two thirds); the figures."""
    env = {**os.environ, **PROTOCOL, "APP_ENV": "production", "SECRET_KEY": "once-secret", "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "RATE_LIMIT_PER_MINUTE": "1000000", "LOG_LEVEL": "WARNING",
           "WECHAT_API_BASE_URL": "http://127.0.0.1:9/cgi-bin/", "PYTHONPATH": str(ROOT)}
    run_tag = f"{int(time.time())}"
    if node_kills >= nodes:
        raise ValueError("at least one node must stay up")
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Gunicorn(env, workers, threads)) for _ in range(nodes)]
        delivery = Delivery([s.port for s in servers], PROTOCOL, timeout=timeout, retry_pause=retry_pause,
                            dup_rate=dup_rate, drop_rate=drop_rate, seed=seed)
        done, killed, nodes_killed = [0], [], []
        lock = threading.Lock()

        def converse(index):
            resident = Resident(index, run_tag, delivery).report()
            with lock:
                done[0] += 1
                if len(killed) < kills and done[0] >= reports * (len(killed) + 1) / (kills + 1):
                    killed.append(servers[0].kill_worker())
                if len(nodes_killed) < node_kills and done[0] >= reports * (len(nodes_killed) + 1) / (node_kills + 2):
                    nodes_killed.append(servers[-1 - len(nodes_killed)].kill_node())
            return resident

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            residents = list(pool.map(converse, range(reports)))
        seconds = time.monotonic() - started
        for server in servers:
            if not server.dead:
                server.wait_ready()
        log = "".join(server.log_text() for server in servers)
    figures = check(database_url, residents, f"o-once-{run_tag}-")
    figures.update({name: delivery.counts[name] for name in COUNTED}, errors=dict(delivery.errors), kills=len(killed), seconds=seconds,
                   nodes=nodes, node_kills=len(nodes_killed),
                   reports=reports, rate=reports / seconds, messages_per_s=delivery.counts["deliveries"] / seconds,
                   server_tracebacks=log.count("Traceback"), claims_taken_over=log.count("took over a claim"),
                   log_tail=log[-3000:])
    return figures


def prepare(database_url, redis_url):
    """A throwaway benchmark database: created if missing, schema rebuilt, migrated, seeded; Redis db flushed."""
    name = database_url.rsplit("/", 1)[1]
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q"]
    subprocess.run([*psql, "-c", f"CREATE DATABASE {name}"], capture_output=True, check=False)
    subprocess.run([*psql, "-d", name, "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"],
                   capture_output=True, check=True)
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "PYTHONPATH": str(ROOT)}
    for command in (["db", "upgrade", "heads"], ["seed"]):
        subprocess.run([sys.executable, "-m", "flask", "--app", "bot", *command], cwd=ROOT, env=env,
                       capture_output=True, check=True)
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], capture_output=True, check=False)


def report(f):
    """Print the figures."""
    print(f"exactly-once load: {f['reports']} reports, {f['nodes']} app node(s) of gunicorn 2 workers x 4 threads "
          f"(safe mode, PostgreSQL, Redis), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"  tickets {f['tickets']}   duplicates {f['duplicates']}   lost {f['lost']}   "
          f"number mismatches {f['number_mismatches']}   sequence duplicates {f['sequence_duplicates']}")
    print(f"  confirmed in chat {f['confirmed']}   confirms failed on every retry {f['confirms_failed_every_retry']} "
          f"(filed after resending: {f['failed_then_filed']})   joined another ticket {f['joined']}   "
          f"stuck {f['stuck']}")
    print(f"  deliveries {f['deliveries']}   WeChat retries {f['retries']}   concurrent duplicates "
          f"{f['concurrent_duplicates']}   answers dropped {f['answers_dropped']}   user resends {f['user_resends']}")
    print(f"  reply mismatches: retry {f['retry_mismatches']}, duplicate {f['duplicate_mismatches']}   "
          f"own-duplicate prompts {f['own_duplicate_prompts']}   unexpected replies {f['unexpected_replies']}")
    print(f"  worker kills {f['kills']}   node kills {f['node_kills']}   failed deliveries {f['errors']}   claims taken over by a retry "
          f"{f['claims_taken_over']}   server tracebacks {f['server_tracebacks']}")
    print(f"  wall time {f['seconds']:.1f} s   {f['rate']:.1f} reports/s   {f['messages_per_s']:.0f} deliveries/s   "
          f"sequence gaps {f['sequence_gaps']}   numbers past 9999 in a day {f['numbers_past_9999']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16, help="residents talking at once")
    parser.add_argument("--kills", type=int, default=1, help="workers SIGKILLed, spread over the run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nodes", type=int, default=1, help="app nodes (gunicorn masters) behind a round-robin balancer")
    parser.add_argument("--node-kills", type=int, default=0, help="whole nodes SIGKILLed mid-run (never restarted)")
    args = parser.parse_args()
    database_url = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/jinguanjia_t_once")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
    prepare(database_url, redis_url)
    figures = run(database_url, redis_url, args.reports, clients=args.clients, kills=args.kills, seed=args.seed,
                  nodes=args.nodes, node_kills=args.node_kills)
    report(figures)
    bad = figures["duplicates"] or figures["lost"] or figures["sequence_duplicates"] or figures["number_mismatches"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
