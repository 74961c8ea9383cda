"""Generic Plotly figures for the dashboard panels: grouped bars and lines, optionally with a
target line and a drill-down address per bar (charts.js opens it on click)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from werkpad.web.charts import _MARGIN, COLORS, _figure


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    links: Sequence[str | None] | None = None  # drill-down address per point


def _customdata(series: Series) -> list[str] | None:
    if series.links is None or not any(series.links):
        return None
    return [link or "" for link in series.links]


def bars(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    y_title: str,
    x_title: str = "",
    percent: bool = False,
    horizontal: bool = False,
    target: Series | None = None,
) -> str:
    """Grouped bars, one trace per series; None (a hidden cell) leaves a gap."""
    traces: list[go.BaseTraceType] = []
    suffix = "%" if percent else ""
    for i, item in enumerate(series):
        values = [None if v is None else round(float(v), 1) for v in item.values]
        labels = ["" if v is None else f"{v:.0f}{suffix}" for v in values]
        axis = {"x": values, "y": list(categories)} if horizontal else {
            "x": list(categories), "y": values
        }  # fmt: skip
        traces.append(
            go.Bar(
                name=item.name,
                orientation="h" if horizontal else "v",
                marker_color=COLORS[i % len(COLORS)],
                text=labels,
                textposition="auto",
                customdata=_customdata(item),
                **axis,
            )
        )
    if target is not None:
        traces.append(
            go.Scatter(
                name=target.name,
                x=list(categories),
                y=list(target.values),
                mode="lines+markers",
                line={"color": COLORS[4], "dash": "dash"},
            )
        )
    layout: dict[str, object] = {"barmode": "group"}
    if horizontal:
        layout.update(xaxis_title=y_title, margin={**_MARGIN, "l": 260})
    else:
        layout.update(yaxis_title=y_title, xaxis_title=x_title)
    if percent:
        key = "xaxis" if horizontal else "yaxis"
        layout[key] = {"title": y_title, "range": [0, 100]}
    return _figure(traces, **layout)


def lines(categories: Sequence[str], series: Sequence[Series], *, y_title: str) -> str:
    traces: list[go.BaseTraceType] = [
        go.Scatter(
            name=item.name,
            x=list(categories),
            y=list(item.values),
            mode="lines+markers",
            line={"color": COLORS[i % len(COLORS)]},
        )
        for i, item in enumerate(series)
    ]
    return _figure(traces, yaxis_title=y_title, xaxis_title="Kwartaal")


def stamped(figure: str, text: str) -> str:
    """``figure`` (Plotly JSON) with ``text`` (definition, version, reference date) written in
    the chart itself, so a saved or copied chart still says how its figures were made."""
    data = json.loads(figure)
    layout = data.setdefault("layout", {})
    annotations = list(layout.get("annotations", []))
    annotations.append(
        {
            "text": text,
            "showarrow": False,
            "xref": "paper",
            "yref": "paper",
            "x": 1,
            "y": 1,
            "xanchor": "right",
            "yanchor": "bottom",
            "font": {"size": 10, "color": "#666"},
            "name": "kpi-stamp",
        }
    )
    layout["annotations"] = annotations
    return json.dumps(data)
