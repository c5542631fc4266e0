"""The size rule of the layer: no module passes N lines. `python -m tests.support.module_sizes
<folder> <N>` names every module over it and exits 1; 0 when none is."""

from __future__ import annotations

import sys
from pathlib import Path


def oversized(folder: Path, most: int) -> list[tuple[Path, int]]:
    sizes = ((path, len(path.read_text().splitlines())) for path in sorted(folder.rglob("*.py")))
    return [(path, lines) for path, lines in sizes if lines > most]


def main(argv: list[str]) -> int:
    folder, most = Path(argv[0]), int(argv[1])
    found = oversized(folder, most)
    for path, lines in found:
        print(f"{path}: {lines} lines, more than {most}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
