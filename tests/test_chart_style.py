"""The figure dict the browser gets: house look, no template, plain numbers, a data revision."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from ui import charts
from ui.chart_style import GRID, HOUSE_LAYOUT, TEXT, browser_figure
from ui.data import frozen


def _two_panels(values: np.ndarray) -> go.Figure:
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True)
    days = pd.date_range("2026-10-01", periods=len(values))
    fig.add_trace(go.Scatter(x=days, y=values, name="price"), row=1, col=1)
    fig.add_trace(go.Scatter(x=days, y=values * 2, name="stock", legend="legend2"), row=2, col=1)
    fig.update_yaxes(showgrid=False, row=2, col=1)  # the figure's own choice
    return fig


def test_numbers_go_out_as_plain_lists_without_a_template():
    fig = _two_panels(np.array([1.5, np.nan, 3.0]))
    assert "bdata" in pio.to_json(fig, validate=False)  # what plotly itself would send
    sent = json.loads(pio.to_json(browser_figure(fig), validate=False))
    assert "bdata" not in json.dumps(sent)
    assert sent["data"][0]["y"] == [1.5, None, 3.0] and sent["data"][1]["y"][0] == 3.0
    assert "template" not in sent["layout"]


def test_house_look_reaches_every_axis_and_legend_and_the_figure_keeps_its_own_settings():
    layout = browser_figure(_two_panels(np.arange(3.0)))["layout"]
    assert layout["font"]["color"] == TEXT and layout["paper_bgcolor"] == "#FFFFFF"
    for name in ("xaxis", "xaxis2", "yaxis", "yaxis2"):
        assert layout[name]["gridcolor"] == GRID and layout[name]["automargin"] is True
    assert layout["yaxis"].get("showgrid") is not False and layout["yaxis2"]["showgrid"] is False
    assert layout["xaxis"]["showgrid"] is False  # dates without vertical grid lines
    assert layout["xaxis"]["matches"] == "x2"  # placement from make_subplots is kept
    assert layout["legend2"]["font"] == HOUSE_LAYOUT["legend"]["font"]


def test_axes_only_traces_use_are_styled_too():
    layout = browser_figure(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))["layout"]
    assert layout["xaxis"]["tickfont"]["color"] == TEXT and layout["yaxis"]["gridcolor"] == GRID


def test_data_revision_follows_the_traces_only():
    values = np.array([1.0, 2.0, 3.0])
    first = browser_figure(_two_panels(values))["layout"]["datarevision"]
    again = browser_figure(_two_panels(values.copy()))["layout"]["datarevision"]
    restyled = _two_panels(values).update_layout(height=999)
    changed = _two_panels(np.array([1.0, 2.0, 3.5]))
    assert first == again == browser_figure(restyled)["layout"]["datarevision"]
    assert browser_figure(changed)["layout"]["datarevision"] != first


def test_a_cached_figure_hands_streamlit_the_browser_dict_once():
    fig = frozen(_two_panels(np.arange(4.0)))
    assert fig.to_dict() is fig.to_dict()
    expected = browser_figure(_two_panels(np.arange(4.0)))
    assert pio.to_json(fig, validate=False) == pio.to_json(expected, validate=False)


def test_no_dashboard_chart_lays_an_axis_over_another():
    """plotly.js redraws a chart with an overlaid axis on every update (Streamlit sends one
    after each mount), so no chart of the dashboard may use one."""
    days = pd.date_range("2026-10-01", periods=10)
    stocks = pd.DataFrame({"date": days, "stock": [100.0] * 10, "distribution": [5.0] * 10})
    prices = pd.DataFrame({"date": days, "price": [19000.0] * 10})
    no_forecast = pd.DataFrame(columns=["date", "mean", "lo80", "hi80", "lo95", "hi95"])
    no_reference = pd.DataFrame(columns=["value", "valid_from", "valid_to"])
    price = charts.price_chart(prices, no_forecast, no_reference, "Rp/kg", "id")
    stock = charts.stock_chart(stocks, no_forecast, "ton", "id")
    both = charts.price_and_stock_chart(price, stock, ("a", "b", "c"), "id")
    for fig in (price, stock, both):
        layout = browser_figure(fig)["layout"]
        assert not [name for name, axis in layout.items() if "overlaying" in str(axis)]
