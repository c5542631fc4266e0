"""Every change the local runtime makes to moto, applied in one place, and only to the moto
version they were written against: each reaches into moto's internals (DynamoDB's backend and
tables, the response classes' authorization hook), which a new version may move. Another
version stops the start with a clear message instead of emulating AWS wrongly."""

from __future__ import annotations

from importlib.metadata import version

from . import authorization
from .emulation_fixes import apply_emulation_fixes
from .query_pages import apply_query_pages

# requirements-dev.txt pins the same; raising the pin means reading the three modules below
# against the new moto first.
PATCHED_MOTO_VERSION = "5.2.5"


class UnsupportedMotoVersion(RuntimeError):
    pass


def check_moto_version(installed: str | None = None) -> None:
    found = installed or version("moto")
    if found != PATCHED_MOTO_VERSION:
        raise UnsupportedMotoVersion(
            f"moto {found} is installed; the local runtime's patches (emulation_fixes.py, "
            f"query_pages.py, authorization.py) are written for {PATCHED_MOTO_VERSION}: "
            "install the pinned version (make venv) or port the patches"
        )


def apply_moto_patches() -> None:
    """Atomic conditional writes and journaled transactions, Query pages without sorting the
    whole table, and IAM checked per resource: see each module for why."""
    check_moto_version()
    apply_emulation_fixes()
    authorization.apply_resource_aware_authorization()
    apply_query_pages()
