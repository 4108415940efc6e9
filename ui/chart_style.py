"""The dashboard's chart look, and the figure dict the browser gets.

Charts are shown with ``theme=None`` and carry their look in their own layout (the colours
and fonts of Streamlit's light theme), not in a plotly template. Streamlit copies every
figure it mounts and hands the copy back to plotly.js; plotly.js compares a template by
identity, so a chart with one was drawn a second time after every change of selection.
The dict ``browser_figure`` makes lets that copy draw nothing:

* no ``template`` (the look is written into the layout and every axis);
* a ``datarevision`` that changes only with the traces, so plotly.js trusts a copied
  figure's data arrays instead of redrawing for new array objects;
* numbers as plain JSON lists, not plotly's base64 typed arrays, which plotly.js decodes
  into new arrays on every update.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import numpy as np
import plotly.graph_objects as go

FONT = '"Source Sans", sans-serif'
TEXT = "#808495"  # tick labels, axis titles, hover text
LEGEND_TEXT = "#262730"
GRID = "#e6eaf1"
BACKGROUND = "#FFFFFF"
COLORWAY = [
    "#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d",
    "#7defa1", "#ff8700", "#ffd16a", "#6d3fc0", "#d5dae5",
]  # fmt: skip
SEQUENTIAL = [
    "#e4f5ff", "#c7ebff", "#a6dcff", "#83c9ff", "#60b4ff",
    "#3d9df3", "#1c83e1", "#0068c9", "#0054a3", "#004280",
]  # fmt: skip

HOUSE_LAYOUT: dict[str, Any] = {
    "font": {"family": FONT, "size": 12, "color": TEXT},
    "paper_bgcolor": BACKGROUND,
    "plot_bgcolor": BACKGROUND,
    "colorway": COLORWAY,
    "colorscale": {
        "sequential": [[i / (len(SEQUENTIAL) - 1), c] for i, c in enumerate(SEQUENTIAL)]
    },
    "hoverlabel": {
        "bgcolor": BACKGROUND,
        "bordercolor": "rgba(47, 45, 43, 0.2)",
        "font": {"family": FONT, "size": 12, "color": TEXT},
    },
    "legend": {
        "font": {"size": 12, "color": LEGEND_TEXT},
        "bordercolor": "transparent",
        "borderwidth": 0,
        "valign": "top",
    },
    "margin": {"pad": 8},
}
_AXIS: dict[str, Any] = {
    "gridcolor": GRID,
    "zerolinecolor": GRID,
    "ticks": "",  # no tick marks (a tick colour alone would turn them on)
    "tickcolor": GRID,
    "tickfont": {"color": TEXT, "size": 12},
    "automargin": True,  # a label wider than reserved pushes the margin, never gets cut
}
X_AXIS: dict[str, Any] = {
    **_AXIS,
    "showgrid": False,
    "zeroline": False,
    "title": {"font": {"color": TEXT, "size": 14}, "standoff": 20},
}
Y_AXIS: dict[str, Any] = {
    **_AXIS,
    "ticklabelposition": "outside",
    "title": {"font": {"color": TEXT, "size": 14}, "standoff": 24},
}
_AXIS_NAME = re.compile(r"^([xy])axis\d*$")
_LEGEND_NAME = re.compile(r"^legend\d+$")  # a second legend (``legend2``…): as the first


def browser_figure(figure: go.Figure) -> dict[str, Any]:
    """Plotly's dict of ``figure`` for ``st.plotly_chart(..., theme=None)``: in the house
    look, without a template, numbers as lists and a ``datarevision`` from the traces."""
    data = [_plain(trace.to_plotly_json()) for trace in figure.data]
    layout = _plain(figure.layout.to_plotly_json())
    layout.pop("template", None)
    layout = _merged(HOUSE_LAYOUT, layout)
    for name in _axis_names(layout, data):
        house = X_AXIS if name.startswith("x") else Y_AXIS
        layout[name] = _merged(house, layout.get(name, {}))
    for name in _extra_legends(layout, data):
        layout[name] = _merged(HOUSE_LAYOUT["legend"], layout.get(name, {}))
    layout.setdefault("datarevision", _digest(data))
    return {"data": data, "layout": layout}


def _axis_names(layout: dict[str, Any], data: list[dict[str, Any]]) -> set[str]:
    """Every cartesian axis of the figure: those in its layout and those its traces use."""
    names = {key for key in layout if _AXIS_NAME.match(key)}
    for trace in data:
        if trace.get("type", "scatter") in {"scatter", "bar", "heatmap", "box", "histogram"}:
            names.add("xaxis" + str(trace.get("xaxis", "x"))[1:])
            names.add("yaxis" + str(trace.get("yaxis", "y"))[1:])
    return names


def _extra_legends(layout: dict[str, Any], data: list[dict[str, Any]]) -> set[str]:
    """The figure's legends besides the first (``legend2``…), in its layout or its traces."""
    named = set(layout) | {str(trace.get("legend", "legend")) for trace in data}
    return {name for name in named if _LEGEND_NAME.match(name)}


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` on top, nested dicts merged (``over`` wins)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _plain(value: Any) -> Any:
    """``value`` with numeric numpy arrays turned into lists (dicts and lists copied)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.tolist()
    return value


def _digest(data: list[dict[str, Any]]) -> str:
    """A short fingerprint of the traces, as plotly.js's ``datarevision``."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
