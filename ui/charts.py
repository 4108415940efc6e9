"""Plotly figure builders: pure functions, DataFrame in, figure out (no Streamlit here).

The status map is a plain SVG scatter on longitude/latitude axes: no map tiles, glyph fonts
or topojson are fetched, so the dashboard works offline (map-library traces with text labels
download fonts, and ``geo`` traces download topojson).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ui.chart_margins import reserve_margins
from ui.format import MONTHS, number, rupiah
from ui.i18n import text
from warehouse.levels import LEVELS, NO_DATA_COLOUR, NOT_ASSESSED, label, level

BAND_80 = "rgba(25, 118, 210, 0.30)"
BAND_95 = "rgba(25, 118, 210, 0.14)"
LINE_MAIN = "#1565c0"
LINE_REFERENCE = "#c62828"
LINE_PROVINCE = "#37474f"
# from the bottom of a plot to the top of the legend under it: two-line month labels
LEGEND_GAP_PX = 54
# bottom margin for one row of legend under the dates (plotly pushes 92 px there)
LEGEND_BELOW_PX = 95
TWO_LEGEND_ROWS_PX = 135  # the same for a legend that wraps into two rows (pushed: 129 px)
# bottom margin for the two-line month labels alone (plotly pushes 58 px there)
DATES_BELOW_PX = 60
# distinguishable line colours for several series in one chart (e.g. every rice grade)
SERIES_COLOURS = (
    "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037", "#9e9d24",
)  # fmt: skip


def level_order(lang: str) -> list[str]:
    """Level labels from Aman to Awas."""
    return [label(item.value, lang) for item in LEVELS]


def month_ticks(dates: pd.Series, lang: str) -> tuple[list[pd.Timestamp], list[str]]:
    """Tick positions at month starts (at most ~8 ticks) labelled with the month, and the
    year below it on the first tick and wherever the year changes (``Agu`` …
    ``Jan<br>2025``): narrow enough to stand upright in a half-width chart."""
    values = pd.to_datetime(pd.Series(dates)).dropna()
    if values.empty:
        return [], []
    starts = pd.date_range(values.min().normalize().replace(day=1), values.max(), freq="MS")
    starts = [d for d in starts if d >= values.min().normalize()] or [values.min().normalize()]
    step = max(1, -(-len(starts) // 8))
    ticks = starts[::step]
    labels = [
        MONTHS[lang][d.month - 1]
        + (f"<br>{d.year}" if i == 0 or d.year != ticks[i - 1].year else "")
        for i, d in enumerate(ticks)
    ]
    return ticks, labels


def _date_axis(fig: go.Figure, dates: pd.Series, lang: str) -> None:
    """Month tick labels in the chosen language and Indonesian number separators."""
    ticks, texts = month_ticks(dates, lang)
    if ticks:
        fig.update_xaxes(tickvals=ticks, ticktext=texts)
    fig.update_layout(separators=",." if lang == "id" else ".,")


def legend_below(height: int, top: int, bottom: int) -> dict[str, Any]:
    """A horizontal legend ``LEGEND_GAP_PX`` under the plot of a figure ``height`` px tall
    with ``top`` and ``bottom`` margins (legend positions are shares of the plot height)."""
    return {"orientation": "h", "yanchor": "top", "y": -LEGEND_GAP_PX / (height - top - bottom)}


def worst_level_by_region(statuses: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per region: worst level, its label and the commodities at that level."""
    if "is_province" in statuses:  # the province's own rows have no place on the regency map
        statuses = statuses[~statuses["is_province"].fillna(False).astype(bool)]
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


