"""A customer's webhook endpoint on loopback: real HTTP, every request kept (headers, body,
arrival time), and per path a script of answers a test sets: a status, `hang` (no answer for
longer than the sender waits), or `redirect` (a 307 elsewhere). Each message (webhook-id) plays
the path's script from its start, so one event's retries see the script whatever other events
arrive meanwhile; when it runs out the answer is 200."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

HANG_SECONDS = 15


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str
    at: float


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    scripts: dict[str, list[Any]] = field(default_factory=dict)
    played: dict[tuple[str, str], int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, path: str, *answers: Any) -> str:
        with self.lock:
            self.scripts[path] = list(answers)
        return self.base_url + path

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def wait_for(self, path: str, count: int, seconds: float = 30.0) -> list[Received]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            seen = self.at(path)
            if len(seen) >= count:
                return seen
            time.sleep(0.05)
        return self.at(path)

    def of_message(self, path: str) -> dict[str, list[Received]]:
        """The path's requests grouped by webhook-id, in arrival order."""
        groups: dict[str, list[Received]] = {}
        for received in self.at(path):
            groups.setdefault(received.headers.get("webhook-id", ""), []).append(received)
        return groups

    def next_answer(self, path: str, message_id: str) -> Any:
        with self.lock:
            script = self.scripts.get(path) or []
            step = self.played.get((path, message_id), 0)
            self.played[(path, message_id)] = step + 1
            return script[step] if step < len(script) else 200

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receiver() -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode()
            arrived = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                               time.monotonic())  # fmt: skip
            with receiver.lock:
                receiver.received.append(arrived)
            answer = receiver.next_answer(self.path, arrived.headers.get("webhook-id", ""))
            if answer == "hang":
                time.sleep(HANG_SECONDS)
                return
            if answer == "redirect":
                self.send_response(307)
                self.send_header("Location", f"{receiver.base_url}/redirected")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            payload = b'{"received": true}' + b" " * (4096 if answer == 299 else 0)
            self.send_response(int(answer))
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
