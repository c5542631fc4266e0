"""A TCP proxy in front of a real server that can stop answering: while `answering` is false,
it accepts connections and never says a word (a mail host that hangs), then recovers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class SwitchProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.answering = True
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = int(self._listener.getsockname()[1])
        self._stop = threading.Event()
        self._held: list[socket.socket] = []

    def start(self) -> SwitchProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            if not self.answering:
                self._held.append(client)  # accepted, never answered
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()
                continue
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()
        for held in self._held:
            held.close()


@contextmanager
def switch_proxy(target_port: int) -> Iterator[SwitchProxy]:
    proxy = SwitchProxy(target_port).start()
    try:
        yield proxy
    finally:
        proxy.stop()