def _polygon_rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Outer rings of a Polygon / MultiPolygon as lists of [lon, lat]."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _boundary_traces(frame: pd.DataFrame, boundaries: dict[str, Any]) -> list[go.Scatter]:
    """Filled regency polygons coloured by worst level (one trace per ring, SVG only)."""
    levels = frame.set_index("region_code")["level"].to_dict()
    traces = []
    for feature in boundaries.get("features", []):
        code = str(feature.get("id"))
        colour = level(levels[code]).colour if code in levels else NO_DATA_COLOUR
        for ring in _polygon_rings(feature.get("geometry") or {}):
            traces.append(
                go.Scatter(
                    x=[point[0] for point in ring],
                    y=[point[1] for point in ring],
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.35,
                    line={"color": "#ffffff", "width": 1},
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    return traces


def label_positions(frame: pd.DataFrame, near_degrees: float = 0.35) -> pd.Series:
    """Text position per point: when two centroids are close, the northern label goes on top."""
    positions = pd.Series("bottom center", index=frame.index)
    for index, row in frame.iterrows():
        others = frame.drop(index)
        close = others[
            ((others["lat"] - row["lat"]) ** 2 + (others["lon"] - row["lon"]) ** 2) ** 0.5
            < near_degrees
        ]
        if not close.empty and row["lat"] > close["lat"].max():
            positions[index] = "top center"
    return positions


def _extent(frame: pd.DataFrame, pad: float = 0.35) -> tuple[float, float, float, float]:
    """West, east, south, north of the centroids with a margin (Jambi's frame when empty)."""
    if frame.empty:
        return 101.0, 104.6, -2.8, -0.6
    return (
        float(frame["lon"].min()) - pad,
        float(frame["lon"].max()) + pad,
        float(frame["lat"].min()) - pad,
        float(frame["lat"].max()) + pad,
    )


def status_map(
    statuses: pd.DataFrame,
    lang: str = "id",
    boundaries: dict[str, Any] | None = None,
    regions: pd.DataFrame | None = None,
) -> go.Figure:
    """Worst status per regency at its centroid, drawn as a map-like schematic.

    Plain SVG scatter on longitude/latitude axes (equal scale): no tiles, fonts or topojson
    are fetched. With ``boundaries`` (GeoJSON whose features carry ``id`` = BPS code) the
    regency polygons are drawn underneath, filled by level. With ``regions`` (bps_code, name,
    lat, lon) the regencies without any status are drawn too, grey ("no data yet").
    """
    frame = worst_level_by_region(statuses, lang)
    fig = go.Figure()
    if regions is not None:
        silent = regions[~regions["bps_code"].isin(frame["region_code"])]
        if not silent.empty:
            fig.add_trace(
                go.Scatter(
                    x=silent["lon"],
                    y=silent["lat"],
                    mode="markers+text",
                    name=text("no_data_yet", lang),
                    text=silent["name"],
                    textposition="bottom center",
                    marker={"size": 14, "color": NO_DATA_COLOUR, "symbol": "circle-open",
                            "line": {"width": 2}},
                    customdata=[[code, text("no_data_yet", lang), ""] for code in silent["bps_code"]],
                    hovertemplate="<b>%{text}</b><br>%{customdata[1]}<extra></extra>",
                )
            )  # fmt: skip
    if boundaries is not None:
        for trace in _boundary_traces(frame, boundaries):
            fig.add_trace(trace)
    for item in (NOT_ASSESSED, *LEVELS):
        subset = frame[frame["level"] == item.value]
        if subset.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=subset["lon"],
                y=subset["lat"],
                mode="markers+text",
                name=label(item.value, lang),
                text=subset["region_name"],
                textposition=label_positions(frame).loc[subset.index].tolist(),
                marker={"size": 22, "color": item.colour, "line": {"color": "#ffffff", "width": 2}},
                customdata=subset[["region_code", "level_label", "commodities"]].to_numpy(),
                hovertemplate="<b>%{text}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    west, east, south, north = _extent(frame)
    fig.update_xaxes(visible=False, range=[west, east])
    fig.update_yaxes(visible=False, range=[south, north], scaleanchor="x", scaleratio=1)
    fig.update_layout(
        height=430,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        plot_bgcolor="#f5f7fa",
        legend={"title": {"text": ""}, "orientation": "h", "y": 1.02, "x": 0},
        dragmode=False,
        clickmode="event+select",
        showlegend=True,
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
            mode="lines",
            name=name,
            hoverinfo="skip",
        )
    )


def _dated_line(
    x: pd.Series,
    y: pd.Series,
    name: str,
    line: dict[str, Any],
    hover: list[str],
    mode: str = "lines",
) -> go.Scatter:
    """A line over dates whose hover shows ``dd-mm-yyyy: <formatted value>``."""
    return go.Scatter(
        x=x,
        y=y,
        mode=mode,
        name=name,
        line=line,
        customdata=hover,
        hovertemplate="%{x|%d-%m-%Y}: %{customdata}<extra></extra>",
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
        _dated_line(
            history["date"],
            history["price"],
            labels["price"],
            {"color": LINE_MAIN, "width": 2},
            [rupiah(v, lang) for v in history["price"]],
        )
    )
    if not forecast.empty:
        fig.add_trace(
            _dated_line(
                forecast["date"],
                forecast["mean"],
                labels["forecast"],
                {"color": LINE_MAIN, "dash": "dash"},
                [rupiah(v, lang) for v in forecast["mean"]],
                mode="lines+markers",
            )
        )
    dates = pd.concat([pd.to_datetime(history["date"]), pd.to_datetime(forecast["date"])])
    if not dates.empty and not reference.empty:
        steps = _reference_line(reference, dates.min(), dates.max())
        if not steps.empty:
            fig.add_trace(
                _dated_line(
                    steps["date"],
                    steps["value"],
                    labels["reference"],
                    {"color": LINE_REFERENCE, "dash": "dot", "width": 2},
                    [rupiah(v, lang) for v in steps["value"]],
                )
            )
    fig.update_layout(
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis_title=unit,
        yaxis_tickformat=",.0f",
        legend=legend_below(380, 30, LEGEND_BELOW_PX),
        hovermode="x unified",
    )
    _date_axis(fig, dates, lang)
    return reserve_margins(fig, bottom=LEGEND_BELOW_PX)


def stock_chart(
    history: pd.DataFrame,
    forecast: pd.DataFrame,
    unit: str,
    lang: str = "id",
) -> go.Figure:
    """End-of-day stock with the projected stock band, and daily distribution (a stepped
    area) in a panel of its own below it, on the same dates. Its own panel, not a second y
    axis over the stock: plotly.js redraws a chart with an overlaid axis on every update."""
    labels = _legend(lang)
    with_distribution = "distribution" in history and history["distribution"].notna().any()
    fig = (
        make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.7, 0.3])
        if with_distribution
        else go.Figure()
    )
    _band(fig, forecast, "lo95", "hi95", BAND_95, labels["band95"])
    _band(fig, forecast, "lo80", "hi80", BAND_80, labels["band80"])
    fig.add_trace(
        _dated_line(
            history["date"],
            history["stock"],
            labels["stock"],
            {"color": LINE_MAIN, "width": 2},
            [f"{number(v, 0, lang)} {unit}" for v in history["stock"]],
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
    fig.add_hline(y=0, line={"color": "#616161", "width": 1}, **_first_panel(with_distribution))
    stock_axis = {"title": {"text": unit}, "tickformat": ",.0f", "rangemode": "tozero"}
    height, bottom = (480 if with_distribution else 360), LEGEND_BELOW_PX
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis=stock_axis,
        legend=legend_below(height, 30, bottom),
    )
    if with_distribution:
        fig.add_trace(_distribution_area(history, labels["distribution"]), row=2, col=1)
        fig.update_layout(yaxis2=_distribution_axis(unit, lang))
    _date_axis(fig, pd.concat([history["date"], forecast["date"]]), lang)
    return reserve_margins(fig, bottom=bottom)


def _first_panel(subplots: bool) -> dict[str, int]:
    """``row``/``col`` of the top panel for a figure made by ``make_subplots``."""
    return {"row": 1, "col": 1} if subplots else {}


def _distribution_area(history: pd.DataFrame, name: str) -> go.Scatter:
    """Daily distribution as one stepped area (a single SVG path, not a bar per day)."""
    return go.Scatter(
        x=history["date"],
        y=history["distribution"],
        name=name,
        mode="lines",
        line={"shape": "hv", "width": 0},
        fill="tozeroy",
        fillcolor="rgba(120, 144, 156, 0.45)",
    )


def _distribution_axis(unit: str, lang: str) -> dict[str, Any]:
    """The distribution panel's y axis: ``<unit> / hari`` from zero."""
    return {
        "title": {"text": f"{unit} / {text('per_day', lang)}"},
        "tickformat": ",.0f",
        "rangemode": "tozero",
    }


def _copy(trace: go.Scatter, **changes: Any) -> go.Scatter:
    """A new trace with ``changes``; ``trace`` (of a cached figure) stays as it is."""
    return go.Scatter({**trace.to_plotly_json(), **changes})


def _axis_settings(axis: Any) -> dict[str, Any]:
    """An axis's own settings (title, format, range mode), without its place in a grid."""
    placement = {"anchor", "domain", "matches", "overlaying", "side", "position"}
    return {k: v for k, v in axis.to_plotly_json().items() if k not in placement}


def price_and_stock_chart(
    price: go.Figure, stock: go.Figure, titles: tuple[str, ...], lang: str = "id"
) -> go.Figure:
    """``price_chart`` above ``stock_chart`` in one figure on a shared date axis: the price
    panel, the stock panel, and the stock chart's daily distribution panel when it has one
    (``titles``: one per panel). Each of the first two panels has its legend below it. The
    same traces, axes and hovers as the two charts, drawn by the browser as one chart."""
    with_distribution = any(trace.yaxis == "y2" for trace in stock.data)
    rows = 3 if with_distribution else 2
    fig = make_subplots(
        rows=rows,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.15 if with_distribution else 0.17,
        row_heights=[0.47, 0.33, 0.20] if with_distribution else None,
        subplot_titles=titles[:rows],
    )
    for trace in price.data:
        fig.add_trace(_copy(trace, legend="legend"), row=1, col=1)
    for trace in stock.data:
        if trace.yaxis == "y2":  # the distribution panel, named by its title
            fig.add_trace(_copy(trace, showlegend=False), row=3, col=1)
        else:
            fig.add_trace(_copy(trace, legend="legend2"), row=2, col=1)
    fig.add_hline(y=0, line={"color": "#616161", "width": 1}, row=2, col=1)
    fig.update_yaxes(_axis_settings(price.layout.yaxis), row=1, col=1)
    fig.update_yaxes(_axis_settings(stock.layout.yaxis), row=2, col=1)
    if with_distribution:
        fig.update_yaxes(_axis_settings(stock.layout.yaxis2), row=3, col=1)
    fig.update_xaxes(_axis_settings(price.layout.xaxis))
    fig.update_xaxes(showticklabels=True)  # dates under every panel
    height = 960 if with_distribution else 760
    bottom = DATES_BELOW_PX if with_distribution else LEGEND_BELOW_PX
    below = {**legend_below(height, 30, bottom), "xanchor": "left", "x": 0}
    fig.update_layout(
        height=height,
        margin={"t": 30},  # left, right and bottom: reserve_margins
        hovermode="x unified",
        separators=price.layout.separators,
        # each legend under its own panel (``below["y"]``: minus the gap, as a share of the plot)
        legend={**below, "y": fig.layout.yaxis.domain[0] + below["y"]},
        legend2={**below, "y": fig.layout.yaxis2.domain[0] + below["y"]},
    )
    return reserve_margins(fig, bottom=bottom)


def ranking_chart(
    ranking: pd.DataFrame, unit: str, lang: str = "id", province: dict[str, Any] | None = None
) -> go.Figure:
    """Latest price per regency as dots coloured by status, the reference price as a red tick
    and the province's own latest price as a vertical line.

    Dots, not bars: a bar's length must start at zero to be honest, and from zero the few
    percent between regencies would vanish; dots compare positions on a shared axis.
    """
    ordered = ranking.sort_values("price")
    colours = [
        level(int(v)).colour if pd.notna(v) else NO_DATA_COLOUR for v in ordered.get("level", [])
    ] or LINE_MAIN
    fig = go.Figure(
        go.Scatter(
            x=ordered["price"],
            y=ordered["region_name"],
            mode="markers",
            marker={"color": colours, "size": 16, "line": {"color": "#ffffff", "width": 1}},
            name=text("legend_price_latest", lang),
            customdata=[rupiah(v, lang) for v in ordered["price"]],
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    if ordered["reference_price"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=ordered["reference_price"],
                y=ordered["region_name"],
                mode="markers",
                marker={
                    "symbol": "line-ns-open",
                    "size": 22,
                    "color": LINE_REFERENCE,
                    "line": {"width": 3},
                },
                name=text("legend_reference", lang),
                customdata=[rupiah(v, lang) for v in ordered["reference_price"]],
                hovertemplate="%{y}: %{customdata}<extra></extra>",
            )
        )
    if province is not None and pd.notna(province.get("price")):
        fig.add_vline(
            x=float(province["price"]),
            line={"color": LINE_PROVINCE, "dash": "dash", "width": 2},
            annotation_text=f"{province['region_name']}: {rupiah(province['price'], lang)}",
            annotation_position="top",
        )
    fig.update_layout(
        height=max(260, 36 * len(ordered) + 120),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        xaxis={"title": {"text": unit}, "tickformat": ",.0f"},
        yaxis={"type": "category"},
        legend={"orientation": "h", "y": -0.2},
        separators=",." if lang == "id" else ".,",
    )
    return reserve_margins(fig, bottom=115, right=30)  # legend and value labels


def group_price_chart(prices: pd.DataFrame, lang: str = "id") -> go.Figure:
    """One line per commodity of a group (e.g. every rice grade and HET class) over time.

    ``prices``: date, commodity, commodity_id_name, commodity_en_name, price_unit, price.
    """
    name_col = "commodity_id_name" if lang == "id" else "commodity_en_name"
    fig = go.Figure()
    for number_, (_, series) in enumerate(prices.groupby("commodity", sort=False)):
        unit = str(series["price_unit"].iloc[0])
        fig.add_trace(
            _dated_line(
                series["date"],
                series["price"],
                f"{series[name_col].iloc[0]} ({unit})",
                {"color": SERIES_COLOURS[number_ % len(SERIES_COLOURS)], "width": 2},
                [rupiah(v, lang) for v in series["price"]],
            )
        )
    fig.update_layout(
        height=420,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"title": {"text": "Rp"}, "tickformat": ",.0f"},
        legend=legend_below(420, 30, TWO_LEGEND_ROWS_PX),
        hovermode="x unified",
    )
    _date_axis(fig, prices["date"] if not prices.empty else pd.Series(dtype="datetime64[ns]"), lang)
    return reserve_margins(fig, bottom=TWO_LEGEND_ROWS_PX)


def dispersion_chart(dispersion: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Coefficient of variation of prices across regions over time, with the 3.5% target."""
    fig = go.Figure(
        go.Scatter(
            x=dispersion["date"],
            y=dispersion["cv_pct"],
            mode="lines",
            line={"color": LINE_MAIN, "width": 2},
            name=text("legend_cv", lang),
            hovertemplate="%{x|%d-%m-%Y}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.add_hline(
        y=3.5,
        line={"color": LINE_REFERENCE, "dash": "dot"},
        annotation_text=text("legend_cv_target", lang),
        annotation_position="top left",
    )
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"title": {"text": "CV (%)"}, "rangemode": "tozero"},
        showlegend=False,
    )
    _date_axis(fig, dispersion["date"], lang)
    return reserve_margins(fig, bottom=DATES_BELOW_PX)


def weekly_heatmap(weekly: pd.DataFrame, unit: str, lang: str = "id") -> go.Figure:
    """Mean weekly price per region × week (rows regions, columns week starts)."""
    weeks = list(weekly.columns)
    labels = [f"{d.day} {MONTHS[lang][d.month - 1]}" for d in weeks]
    fig = go.Figure(
        go.Heatmap(
            z=weekly.to_numpy(),
            x=labels,
            y=list(weekly.index),
            colorscale="YlOrRd",
            colorbar={"title": {"text": unit}, "tickformat": ",.0f"},
            customdata=[[rupiah(v, lang) for v in row] for row in weekly.to_numpy()],
            hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        height=min(420, 150 + 32 * len(weekly.index)),  # one region: a strip, not a wall
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": {"text": text("axis_week", lang)}},
        separators=",." if lang == "id" else ".,",
    )
    return reserve_margins(fig, bottom=75, right=115)  # colour bar on the right


def scenario_chart(paths: pd.DataFrame, unit: str, lang: str = "id") -> go.Figure:
    """Projected stock: baseline vs scenario, with the zero line (stock-out)."""
    fig = go.Figure()
    for column, colour, dash in (
        ("baseline", LINE_MAIN, "solid"),
        ("scenario", LINE_REFERENCE, "dash"),
    ):
        fig.add_trace(
            _dated_line(
                paths["date"],
                paths[column],
                text(f"legend_{column}", lang),
                {"color": colour, "dash": dash, "width": 2},
                [f"{number(v, 0, lang)} {unit}" for v in paths[column]],
            )
        )
    fig.add_hline(y=0, line={"color": "#616161", "width": 1})
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        yaxis={"title": {"text": unit}, "tickformat": ",.0f", "rangemode": "tozero"},
        legend=legend_below(360, 30, LEGEND_BELOW_PX),
        separators=",." if lang == "id" else ".,",
    )
    _date_axis(fig, paths["date"], lang)
    return reserve_margins(fig, bottom=LEGEND_BELOW_PX)
