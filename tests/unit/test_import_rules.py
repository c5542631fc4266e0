"""The layer's import rules are checked, not only written down: `make lint` runs the contracts
of pyproject's [tool.importlinter] and the size rule, and each fails on a tree that breaks it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.module_sizes import oversized

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "sender_accounts"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports with the project's contracts over `tree` (a copy of the layer and the
    local runtime)."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PYTHONPATH": f"{tree / 'layer'}:{tree}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(LAYER / "sender_accounts", tmp_path / "layer" / "sender_accounts")
    shutil.copytree(ROOT / "local_stack", tmp_path / "local_stack")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_store_module_importing_a_use_case_breaks_the_layers(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    store = tree / "layer" / "sender_accounts" / "store"
    # Inside a function, as lazy imports are: they count all the same
    (store / "shortcut.py").write_text(
        "def create() -> None:\n"
        "    from sender_accounts.accounts.service import SenderAccountService\n\n"
        "    SenderAccountService.__name__\n"
    )
    result = _lint(tree)
    assert result.returncode == 1, result.stdout
    assert "Each folder imports only the folders below it BROKEN" in result.stdout
    assert "sender_accounts.store.shortcut -> sender_accounts.accounts.service" in result.stdout


def test_a_cycle_between_two_modules_of_a_folder_breaks_the_acyclic_contract(
    tmp_path: Path,
) -> None:
    tree = _copy(tmp_path)
    mail = tree / "layer" / "sender_accounts" / "mail"
    (mail / "first.py").write_text("from sender_accounts.mail import second\n\nsecond.__name__\n")
    (mail / "second.py").write_text(
        "def back() -> None:\n    from sender_accounts.mail import first\n\n    first.__name__\n"
    )
    result = _lint(tree)
    assert result.returncode == 1, result.stdout
    assert "No import cycle between modules or folders" in result.stdout
    assert "BROKEN" in result.stdout


def test_type_checking_imports_are_exempt(tmp_path: Path) -> None:
    tree = _copy(tmp_path)
    (tree / "layer" / "sender_accounts" / "store" / "typed.py").write_text(
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from sender_accounts.accounts.service import SenderAccountService\n"
    )
    assert _lint(tree).returncode == 0


def test_no_module_of_the_layer_passes_300_lines(tmp_path: Path) -> None:
    assert oversized(LAYER / "sender_accounts", 300) == []
    (tmp_path / "long.py").write_text("x = 1\n" * 301)
    assert oversized(tmp_path, 300) == [(tmp_path / "long.py", 301)]
