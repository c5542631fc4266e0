"""An inbox's warm-up key (`warmup_key_id`): two words its warm-up messages carry in their body,
as the vendors' keys do, so a mailbox's own filters can tell warm-up mail apart."""

from __future__ import annotations

import secrets

KEY_WORDS = (
    "amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbor", "indigo", "juniper",
    "kestrel", "lagoon", "meadow", "nectar", "orchid", "prairie", "quartz", "raven", "sierra",
    "tundra", "umber", "valley", "willow", "yarrow", "zephyr", "aspen", "basalt", "cobalt",
    "dune", "estuary", "falcon", "glacier", "heron", "islet", "jasper", "kelp", "lichen",
    "maple", "nimbus", "opal", "pebble", "quill", "ridge", "spruce", "thistle", "upland",
    "vireo", "wren", "alder", "brook",
)  # fmt: skip


def warmup_key() -> str:
    return f"{secrets.choice(KEY_WORDS)}-{secrets.choice(KEY_WORDS)}"
