"""A TCP proxy that delays every chunk by a fixed time each way: a WAN round trip on loopback.

The kernel here has no netem, so latency is added in user space. Order is preserved per
direction; the proxy also counts client "flights" (a client send after a server reply), which
is the number of round trips a protocol exchange costs.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FlightCounter:
    """Round trips, connections, and sessions open at once (now and at the most); proxies in
    front of one host's ports may share one counter, so `peak` is the host's."""

    flights: int = 0
    connections: int = 0
    active: int = 0
    peak: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self._lock:
            self.flights = 0
            self.connections = 0
            self.peak = self.active

    def opened(self) -> None:
        with self._lock:
            self.connections += 1
            self.flights += 1  # the TCP connect itself costs a round trip
            self.active += 1
            self.peak = max(self.peak, self.active)

    def closed(self) -> None:
        with self._lock:
            self.active -= 1


class DelayProxy:
    """Listens on 127.0.0.1:<port> and forwards to 127.0.0.1:<target_port> with `one_way` delay."""

    def __init__(
        self, target_port: int, one_way_seconds: float, counter: FlightCounter | None = None
    ) -> None:
        self.target_port = target_port
        self.delay = one_way_seconds
        self.counter = counter or FlightCounter()
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> DelayProxy:
        self._thread.start()
        self._ready.wait(5)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024)
        )
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        # A session counts from the client's connect to the client's close, as seen here: the
        # delayed delivery of that close upstream is the network's, not the client's.
        session = {"open": True}

        def end() -> None:
            if session.pop("open", False):
                self.counter.closed()

        self.counter.opened()
        try:
            await self._relay(client_r, client_w, end)
        finally:
            end()

    async def _relay(
        self,
        client_r: asyncio.StreamReader,
        client_w: asyncio.StreamWriter,
        client_closed: Callable[[], None],
    ) -> None:
        # The connect's own round trip: SYN out, SYN-ACK back.
        await asyncio.sleep(2 * self.delay)
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_w.close()
            return
        last_from_server = {"value": True}
        await asyncio.gather(
            self._pipe(client_r, server_w, last_from_server, True, client_closed),
            self._pipe(server_r, client_w, last_from_server, False),
            return_exceptions=True,
        )

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        last_from_server: dict[str, bool],
        from_client: bool,
        closed: Callable[[], None] | None = None,
    ) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                pause = due - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
                if not chunk:
                    writer.close()
                    return
                writer.write(chunk)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        try:
            while True:
                chunk = await reader.read(65536)
                if from_client and chunk and last_from_server["value"]:
                    with self.counter._lock:
                        self.counter.flights += 1
                last_from_server["value"] = not from_client
                await queue.put((time.monotonic() + self.delay, chunk))
                if not chunk:
                    if closed is not None:
                        closed()
                    break
            await sender
        except (ConnectionError, OSError):
            sender.cancel()
            writer.close()
