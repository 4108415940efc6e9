"""Plotly figure builders: pure functions, DataFrame in, figure out (no Streamlit here).

Maps use ``scatter_map`` / ``choropleth_map`` with ``map_style="white-bg"`` only: no map
tiles and no topojson are fetched, so the dashboard works offline.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ui.format import MONTHS, number, rupiah
from ui.i18n import text
from warehouse.levels import LEVELS, label

JAMBI_CENTER = {"lat": -1.70, "lon": 102.75}
BAND_80 = "rgba(25, 118, 210, 0.30)"
BAND_95 = "rgba(25, 118, 210, 0.14)"
LINE_MAIN = "#1565c0"
LINE_REFERENCE = "#c62828"


def level_colours(lang: str) -> dict[str, str]:
    """Level label -> colour from the shared status scale."""
    return {label(item.value, lang): item.colour for item in LEVELS}


def level_order(lang: str) -> list[str]:
    """Level labels from Aman to Awas."""
    return [label(item.value, lang) for item in LEVELS]


def month_ticks(dates: pd.Series, lang: str) -> tuple[list[pd.Timestamp], list[str]]:
    """Tick positions at month starts with labels like ``Agu 2024`` (at most ~8 ticks)."""
    values = pd.to_datetime(pd.Series(dates)).dropna()
    if values.empty:
        return [], []
    starts = pd.date_range(values.min().normalize().replace(day=1), values.max(), freq="MS")
    starts = [d for d in starts if d >= values.min().normalize()] or [values.min().normalize()]
    step = max(1, -(-len(starts) // 8))
    ticks = starts[::step]
    return ticks, [f"{MONTHS[lang][d.month - 1]} {d.year}" for d in ticks]


def _date_axis(fig: go.Figure, dates: pd.Series, lang: str) -> None:
    """Month tick labels in the chosen language and Indonesian number separators."""
    ticks, texts = month_ticks(dates, lang)
    if ticks:
        fig.update_xaxes(tickvals=ticks, ticktext=texts)
    fig.update_layout(separators=",." if lang == "id" else ".,")


def worst_level_by_region(statuses: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per region: worst level, its label and the commodities at that level."""
    if statuses.empty:
        return pd.DataFrame(columns=["region_code", "region_name", "lat", "lon", "level"])
    name_col = "commodity_id_name" if lang == "id" else "commodity_en_name"
    rows = []
    for code, group in statuses.groupby("region_code", sort=True):
        worst = int(group["level"].max())
        at_worst = group[group["level"] == worst]
        rows.append(
            {
                "region_code": code,
                "region_name": group["region_name"].iloc[0],
                "lat": float(group["lat"].iloc[0]),
                "lon": float(group["lon"].iloc[0]),
                "level": worst,
                "level_label": label(worst, lang),
                "commodities": ", ".join(at_worst[name_col]) if worst > 0 else "",
            }
        )
    return pd.DataFrame(rows)


def status_map(
    statuses: pd.DataFrame, lang: str = "id", boundaries: dict[str, Any] | None = None
) -> go.Figure:
    """Worst status per regency at its centroid (or as polygons when boundaries are given).

    ``boundaries`` is a GeoJSON FeatureCollection whose features carry ``id`` = BPS code.
    """
    frame = worst_level_by_region(statuses, lang)
    colours = level_colours(lang)
    order = {"level_label": level_order(lang)}
    hover = {"lat": False, "lon": False, "level_label": True, "commodities": True}
    if boundaries is not None:
        fig = px.choropleth_map(
            frame,
            geojson=boundaries,
            locations="region_code",
            color="level_label",
            color_discrete_map=colours,
            category_orders=order,
            hover_name="region_name",
            hover_data={"region_code": False, "level_label": True, "commodities": True},
            custom_data=["region_code"],
            map_style="white-bg",
            center=JAMBI_CENTER,
            zoom=6.4,
            opacity=0.75,
        )
    else:
        fig = px.scatter_map(
            frame,
            lat="lat",
            lon="lon",
            color="level_label",
            color_discrete_map=colours,
            category_orders=order,
            hover_name="region_name",
            hover_data=hover,
            custom_data=["region_code"],
            text="region_name",
            map_style="white-bg",
            center=JAMBI_CENTER,
            zoom=6.4,
        )
        fig.update_traces(marker={"size": 26}, textposition="bottom center")
    fig.update_layout(
        height=430,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"title": {"text": ""}, "orientation": "h", "y": 1.02, "x": 0},
    )
    return fig


