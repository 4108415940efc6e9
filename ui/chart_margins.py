"""Margins that already hold a chart's axis labels, so the browser draws the chart once.

With plotly's automargin (on in the house look, ``ui.chart_style``), a figure whose margins
are too small for its tick labels, axis titles or a legend below is drawn, measured and then
drawn again with the margins those parts pushed out: on Kabupaten/Kota that second pass was
a third of every chart redraw. ``reserve_margins`` sets the margins from the numbers the axes
will show, a little wider than plotly's own push, so nothing is pushed; automargin stays on,
so a label wider than estimated (another font, a long English legend) costs a second pass,
never a clipped label.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import plotly.graph_objects as go

CHAR_PX = 7  # one digit of a tick label at plotly's 12 px font, rounded up (measured: 6)
NAME_CHAR_PX = 6.5  # one character of a category label (a region name), on average
LEFT_PAD_PX = 22  # tick gap and padding left of the labels
TITLE_PX = 30  # a rotated axis title and its gap (measured with LEFT_PAD_PX: 50 in all)
RIGHT_PAD_PX = 8  # right-hand ticks: tick gap only (measured: 1-3)
AUTORANGE_PAD = 1.06  # plotly's autorange reaches a little past the largest value


def tick_label_chars(values: np.ndarray) -> int:
    """Characters of the widest ``,.0f`` tick label an axis over ``values`` shows."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return 1
    return len(f"{float(np.abs(finite).max()) * AUTORANGE_PAD:,.0f}")


def label_px(values: np.ndarray) -> float:
    """Width of the widest tick label of a y axis over ``values``: numbers as ``,.0f``
    ticks, anything else (region names of a bar chart) as category labels."""
    try:
        numeric = values.astype(float)
    except (TypeError, ValueError):
        return NAME_CHAR_PX * max((len(str(v)) for v in values), default=1)
    return CHAR_PX * tick_label_chars(numeric)


def _values_by_axis(fig: go.Figure) -> dict[str, list[np.ndarray]]:
    """y values of every trace, keyed by layout axis name (``yaxis``, ``yaxis2`` …)."""
    by_axis: dict[str, list[np.ndarray]] = defaultdict(list)
    for trace in fig.data:
        if trace.y is not None:
            by_axis["yaxis" + (trace.yaxis or "y")[1:]].append(np.asarray(trace.y, dtype=object))
    return by_axis


def reserve_margins(fig: go.Figure, bottom: int | None = None, right: int = 10) -> go.Figure:
    """Set ``fig``'s left and right margins to fit its y axes' tick labels (and the left
    axes' titles), and its bottom margin to ``bottom`` (room for what sits below the plot:
    date labels, a legend; ``None`` keeps it), its right margin at least ``right`` (bar
    labels and the last x tick reach past the plot). Returns ``fig``."""
    left = 10
    for name, parts in _values_by_axis(fig).items():
        axis = fig.layout[name]
        width = label_px(np.concatenate(parts))
        if axis.side == "right":
            right = max(right, round(RIGHT_PAD_PX + width))
        else:
            title = TITLE_PX if axis.title.text else 0
            left = max(left, round(LEFT_PAD_PX + title + width))
    fig.update_layout(margin={"l": left, "r": right})
    if bottom is not None:
        fig.update_layout(margin={"b": bottom})
    # the labels fit, so plotly need not check every label against every other (quadratic)
    fig.update_xaxes(ticklabeloverflow="allow")
    fig.update_yaxes(ticklabeloverflow="allow")
    return fig
