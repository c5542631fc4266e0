"""The benchmark's figures as one PNG: times, ratios, round trips, import times."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def draw(
    figures: dict[str, float],
    cold_requests: dict[str, float],
    trips: dict[str, int],
    minimum: dict[str, int],
    rows: int,
    path: Path,
) -> Path:
    fig, axes = plt.subplots(1, 3, figsize=(16, 5))
    names = ["(a) one", "(f) floor", "(b) bulk", "(c) sequential"]
    values = [figures["a"], figures["f"], figures["b"], figures["c"]]
    bars = axes[0].bar(names, values, color=["#4c72b0", "#55a868", "#c44e52", "#8172b2"])
    axes[0].set_yscale("log")
    axes[0].set_ylabel("seconds (log scale)")
    axes[0].set_title(f"{rows} validations at 50 ms RTT")
    for bar, value in zip(bars, values, strict=True):
        axes[0].annotate(
            f"{value:.2f}s", (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom"
        )

    protocols = list(trips)
    x = range(len(protocols))
    axes[1].bar([i - 0.2 for i in x], [trips[p] for p in protocols], width=0.4, label="measured")
    axes[1].bar(
        [i + 0.2 for i in x], [minimum[p] for p in protocols], width=0.4, label="protocol minimum"
    )
    axes[1].set_xticks(list(x), [p.upper() for p in protocols])
    axes[1].set_title("round trips of one validation")
    axes[1].legend()

    labels = [name.removesuffix("Function") for name in cold_requests]
    axes[2].barh(labels, [seconds * 1000 for seconds in cold_requests.values()], color="#64b5cd")
    axes[2].set_xlabel("ms, fresh process: import and answer its sample")
    axes[2].set_title("cold request per function")
    fig.suptitle(
        f"(b)/(f) = {figures['b'] / figures['f']:.2f}   (b)/(a) = {figures['b'] / figures['a']:.2f}"
        f"   (c)/(b) = {figures['c'] / figures['b']:.1f}"
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
