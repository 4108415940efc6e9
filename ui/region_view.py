"""Kabupaten/Kota's region × commodity view, run as an ``st.fragment`` (the region part) with
a nested one (the commodity part): changing the region reruns this view (not the app's
sidebar), changing the commodity reruns only the commodity part. Figures and tables are cached
by data version and selection, and the region's other commodities are warmed in the
background, so the next change is served from the cache."""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import charts, tables
from ui.data import (
    derived_at,
    follow_data_changes,
    load,
    load_shared,
    query_at,
    render_version,
    show_chart,
)
from ui.engine_widgets import stockout_note
from ui.i18n import t, text
from ui.prefetch import warm_in_background
from ui.selection import keep_valid, preselect_region
from ui.widgets import latest_report_note, status_panel
from warehouse import queries
from warehouse.reference import province_code

Version = tuple[str, str]  # (snapshot path, data version): see ui.data.render_version
# element keys of the charts, also their cache names
PRICE_CHART = "kabupaten_price_chart"
STOCK_CHART = "kabupaten_stock_chart"
BOTH_CHART = "kabupaten_price_stock_chart"


def price_figure(
    at: Version, region: str, commodity: str, view: dict[str, Any], unit: str, lang: str
) -> go.Figure:
    """Price history with forecast bands and the reference price."""
    return derived_at(
        at,
        PRICE_CHART,
        (region, commodity, lang),
        lambda: charts.price_chart(
            view["prices"], view["price_forecast"], view["reference"], unit, lang
        ),
    )


def stock_figure(
    at: Version, region: str, commodity: str, view: dict[str, Any], unit: str, lang: str
) -> go.Figure:
    """Stock history with distribution and the projected stock band."""
    return derived_at(
        at,
        STOCK_CHART,
        (region, commodity, lang),
        lambda: charts.stock_chart(view["stocks"], view["stock_forecast"], unit, lang),
    )


def price_and_stock_figure(
    at: Version, region: str, commodity: str, view: dict[str, Any], units: pd.Series, lang: str
) -> go.Figure:
    """Price above stock in one figure on a shared date axis (one chart for the browser to
    draw on every commodity change, where two were drawn before)."""

    def build() -> go.Figure:
        price = charts.price_chart(
            view["prices"], view["price_forecast"], view["reference"], units.price_unit, lang
        )
        stock = charts.stock_chart(view["stocks"], view["stock_forecast"], units.stock_unit, lang)
        titles = tuple(
            text(name, lang)
            for name in ("price_chart_title", "stock_chart_title", "distribution_chart_title")
        )
        return charts.price_and_stock_chart(price, stock, titles, lang)

    return derived_at(at, BOTH_CHART, (region, commodity, lang), build)


def signal_rows(
    at: Version, region: str, commodity: str, view: dict[str, Any], lang: str
) -> pd.DataFrame:
    """The signals table's rows."""
    return derived_at(
        at,
        "kabupaten_signals",
        (region, commodity, lang),
        lambda: tables.signal_rows(view["signals"], lang),
    )


def status_rows(at: Version, region: str, view: dict[str, Any], lang: str) -> pd.DataFrame:
    """The region's status table rows (the same for every commodity of the region)."""
    return derived_at(
        at,
        "kabupaten_statuses",
        (region, lang),
        lambda: tables.status_rows(view["statuses"], lang),
    )


def selection_figures(
    at: Version,
    region: str,
    commodity: str,
    view: dict[str, Any],
    unit: pd.Series,
    with_stock: bool,
    lang: str,
) -> dict[str, go.Figure]:
    """The charts the selection shows, keyed by their element key: one figure with both
    panels when both series exist (the province's own view has no stock), else the one
    there is."""
    has_prices = not view["prices"].empty
    has_stocks = with_stock and not view["stocks"].empty
    if has_prices and has_stocks:
        figure = price_and_stock_figure(at, region, commodity, view, unit, lang)
        return {BOTH_CHART: figure}
    figures = {}
    if has_prices:
        figures[PRICE_CHART] = price_figure(at, region, commodity, view, unit.price_unit, lang)
    if has_stocks:
        figures[STOCK_CHART] = stock_figure(at, region, commodity, view, unit.stock_unit, lang)
    return figures


def _warm_one(
    at: Version, region: str, commodity: str, units: pd.DataFrame, with_stock: bool, lang: str
) -> None:
    view = query_at(at, queries.regency_view, region, commodity)
    selection_figures(at, region, commodity, view, units.loc[commodity], with_stock, lang)
    if not view["signals"].empty:
        signal_rows(at, region, commodity, view, lang)


