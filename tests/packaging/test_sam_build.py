"""What `sam build` produced (make test builds before it tests): arm64 code, every function."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local_stack.template import PROJECT_ROOT, StackTemplate, load_template

BUILD = PROJECT_ROOT / ".aws-sam" / "build"
ELF_MACHINE_AARCH64 = 183

pytestmark = pytest.mark.skipif(
    not BUILD.exists() and os.environ.get("CI") != "true",
    reason="no .aws-sam/build: run `make sam-build` (make test does)",
)


def _elf_machine(path: Path) -> int:
    header = path.read_bytes()[:20]
    assert header[:4] == b"\x7fELF", path
    return int.from_bytes(header[18:20], "little")


def test_every_compiled_module_of_the_layer_is_arm64() -> None:
    layer = BUILD / "SenderAccountsLayer" / "python"
    compiled = list(layer.rglob("*.so"))
    assert compiled, "the layer should contain pydantic_core's compiled module"
    wrong = [str(p.relative_to(layer)) for p in compiled if _elf_machine(p) != ELF_MACHINE_AARCH64]
    assert wrong == []
    for module in ("accounts/service.py", "store/inboxes.py", "mail/validation.py", "startup.py"):
        assert (layer / "sender_accounts" / module).exists(), module
    assert (layer / "dns" / "resolver.py").exists(), "dnspython, for domain ownership"


def test_every_function_of_the_template_was_built() -> None:
    template = StackTemplate(load_template())
    for logical_id, resource in template.functions().items():
        handler_module = resource["Properties"]["Handler"].rsplit(".", 1)[0]
        assert (BUILD / logical_id / f"{handler_module}.py").exists(), logical_id
