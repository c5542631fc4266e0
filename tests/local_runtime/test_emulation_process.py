"""The emulation's own process answers on its control pipe, and a stop ends it."""

from __future__ import annotations

from local_stack.emulation import Emulation


def test_a_stopped_emulation_leaves_no_process() -> None:
    emulation = Emulation.start()
    assert emulation.call("set_enforcement", False) is False  # it answers on its pipe
    emulation.stop()
    assert emulation.process.poll() is not None
