"""WeChat's delivery of one message, as the exactly-once load (bench/once_load.py) plays it.

WeChat POSTs a message and waits 5 seconds; when the answer is slow or the request fails it
sends the same message again (same MsgId), three times at most. A reply of "success" (or an
empty body) is final: nothing is shown and nothing retried. Here, on top of that, a delivery
can be sent twice at the same moment (a concurrent duplicate), and a good answer can be thrown
away as if it arrived too late, so the retry must be answered from the reply cache.
"""

import http.client
import random
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from bot.chat.messages import read_reply, signed_request

RETRIES = 3
COUNTED = ("deliveries", "retries", "concurrent_duplicates", "answers_dropped", "failed_messages", "retry_mismatches",
           "duplicate_mismatches", "user_resends", "confirms_failed_every_retry", "own_duplicate_prompts",
           "unexpected_replies")


class Delivery:
    """Posts messages like WeChat's servers, through a round-robin balancer over one or more app
    nodes (ports); counts what happened. A node that refuses a connection is left out for
    DOWN_SECONDS, as nginx's max_fails/fail_timeout does, so retries go to the nodes still up."""

    DOWN_SECONDS = 10.0

    def __init__(self, ports, protocol, *, timeout=5.0, retry_pause=1.0, dup_rate=0.1, drop_rate=0.05, seed=1):
        self.ports, self.protocol = list(ports) if isinstance(ports, list | tuple) else [ports], protocol
        self._next, self._down = 0, {}  # round-robin position; port -> monotonic time it may be tried again
        self.timeout, self.retry_pause = timeout, retry_pause
        self.dup_rate, self.drop_rate = dup_rate, drop_rate
        self.counts = Counter()
        self.errors = Counter()  # "HTTP 500", "timeout", "ConnectionResetError", ...
        self._lock = threading.Lock()
        self._local = threading.local()
        self._rng = random.Random(seed)

    def count(self, name, n=1):
        with self._lock:
            self.counts[name] += n

    def chance(self, p):
        with self._lock:
            return self._rng.random() < p

    def send(self, xml):
        """The reply WeChat finally shows ({"type": "none"} for nothing), or None if every delivery failed."""
        first = None
        for attempt in range(1 + RETRIES):
            if attempt:
                self.count("retries")
            started = time.monotonic()
            reply = self._deliver(xml, duplicate=attempt == 0 and self.chance(self.dup_rate))
            if reply is not None and attempt == 0 and self.chance(self.drop_rate):
                self.count("answers_dropped")  # WeChat gave up just before it came: the retry gets it from cache
                first = reply
                continue
            if reply is not None:
                self._compare(first, reply, "retry_mismatches")
                return reply
            time.sleep(max(0.0, self.retry_pause - (time.monotonic() - started)))
        self.count("failed_messages")
        return None

    def _deliver(self, xml, duplicate):
        """One POST (and, for a duplicate, the same POST at the same moment from another thread)."""
        twin = {}
        if duplicate:
            self.count("concurrent_duplicates")
            thread = threading.Thread(target=lambda: twin.update(reply=self._post(xml, fresh=True)))
            thread.start()
        reply = self._post(xml)
        if duplicate:
            thread.join()
            self._compare(reply, twin.get("reply"), "duplicate_mismatches")
        return reply

    def _compare(self, one, other, what):
        """Two answers to one MsgId must say the same thing (an empty one waited out the first)."""
        answered = one and other and one["type"] != "none" and other["type"] != "none"
        if answered and (one["content"], one["articles"]) != (other["content"], other["articles"]):
            self.count(what)

    def _port(self):
        """The next node up, round robin (every node when all look down: one may be back)."""
        with self._lock:
            now = time.monotonic()
            up = [p for p in self.ports if self._down.get(p, 0.0) <= now] or self.ports
            self._next += 1
            return up[self._next % len(up)]

    def _post(self, xml, fresh=False):
        """POST once; the decrypted reply, or None for a failure WeChat would retry."""
        args, body = signed_request(self.protocol, xml)
        port = self._port()
        connection = self._connection(fresh, port)
        self.count("deliveries")
        try:
            connection.request("POST", "/wechat?" + urlencode(args), body.encode(), {"Content-Type": "text/xml"})
            response = connection.getresponse()
            payload = response.read().decode()
        except TimeoutError:
            return self._failed(connection, fresh, port, "timeout")
        except ConnectionRefusedError:
            with self._lock:
                self._down[port] = time.monotonic() + self.DOWN_SECONDS
            return self._failed(connection, fresh, port, "ConnectionRefusedError")
        except (OSError, http.client.HTTPException) as error:
            return self._failed(connection, fresh, port, type(error).__name__)
        if fresh:
            connection.close()
        if response.status != 200:
            return self._failed(connection, fresh, port, f"HTTP {response.status}")
        return read_reply(self.protocol, args, payload)

    def _failed(self, connection, fresh, port, what):
        with self._lock:
            self.errors[what] += 1
        connection.close()
        if not fresh:
            self._connections().pop(port, None)
        return None

    def _connections(self):
        if getattr(self._local, "connections", None) is None:
            self._local.connections = {}
        return self._local.connections

    def _connection(self, fresh, port):
        """A keep-alive connection per thread and node (a new one for a concurrent duplicate)."""
        if fresh:
            return http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        connections = self._connections()
        if port not in connections:
            connections[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        return connections[port]
