"""A hostile server from `hostile_servers` in a process of its own, so that what a test
measures of the client (its memory) holds nothing of the server's."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def server_process(behaviour: str) -> Iterator[int]:
    """Serve `hostile_servers.<behaviour>` on a loopback port in a child process."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.support.server_process", behaviour],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        yield int(child.stdout.readline())
    finally:
        child.kill()
        child.wait(10)


def _serve(behaviour: str) -> None:
    import time

    from tests.support import hostile_servers
    from tests.support.misbehaving_servers import misbehaving_server

    with misbehaving_server(getattr(hostile_servers, behaviour)) as port:
        print(port, flush=True)
        while True:
            time.sleep(60)


if __name__ == "__main__":
    _serve(sys.argv[1])
