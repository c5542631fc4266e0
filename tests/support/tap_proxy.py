"""A wiretap between a client and a server: forwards TCP both ways unchanged and keeps every
byte the client sent, so a test can prove what crossed the wire in clear (after STARTTLS it
sees only ciphertext). It counts connections, and can hold each connection's first bytes from
the server (its greeting) back for a while: a server slow to greet."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress


class Tap:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.greeting_delay = 0.0
        self.connections = 0
        self._sent: list[bytes] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])

    @property
    def client_bytes(self) -> bytes:
        with self._lock:
            return b"".join(self._sent)

    def serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            server = socket.create_connection(self.target, timeout=10)
            held = self.greeting_delay
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(
                target=self._pipe, args=(server, client, False, held), daemon=True
            ).start()

    def _pipe(
        self, source: socket.socket, sink: socket.socket, from_client: bool, held: float = 0.0
    ) -> None:
        try:
            while chunk := source.recv(65536):
                if from_client:
                    with self._lock:
                        self._sent.append(chunk)
                elif held:
                    time.sleep(held)
                    held = 0.0
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._listener.close()


@contextmanager
def tap(host: str, port: int) -> Iterator[Tap]:
    """A tap on 127.0.0.1 in front of host:port, for the duration of the block."""
    wiretap = Tap((host, port))
    threading.Thread(target=wiretap.serve, daemon=True).start()
    try:
        yield wiretap
    finally:
        wiretap.close()
