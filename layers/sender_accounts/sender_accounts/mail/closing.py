"""Closing a mail session all the way before its caller moves on.

A TLS transport's close() sends close_notify and keeps the socket open until the server
answers it, in a loop that the caller is about to leave: the socket then stayed open until
garbage collection, past the per-host slot that counted it (a host saw one connection more than
its bound) and past the invocation (a descriptor leaked per check in a warm function).
"""

from __future__ import annotations

import asyncio

# The server's answer to close_notify is one round trip; one slower than this is cut off.
CLOSE_WAIT_SECONDS = 1.0
_POLL_SECONDS = 0.01


async def closed(transport: asyncio.BaseTransport | None, wait: float = CLOSE_WAIT_SECONDS) -> None:
    """Close `transport` (if its owner has not) and return once its socket is closed: at most
    `wait` for the TLS goodbye, then aborted. A cancelled caller aborts at once."""
    if not isinstance(transport, asyncio.Transport):  # none, or one that cannot be aborted
        if transport is not None:
            transport.close()
        return
    sock = transport.get_extra_info("socket")
    if not transport.is_closing():
        transport.close()
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        transport.abort()
        return
    # Neither asyncio nor the mail libraries expose a "socket closed" future for a TLS
    # transport; the descriptor going to -1 is that moment, whatever the layers above it.
    deadline = asyncio.get_running_loop().time() + wait
    try:
        while sock is not None and sock.fileno() != -1:
            if asyncio.get_running_loop().time() >= deadline:
                transport.abort()
                await asyncio.sleep(0)  # the abort closes the socket on the loop's next turn
                return
            await asyncio.sleep(_POLL_SECONDS)
    except asyncio.CancelledError:  # the caller's deadline came while waiting: no goodbye
        transport.abort()
        raise
