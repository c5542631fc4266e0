"""Where a running local stack can be found by the other commands (api-key, invoke)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .template import PROJECT_ROOT

# LOCAL_STACK_DIR: another folder for a second stack's state (the tests' own stacks use one).
STATE_DIR = Path(os.environ.get("LOCAL_STACK_DIR") or PROJECT_ROOT / ".local-stack")
STATE_FILE = STATE_DIR / "state.json"


@dataclass
class LocalStackState:
    pid: int
    moto_endpoint: str
    gateway_url: str
    environment: dict[str, str] = field(default_factory=dict)
    # The emulation's own keys (IAM is enforced there): the administrator's, and each function's
    # role credentials, for `make invoke` and `make api-key` to act as the running stack does.
    administrator: dict[str, str | None] = field(default_factory=dict)
    function_keys: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def save(self, path: Path = STATE_FILE) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load_running(cls, path: Path = STATE_FILE) -> LocalStackState | None:
        """The state of a local stack whose process is still alive, or None."""
        if not path.exists():
            return None
        state = cls(**json.loads(path.read_text()))
        try:
            os.kill(state.pid, 0)
        except OSError:
            return None
        return state


def clear(path: Path = STATE_FILE) -> None:
    path.unlink(missing_ok=True)
