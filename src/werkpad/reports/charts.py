"""Static SVG bar charts (matplotlib, Agg backend) for the council report.

WeasyPrint runs no JavaScript, so the report uses static SVG in both the HTML and the PDF; no
file is fetched from the network.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLOURS = ["#1f5f8b", "#e07b39", "#5a9e4b", "#8a5fa8"]


def bar_chart_svg(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    ylabel: str,
) -> str:
    """A grouped bar chart as an inline ``<svg>`` string."""
    figure, axes = plt.subplots(figsize=(6.4, 3.0), dpi=100)
    width = 0.8 / max(1, len(series))
    positions = range(len(categories))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p + (index - (len(series) - 1) / 2) * width for p in positions]
        axes.bar(offsets, [float(v) for v in values], width=width, label=name,
                 color=COLOURS[index % len(COLOURS)])  # fmt: skip
    axes.set_xticks(list(positions), [str(c) for c in categories])
    axes.set_title(title, fontsize=11)
    axes.set_ylabel(ylabel)
    axes.spines[["top", "right"]].set_visible(False)
    axes.ticklabel_format(axis="y", style="plain", useOffset=False)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