def _reference_line(
    reference: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Step points of the reference price in force between ``start`` and ``end``."""
    points: list[tuple[pd.Timestamp, float]] = []
    for row in reference.sort_values("valid_from").itertuples():
        valid_from = pd.Timestamp(row.valid_from)
        valid_to = pd.Timestamp(row.valid_to) if pd.notna(row.valid_to) else end
        if valid_to < start or valid_from > end:
            continue
        points.append((max(valid_from, start), float(row.value)))
        points.append((min(valid_to, end), float(row.value)))
    return pd.DataFrame(points, columns=["date", "value"])


def _legend(lang: str) -> dict[str, str]:
    keys = (
        "price",
        "forecast",
        "band80",
        "band95",
        "reference",
        "stock",
        "projection",
        "distribution",
    )
    return {key: text(f"legend_{key}", lang) for key in keys}


def _band(fig: go.Figure, forecast: pd.DataFrame, lo: str, hi: str, colour: str, name: str) -> None:
    if forecast.empty or forecast[[lo, hi]].isna().all().all():
        return
    dates = list(forecast["date"]) + list(forecast["date"])[::-1]
    values = list(forecast[hi]) + list(forecast[lo])[::-1]
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=values,
            fill="toself",
            fillcolor=colour,
            line={"width": 0},
            name=name,
            hoverinfo="skip",
        )
    )


def price_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    reference: pd.DataFrame,
    unit: str,
    lang: str = "id",
) -> go.Figure:
    """Daily price, forecast mean with 95%/80% bands, and the reference price as it changed."""
    labels = _legend(lang)
    fig = go.Figure()
    _band(fig, forecast, "lo95", "hi95", BAND_95, labels["band95"])
    _band(fig, forecast, "lo80", "hi80", BAND_80, labels["band80"])
    fig.add_trace(
        go.Scatter(
            x=history["date"],
            y=history["price"],
            mode="lines",
            name=labels["price"],
            line={"color": LINE_MAIN, "width": 2},
            customdata=[rupiah(v, lang) for v in history["price"]],
            hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>",
        )
    )
    if not forecast.empty:
        fig.add_trace(
            go.Scatter(
                x=forecast["date"],
                y=forecast["mean"],
                mode="lines+markers",
                name=labels["forecast"],
                line={"color": LINE_MAIN, "dash": "dash"},
                customdata=[rupiah(v, lang) for v in forecast["mean"]],
                hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>",
            )
        )
    dates = pd.concat([pd.to_datetime(history["date"]), pd.to_datetime(forecast["date"])])
    if not dates.empty and not reference.empty:
        steps = _reference_line(reference, dates.min(), dates.max())
        if not steps.empty:
            fig.add_trace(
                go.Scatter(
                    x=steps["date"],
                    y=steps["value"],
                    mode="lines",
                    name=labels["reference"],
                    line={"color": LINE_REFERENCE, "dash": "dot", "width": 2},
                    customdata=[rupiah(v, lang) for v in steps["value"]],
                    hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>",
                )
            )
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title=unit,
        legend={"orientation": "h", "y": -0.15},
        hovermode="x unified",
    )
    _date_axis(fig, dates, lang)
    return fig


def stock_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    unit: str,
    lang: str = "id",
) -> go.Figure:
    """End-of-day stock with daily distribution bars and the projected stock band."""
    labels = _legend(lang)
    fig = go.Figure()
    if "distribution" in history and history["distribution"].notna().any():
        fig.add_trace(
            go.Bar(
                x=history["date"],
                y=history["distribution"],
                name=labels["distribution"],
                marker={"color": "rgba(120, 144, 156, 0.45)"},
            )
        )
    _band(fig, forecast, "lo95", "hi95", BAND_95, labels["band95"])
    _band(fig, forecast, "lo80", "hi80", BAND_80, labels["band80"])
    fig.add_trace(
        go.Scatter(
            x=history["date"],
            y=history["stock"],
            mode="lines",
            name=labels["stock"],
            line={"color": LINE_MAIN, "width": 2},
            customdata=[f"{number(v, 0, lang)} {unit}" for v in history["stock"]],
            hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>",
        )
    )
    if not forecast.empty:
        fig.add_trace(
            go.Scatter(
                x=forecast["date"],
                y=forecast["mean"],
                mode="lines",
                name=labels["projection"],
                line={"color": LINE_MAIN, "dash": "dash"},
            )
        )
    fig.add_hline(y=0, line={"color": "#616161", "width": 1})
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title=unit,
        legend={"orientation": "h", "y": -0.15},
        bargap=0.1,
    )
    _date_axis(fig, pd.concat([history["date"], forecast["date"]]), lang)
    return fig
