"""The local runtime patches moto only at the version its patches were written for."""

from __future__ import annotations

import re

import pytest

from local_stack.moto_patches import (
    PATCHED_MOTO_VERSION,
    UnsupportedMotoVersion,
    check_moto_version,
)
from local_stack.template import PROJECT_ROOT


def test_another_moto_version_stops_the_start_naming_both_versions() -> None:
    with pytest.raises(UnsupportedMotoVersion, match=r"moto 5\.9\.0 .* for 5\.2\.5"):
        check_moto_version("5.9.0")


def test_the_installed_and_pinned_moto_are_the_patched_one() -> None:
    check_moto_version()
    pinned = re.search(
        r"^moto\[[^\]]*\]==(\S+)$", (PROJECT_ROOT / "requirements-dev.txt").read_text(), re.M
    )
    assert pinned is not None
    assert pinned.group(1) == PATCHED_MOTO_VERSION
