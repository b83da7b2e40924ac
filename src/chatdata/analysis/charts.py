"""Small Plotly figure builders used by the analysis functions; each returns a figure dict.

The dicts are `json.loads(fig.to_json())`: plain JSON that the web UI hands to Plotly.js and
the report renderer embeds. Builders take already-small data (binned, aggregated or sampled).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

Values = Sequence[Any]


def figure_dict(fig: go.Figure) -> dict[str, Any]:
    """Serialise a Plotly figure to a JSON-safe dict."""
    result: dict[str, Any] = json.loads(fig.to_json())
    return result


def _layout(title: str, x_label: str | None, y_label: str | None) -> dict[str, Any]:
    return {
        "title": {"text": title},
        "xaxis": {"title": {"text": x_label or ""}},
        "yaxis": {"title": {"text": y_label or ""}},
        "template": "plotly_white",
    }


def histogram(values: Values, title: str, x_label: str = "", bins: int = 30) -> dict[str, Any]:
    """Histogram of raw numeric values, binned here so the figure stays small."""
    array = np.asarray([v for v in values if v is not None], dtype=float)
    array = array[np.isfinite(array)]
    counts, edges = np.histogram(array, bins=bins) if array.size else (np.array([]), np.array([0]))
    return histogram_from_bins(edges.tolist(), counts.tolist(), title, x_label)


def histogram_from_bins(
    edges: Values, counts: Values, title: str, x_label: str = ""
) -> dict[str, Any]:
    """Histogram from precomputed bin edges (len n+1) and counts (len n)."""
    left = np.asarray(edges[:-1], dtype=float)
    widths = np.diff(np.asarray(edges, dtype=float))
    fig = go.Figure(go.Bar(x=(left + widths / 2).tolist(), y=list(counts), width=widths.tolist()))
    fig.update_layout(**_layout(title, x_label, "count"), bargap=0.02)
    return figure_dict(fig)


def bar(
    x: Values, y: Values, title: str, x_label: str = "", y_label: str = "", horizontal: bool = False
) -> dict[str, Any]:
    """Bar chart of `y` per category `x` (horizontal bars when `horizontal`)."""
    trace = (
        go.Bar(y=list(x), x=list(y), orientation="h")
        if horizontal
        else go.Bar(x=list(x), y=list(y))
    )
    fig = go.Figure(trace)
    labels = (y_label, x_label) if horizontal else (x_label, y_label)
    fig.update_layout(**_layout(title, *labels))
    return figure_dict(fig)


def line(
    x: Values,
    series: Mapping[str, Values],
    title: str,
    x_label: str = "",
    y_label: str = "",
    band: tuple[Values, Values, Values, str] | None = None,
) -> dict[str, Any]:
    """Line chart of one or more named series over `x`; `band` = (x, lower, upper, name)."""
    fig = go.Figure()
    if band is not None:
        band_x, lower, upper, name = band
        fig.add_trace(
            go.Scatter(
                x=list(band_x),
                y=list(upper),
                mode="lines",
                line={"width": 0},
                showlegend=False,
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=list(band_x),
                y=list(lower),
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(99,110,250,0.2)",
                name=name,
            )
        )
    for name, values in series.items():
        fig.add_trace(go.Scatter(x=list(x), y=list(values), mode="lines", name=name))
    fig.update_layout(**_layout(title, x_label, y_label))
    return figure_dict(fig)


def scatter(
    x: Values,
    y: Values,
    title: str,
    x_label: str = "",
    y_label: str = "",
    color: Values | None = None,
    lines: Mapping[str, tuple[Values, Values]] | None = None,
) -> dict[str, Any]:
    """Scatter plot, optionally coloured by a label per point, with extra named lines."""
    marker: dict[str, Any] = {"size": 6, "opacity": 0.7}
    if color is not None:
        marker["color"] = list(color)
    fig = go.Figure(go.Scatter(x=list(x), y=list(y), mode="markers", marker=marker, name="data"))
    for name, (line_x, line_y) in (lines or {}).items():
        fig.add_trace(go.Scatter(x=list(line_x), y=list(line_y), mode="lines", name=name))
    fig.update_layout(**_layout(title, x_label, y_label))
    return figure_dict(fig)


def box(groups: Mapping[str, Values], title: str, y_label: str = "") -> dict[str, Any]:
    """Box plot of the values of each named group."""
    fig = go.Figure([go.Box(y=list(values), name=str(name)) for name, values in groups.items()])
    fig.update_layout(**_layout(title, None, y_label))
    return figure_dict(fig)


def pie(labels: Values, values: Values, title: str) -> dict[str, Any]:
    """Pie chart of `values` per label."""
    fig = go.Figure(go.Pie(labels=list(labels), values=list(values)))
    fig.update_layout(title={"text": title}, template="plotly_white")
    return figure_dict(fig)


def heatmap(
    z: Sequence[Sequence[Any]],
    x: Values,
    y: Values,
    title: str,
    zmin: float | None = None,
    zmax: float | None = None,
    colorscale: str = "RdBu",
) -> dict[str, Any]:
    """Annotated heatmap of the matrix `z` with column labels `x` and row labels `y`."""
    text = [[("" if v is None else f"{v:.2f}") for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=[list(r) for r in z],
            x=list(x),
            y=list(y),
            zmin=zmin,
            zmax=zmax,
            colorscale=colorscale,
            text=text,
            texttemplate="%{text}",
        )
    )
    fig.update_layout(title={"text": title}, template="plotly_white")
    fig.update_yaxes(autorange="reversed")
    return figure_dict(fig)


def stacked_lines(x: Values, panels: Mapping[str, Values], title: str) -> dict[str, Any]:
    """One line per panel, stacked vertically on a shared x axis (e.g. a decomposition)."""
    fig = make_subplots(
        rows=len(panels), cols=1, shared_xaxes=True, subplot_titles=list(panels.keys())
    )
    for row, (name, values) in enumerate(panels.items(), start=1):
        fig.add_trace(
            go.Scatter(x=list(x), y=list(values), mode="lines", name=name), row=row, col=1
        )
    fig.update_layout(
        title={"text": title},
        template="plotly_white",
        showlegend=False,
        height=200 * len(panels) + 100,
    )
    return figure_dict(fig)
