"""Servers a test owns (a redis-server, a PostgreSQL cluster) so it can stop and start them.

They listen on free ports of their own: stopping them cannot disturb the shared services
other tests (and other people) use.
"""

import glob
import os
import shutil
import subprocess
import tempfile
import time

import redis
from sqlalchemy import create_engine, text

from tests.support.net import free_port


class PrivateRedis:
    """A redis-server on its own port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=5)

    def close(self):
        if self.process is not None and self.process.poll() is None:
            self.stop()


def postgres_bin():
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[-3]))
    return os.path.dirname(found[-1]) if found else None


class PrivatePostgres:
    """A throwaway PostgreSQL cluster (initdb in a temporary directory, fsync off, trust auth).

    initdb refuses to run as root, so under root the cluster belongs to the postgres account.
    """

    def __init__(self, bindir):
        self.bindir = bindir
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="jj-pg-")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", self._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N")

    @property
    def _data(self):
        return os.path.join(self.dir, "data")

    def _run(self, tool, *args):
        subprocess.run([*self._as, os.path.join(self.bindir, tool), *args], check=True, capture_output=True,
                       timeout=60)

    def start(self):
        options = (f"-k {self.dir} -c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self._run("pg_ctl", "-D", self._data, "-l", os.path.join(self.dir, "log"), "-w", "-t", "30",
                  "-o", options, "start")
        return self

    def stop(self):
        """A fast shutdown: open sessions are cut off, as when the database server goes away."""
        self._run("pg_ctl", "-D", self._data, "-w", "-m", "fast", "stop")

    def running(self):
        result = subprocess.run([*self._as, os.path.join(self.bindir, "pg_ctl"), "-D", self._data, "status"],
                                capture_output=True)
        return result.returncode == 0

    def execute(self, sql):
        """Run one statement on a connection of its own; its rows, if it returns any."""
        engine = create_engine(self.url)
        try:
            with engine.begin() as connection:
                result = connection.execute(text(sql))
                return result.all() if result.returns_rows else None
        finally:
            engine.dispose()

    def close(self):
        if self.running():
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
