"""An HTTP proxy in front of the AWS emulation that answers chosen operations with AWS's own
throttling error, so the product meets a throttled DynamoDB over the real protocol."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

THROTTLED = (
    b'{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",'
    b'"message":"The level of configured provisioned throughput for the table was exceeded."}'
)


@contextmanager
def throttling_proxy(upstream: str, throttled_targets: set[str]) -> Iterator[tuple[str, list[str]]]:
    """Yields the proxy's URL and the list of throttled operations it answered."""
    throttled: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            target = self.headers.get("X-Amz-Target", "")
            if target in throttled_targets:
                throttled.append(target)
                self._answer(400, {"Content-Type": "application/x-amz-json-1.0"}, THROTTLED)
                return
            forwarded = requests.post(
                upstream + self.path,
                data=body,
                # As signed by the client (Host included): the emulation checks signatures.
                headers=dict(self.headers.items()),
                timeout=30,
            )
            self._answer(forwarded.status_code, dict(forwarded.headers), forwarded.content)

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in {
                    "content-length",
                    "connection",
                    "transfer-encoding",
                    "content-encoding",
                }:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", throttled
    finally:
        server.shutdown()
