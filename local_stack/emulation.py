"""The AWS emulation in a process of its own, as AWS's services run apart from a function.

moto spends CPU on every request (parsing, expression evaluation, IAM checks). In the runtime's
own process that CPU shared one core, under one interpreter lock, with the gateway and every
function, so a bulk job or a health sweep used one core of the machine. Here moto serves from
a child process: the functions reach it over HTTP exactly as before, and the two processes run
on two cores.

What moto's HTTP API does not offer (switching IAM enforcement, snapshots for persistence, the
mail SES accepted, writing seed items directly) goes over a control pipe: each command is a
function of `emulation_commands`, run in the emulation's process, its arguments and answer
pickled. The emulation exits when its parent does (the pipe closes).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any


class EmulationError(RuntimeError):
    """A control command failed inside the emulation's process."""


class Emulation:
    """The parent's handle: the endpoint moto serves on, and the control pipe."""

    def __init__(self, process: subprocess.Popen[bytes], control: Connection, endpoint: str):
        self.process = process
        self.endpoint = endpoint
        self._control = control
        self._lock = threading.Lock()  # one command and its answer at a time

    @classmethod
    def start(cls, port: int = 0) -> Emulation:
        ours, theirs = socket.socketpair()
        environment = {
            **os.environ,
            # The functions' roles carry AWS managed policies (execution, queue polling, X-Ray).
            "MOTO_IAM_LOAD_MANAGED_POLICIES": "true",
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        }
        process = subprocess.Popen(  # noqa: S603 - this interpreter, this module
            [sys.executable, "-m", "local_stack.emulation", str(theirs.fileno()), str(port)],
            pass_fds=(theirs.fileno(),),
            env=environment,
        )
        theirs.close()
        control = Connection(ours.detach())
        if not control.poll(60):
            process.kill()
            raise EmulationError("the AWS emulation did not start within 60 s")
        try:
            host, bound_port = control.recv()
        except EOFError:  # it exited before serving; its own error is on stderr
            code = process.wait()
            raise EmulationError(f"the AWS emulation exited at start (exit code {code})") from None
        return cls(process, control, f"http://{host}:{bound_port}")

    def call(self, command: str, *args: Any) -> Any:
        with self._lock:
            self._control.send((command, args))
            outcome, value = self._control.recv()
        if outcome == "error":
            raise EmulationError(f"{command}: {value}")
        return value

    @contextlib.contextmanager
    def relaxed(self) -> Iterator[None]:
        """Requests in this block are not checked: what AWS services do on their own behalf
        (Lambda assuming a function's role) rather than a caller's request."""
        enforced = self.call("set_enforcement", False)
        try:
            yield
        finally:
            self.call("set_enforcement", enforced)

    def stop(self) -> None:
        with contextlib.suppress(OSError, EOFError), self._lock:
            self._control.send(("stop", ()))
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._control.close()


def _serve(control: Connection, port: int) -> None:
    from moto.server import ThreadedMotoServer

    from .moto_patches import apply_moto_patches

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log is loud
    apply_moto_patches()
    from .emulation_commands import COMMANDS, set_enforcement

    set_enforcement(False)  # until the runtime has made its administrator
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    control.send(server.get_host_and_port())
    while True:
        try:
            command, args = control.recv()
        except (EOFError, OSError):  # the runtime is gone
            break
        if command == "stop":
            break
        try:
            value = COMMANDS[command](*args)
        except Exception as error:  # answered, not raised: the emulation keeps serving
            control.send(("error", f"{type(error).__name__}: {error}"))
        else:
            control.send(("ok", value))
    server.stop()


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])), int(sys.argv[2]))
