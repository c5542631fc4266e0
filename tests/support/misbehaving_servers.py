"""Mail servers that misbehave on purpose, on loopback: each accepts and then fails a way
real servers do (hang up mid-handshake, trickle, flood, never answer LOGIN)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def drops_after_ehlo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 flaky.example ESMTP\r\n")
    await writer.drain()
    await reader.readline()
    writer.close()


async def banner_one_byte_a_second(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    for byte in b"220 slow.example ESMTP\r\n":
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(1)


async def oversized_reply_line(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 " + b"x" * 2_000_000 + b"\r\n")
    await writer.drain()
    await asyncio.sleep(30)


async def imap_never_finishes_login(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    writer.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
    await writer.drain()
    await reader.readline()  # the LOGIN command, never answered
    await asyncio.sleep(60)


@contextmanager
def misbehaving_server(behaviour: Behaviour) -> Iterator[int]:
    """Serve `behaviour` on a loopback port in a thread; yields the port."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port: list[int] = []

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await behaviour(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def run() -> None:
        asyncio.set_event_loop(loop)
        server = loop.run_until_complete(asyncio.start_server(guarded, "127.0.0.1", 0))
        port.append(server.sockets[0].getsockname()[1])
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(5)

    async def shutdown() -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    try:
        yield port[0]
    finally:
        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


async def refuses_starttls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Offers STARTTLS, then answers it 454 (RFC 3207: TLS not available for now)."""
    writer.write(b"220 notls.example ESMTP\r\n")
    await writer.drain()
    while line := await reader.readline():
        if line.upper().startswith(b"EHLO"):
            writer.write(b"250-notls.example\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n")
        elif line.upper().startswith(b"STARTTLS"):
            writer.write(b"454 4.7.0 TLS not available due to temporary reason\r\n")
        else:
            writer.write(b"250 OK\r\n")
        await writer.drain()