def warm_region(
    at: Version,
    region: str,
    commodities: list[str],
    units: pd.DataFrame,
    with_stock: bool,
    lang: str,
) -> bool:
    """Compute the region's other commodities in the background (once per data version,
    region and language); ``units`` is indexed by commodity code."""
    jobs = [partial(_warm_one, at, region, c, units, with_stock, lang) for c in commodities]
    return warm_in_background(("kabupaten", at, region, lang), jobs)


@st.fragment
def show(places: pd.DataFrame, commodities: pd.DataFrame, lang: str) -> None:
    """The region select box and what depends on the region alone (title, the region's
    status table, the link to its alerts); the commodity part runs as a nested fragment
    (``commodity_view``), so a commodity change redraws only that part."""
    follow_data_changes()
    region_names = dict(zip(places["bps_code"], places["name"], strict=True))
    commodity_names = dict(
        zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
    )
    with_data = places.loc[places["has_data"], "bps_code"]
    preselect_region(list(region_names), with_data.iloc[0] if len(with_data) else None)
    col_region, col_commodity = st.columns(2)
    region = col_region.selectbox(
        t("select_region"),
        options=list(region_names),
        format_func=region_names.get,
        key="kabupaten_region",
    )
    if st.query_params.get("region") != region:  # an unchanged URL sends nothing
        st.query_params["region"] = region
    st.title(t("kabupaten_title", region=region_names[region]))
    at_province = region == province_code()
    if at_province:
        st.caption(t("province_view_caption"))
    available = load(queries.region_commodities, region) or list(commodity_names)
    units = commodities.set_index("code")
    commodity_view(col_commodity, region, available, commodity_names, units, lang)

    st.page_link(
        "pages/peringatan.py",
        label=t("open_alerts_of_region", region=region_names[region]),
        query_params={"region": region},
    )
    st.subheader(t("other_commodities", region=region_names[region]))
    commodity = st.session_state["kabupaten_commodity"]
    view = load_shared(queries.regency_view, region, commodity)
    at = render_version()
    rows = status_rows(at, region, view, lang)
    st.dataframe(tables.coloured_by_level(rows, lang), hide_index=True, width="stretch")
    others = [code for code in available if code != commodity]
    warm_region(at, region, others, units, not at_province, lang)


@st.fragment
def commodity_view(
    picker: Any,
    region: str,
    available: list[str],
    commodity_names: dict[str, str],
    units: pd.DataFrame,
    lang: str,
) -> None:
    """The commodity select box (drawn in ``picker``, beside the region's) and everything it
    drives: status, price and stock charts, signals."""
    follow_data_changes()
    keep_valid("kabupaten_commodity", available)
    commodity = picker.selectbox(
        t("select_commodity"),
        options=available,
        format_func=commodity_names.get,
        key="kabupaten_commodity",
    )
    at_province = region == province_code()
    view = load_shared(queries.regency_view, region, commodity)
    at = render_version()
    status = view["status"]
    unit = units.loc[commodity]
    if status is not None:
        status_panel(status, unit.price_unit, unit.stock_unit, lang)
        stockout_note(status, lang)
    latest_report_note(view["latest_stock"], lang)

    if view["prices"].empty and view["stocks"].empty:
        st.info(t("empty_series"))
        return
    series_charts(at, region, commodity, view, unit, at_province, lang)

    st.subheader(t("signals_title"))
    if view["signals"].empty:
        st.caption(t("signals_empty"))
    else:
        st.caption(t("signals_caption"))
        rows = signal_rows(at, region, commodity, view, lang)
        st.table(tables.coloured_by_level(rows, lang).hide(axis="index"))


def series_charts(
    at: Version,
    region: str,
    commodity: str,
    view: dict[str, Any],
    unit: pd.Series,
    at_province: bool,
    lang: str,
) -> None:
    """Price and stock of the selection (``selection_figures``), with a note on a series
    that is missing."""
    with_stock = not at_province
    figures = selection_figures(at, region, commodity, view, unit, with_stock, lang)
    if BOTH_CHART in figures:
        st.subheader(t("price_stock_chart_title"))
        show_chart(figures[BOTH_CHART], key=BOTH_CHART)
        return
    st.subheader(t("price_chart_title"))
    if PRICE_CHART in figures:
        show_chart(figures[PRICE_CHART], key=PRICE_CHART)
    else:
        st.caption(t("no_price_series"))
    if with_stock:
        st.subheader(t("stock_chart_title"))
        if STOCK_CHART in figures:
            show_chart(figures[STOCK_CHART], key=STOCK_CHART)
        else:
            st.caption(t("no_stock_series"))
