"""Plotly figures for the dashboard, built from analytics frames (JSON for the browser)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

_MARGIN = {"l": 60, "r": 20, "t": 30, "b": 50}
_LAYOUT: dict[str, object] = {
    "margin": _MARGIN,
    "height": 340,
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "separators": ",.",
    "legend": {"orientation": "h", "y": -0.2},
}
COLORS = ["#1f5fa8", "#e07b00", "#2a9d5b", "#8a4fbf", "#c23b3b", "#6b7280", "#0e9aa7"]


def _figure(traces: list[go.BaseTraceType], **layout: object) -> str:
    fig = go.Figure(data=traces)
    fig.update_layout(**{**_LAYOUT, **layout})
    if not traces or all(len(getattr(t, "x", None) or []) == 0 for t in traces):
        fig.add_annotation(text="Nog geen gegevens", showarrow=False, font={"size": 16})
    return fig.to_json()


def reach_chart(frame: pd.DataFrame) -> str:
    years = [str(y) for y in frame.index]
    traces = [
        go.Bar(name=name, x=years, y=frame[column].tolist(), marker_color=COLORS[i])
        for i, (column, name) in enumerate(
            [("candidates", "Kandidaten"), ("routes", "Routes"), ("provisions", "Voorzieningen")]
        )
    ]
    return _figure(traces, barmode="group", yaxis_title="Aantal", xaxis_title="Startjaar")


def end_reason_chart(frame: pd.DataFrame) -> str:
    ordered = frame.iloc[::-1]
    trace = go.Bar(
        x=ordered["count"].tolist(),
        y=ordered["label"].tolist(),
        orientation="h",
        marker_color=COLORS[0],
        text=[f"{share:.0f}%" for share in ordered["share_pct"]],
        textposition="auto",
        hovertemplate="%{y}: %{x} routes<extra></extra>",
    )
    return _figure([trace], xaxis_title="Beëindigde routes", margin={**_MARGIN, "l": 260})


def share_by_year_chart(frame: pd.DataFrame, column: str, count_column: str, name: str) -> str:
    trace = go.Bar(
        x=[str(y) for y in frame.index],
        y=frame[column].round(1).tolist(),
        marker_color=COLORS[2],
        text=[f"{v:.0f}%" for v in frame[column]],
        textposition="auto",
        customdata=frame[count_column].tolist(),
        hovertemplate="%{x}: %{y:.1f}% van %{customdata}<extra></extra>",
        name=name,
    )
    return _figure([trace], yaxis={"title": "Procent", "range": [0, 100]}, xaxis_title="Jaar")
