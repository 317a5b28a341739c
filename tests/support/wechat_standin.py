"""A local HTTP server standing in for WeChat's API (nothing else leaves this machine).

It records every call in ``calls`` and can be told to fail: ``fail("message/custom/send",
times=2, errcode=45015)`` makes the next two customer-service messages fail with that code.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

# Stands in for a photo: JPEG start/end markers around a JFIF header.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


class StandIn:
    """Start with start(), stop with stop(); base_url ends in /cgi-bin/."""

    def __init__(self):
        self.calls = []
        self._failures = {}
        self._lock = threading.Lock()
        self._tokens = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail(self, endpoint, times=1, errcode=-1, status=200):
        """Make the next ``times`` calls to endpoint fail."""
        self._failures[endpoint] = [times, errcode, status]

    def sent(self, endpoint):
        """JSON bodies posted to an endpoint (e.g. "message/custom/send")."""
        return [c["json"] for c in self.calls if c["endpoint"] == endpoint and c["status"] == "ok"]

    def _respond(self, endpoint, query, body):
        with self._lock:
            failure = self._failures.get(endpoint)
            if failure and failure[0] > 0:
                failure[0] -= 1
                self.calls.append({"endpoint": endpoint, "query": query, "json": body, "status": "failed"})
                return failure[2], {"errcode": failure[1], "errmsg": "stand-in failure"}
            self.calls.append({"endpoint": endpoint, "query": query, "json": body, "status": "ok"})
            return 200, self._answer(endpoint, query, body)

    def _answer(self, endpoint, query, body):
        if endpoint == "token":
            self._tokens += 1
            return {"access_token": f"TOKEN{self._tokens}", "expires_in": 7200}
        if endpoint == "media/get":
            return JPEG
        if endpoint == "qrcode/create":
            scene = body["action_info"]["scene"]["scene_str"]
            return {"ticket": f"TICKET-{scene}", "url": f"http://weixin.qq.com/q/{scene}"}
        if endpoint == "tags/get":
            return {"tags": [{"id": 2, "name": "星标组", "count": 0}]}
        if endpoint == "tags/create":
            return {"tag": {"id": 134, "name": body["tag"]["name"]}}
        if endpoint == "menu/addconditional":
            return {"menuid": "208379533"}
        if endpoint == "message/template/send":
            return {"errcode": 0, "errmsg": "ok", "msgid": len(self.calls)}
        return {"errcode": 0, "errmsg": "ok"}


def _handler(standin):
    class Handler(BaseHTTPRequestHandler):
        def _serve(self, body):
            url = urlparse(self.path)
            endpoint = url.path.removeprefix("/cgi-bin/")
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            status, answer = standin._respond(endpoint, query, body)
            payload = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "image/jpeg" if isinstance(answer, bytes) else "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):
            self._serve(None)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw.decode("utf-8")) if raw else None
            except ValueError:
                body = {"raw": raw.decode("utf-8", "replace")}
            self._serve(body)

        def log_message(self, *args):
            pass

    return Handler
