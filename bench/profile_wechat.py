"""Where a /wechat message's CPU goes under load: py-spy samples the GIL-holding thread of every
gunicorn worker while wrk replays the benchmark's messages, then the top frames are printed.

    python bench/profile_wechat.py [--mix help|realistic] [--seconds 8] [--top 40]

Same server, settings and database as bench/wechat_bench.py. Needs wrk and py-spy
(`pip install py-spy`; it reads other processes' memory, so it may need root or ptrace rights).
Percentages are inclusive (a frame and everything it called), of the samples that held the GIL.
"""

import argparse
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import wechat_bench as bench  # noqa: E402
from bench.loadgen import wrk_load  # noqa: E402
from tests.support.net import free_port  # noqa: E402

SKIP = ("threading.py", "thread.py", "gthread.py", "runpy", "arbiter.py", "__main__.py", "wsgiapp.py", "base.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mix", choices=["help", "realistic"], default="help")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not (shutil.which("wrk") and Path(spy).exists()):
        sys.exit("needs wrk and py-spy on this machine")
    env = {**os.environ, **bench.SETTINGS, "PYTHONPATH": str(ROOT)}
    bench.prepare(env, False)
    port = free_port()
    server = bench.serve("bot:create_app()", port, env)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            wrk_load(port, bench.build(3000, args.mix, "warm"), 2, 8, tmp)
            pairs = bench.build(4000 * args.seconds, args.mix, "load")
            out = Path(tmp) / "samples.txt"
            sampler = subprocess.Popen([spy, "record", "--pid", str(server.pid), "--subprocesses", "--gil", "-r", "200",
                                        "-d", str(args.seconds), "--format", "raw", "-o", str(out)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            figures = wrk_load(port, pairs, args.seconds + 1, 8, tmp)
            sampler.wait()
            print(f"{args.mix} mix: {figures['rate']:.0f} msg/s, p50 {figures['p50']:.1f} ms, p99 {figures['p99']:.1f} ms")
            report(out.read_text().splitlines(), args.top)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def report(lines, top):
    total, inclusive = 0, collections.Counter()
    for line in lines:
        stack, _, count = line.rpartition(" ")
        count = int(count)
        total += count
        names = {_name(frame) for frame in stack.split(";")[1:]}
        for name in names:
            if not name.endswith(SKIP) and not name.startswith(("process ", "_run_")):
                inclusive[name] += count
    print(f"{total} samples holding the GIL")
    for name, count in inclusive.most_common(top):
        print(f"{count / total * 100:5.1f}%  {name}")


def _name(frame):
    """'function (path/file.py:line)' -> 'function file.py'."""
    function, _, where = frame.partition(" (")
    return f"{function} {where.split(':')[0].rsplit('/', 1)[-1]}"


if __name__ == "__main__":
    main()
