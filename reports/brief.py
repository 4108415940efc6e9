"""The one-page HTML brief: self-contained (plotly.js inline, no external assets), printable.

Contents: a schematic map of the highest status per regency (a plain x = longitude,
y = latitude scatter at the regency centroids, no map tiles or geo base map), the top alerts,
and the biggest week-on-week price moves.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from reports.weekly import WeeklyExport
from warehouse import formats, levels
from warehouse.reference import province_label

TOP_ROWS = 6
REASON_CHARS = 150
PLOT_CONFIG = {"displaylogo": False, "responsive": False, "staticPlot": False}

CSS = """
@page { size: A4 portrait; margin: 10mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #222;
       max-width: 190mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 2pt 0; }
h2 { font-size: 11.5pt; margin: 8pt 0 3pt 0; border-bottom: 1px solid #bbb; }
.sub { color: #555; margin: 0 0 6pt 0; }
.stale { background: #fdecea; border: 1px solid #c62828; padding: 4pt; font-weight: bold; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border-bottom: 1px solid #ddd; padding: 2pt 4pt; text-align: left; }
td.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0 4pt; border-radius: 3pt; color: #fff; }
.cols { display: flex; gap: 8pt; }
.cols > div { flex: 1; }
footer { color: #666; font-size: 8pt; margin-top: 6pt; }
@media print { .plotly-graph-div { page-break-inside: avoid; } }
"""


def _number(value: float, decimals: int = 0) -> str:
    """Indonesian number format: ``12.345,6``; missing -> ``–``."""
    return formats.number(value, decimals, "id")


def _pct(value: float) -> str:
    return formats.percent(value, 2, "id")


def _badge(level_value: int | None) -> str:
    if level_value is None or pd.isna(level_value):
        return '<span class="badge" style="background:#9e9e9e">–</span>'
    item = levels.level(int(level_value))
    return (
        f'<span class="badge" style="background:{item.colour}">{html.escape(item.label_id)}</span>'
    )


def status_map(export: WeeklyExport) -> go.Figure:
    """Schematic map: regency centroids coloured by their highest status (no geo layer)."""
    frame = export.regencies.merge(export.regions[["region_code", "lat", "lon"]], on="region_code")
    frame = frame.assign(label_position=label_positions(frame))
    figure = go.Figure()
    for item in levels.LEVELS:
        rows = frame[frame["max_status_level"] == item.value]
        figure.add_trace(_map_trace(rows, item.label_id, item.colour))
    missing = frame[frame["max_status_level"].isna()]
    figure.add_trace(_map_trace(missing, "Tanpa status", levels.NO_DATA_COLOUR))
    pad = 0.4
    figure.update_layout(
        width=420,
        height=290,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False, "range": [frame["lon"].min() - pad, frame["lon"].max() + pad]},
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "range": [frame["lat"].min() - pad / 2, frame["lat"].max() + pad / 2],
        },
        plot_bgcolor="#f4f6f8",
        legend={"orientation": "h", "y": -0.02},
        template="none",
    )
    return figure


def label_positions(frame: pd.DataFrame, near: float = 0.25) -> list[str]:
    """Label above each point, except below for the southern one of two close neighbours."""
    positions = []
    points = list(zip(frame["lon"], frame["lat"], strict=True))
    for lon, lat in points:
        below = any(((lon - x) ** 2 + (lat - y) ** 2) ** 0.5 < near and lat < y for x, y in points)
        positions.append("bottom center" if below else "top center")
    return positions


def _map_trace(rows: pd.DataFrame, name: str, colour: str) -> go.Scatter:
    return go.Scatter(
        x=rows["lon"].tolist(),
        y=rows["lat"].tolist(),
        mode="markers+text",
        text=rows["region_name"].tolist(),
        textposition=rows["label_position"].tolist(),
        textfont={"size": 9},
        marker={"size": 16, "color": colour, "line": {"width": 1, "color": "#333"}},
        name=name,
        showlegend=True,
        hovertemplate="%{text}<extra>" + html.escape(name) + "</extra>",
    )


def moves_chart(moves: pd.DataFrame) -> go.Figure:
    """Horizontal bars of the biggest week-on-week price changes."""
    labels = (moves["region_name"] + " – " + moves["commodity_name"]).tolist()[::-1]
    values = moves["change_wow_pct"].tolist()[::-1]
    colours = ["#c62828" if v > 0 else "#2e7d32" for v in values]
    figure = go.Figure(go.Bar(x=values, y=labels, orientation="h", marker={"color": colours}))
    figure.update_layout(
        width=330,
        height=290,
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        xaxis={"title": {"text": "% vs minggu lalu"}, "zeroline": True},
        yaxis={"automargin": True},
        template="none",
    )
    return figure


def top_alerts(detail: pd.DataFrame) -> pd.DataFrame:
    """Rows at Waspada or above, most severe first, then by open alerts and region."""
    rows = detail[detail["status_level"].fillna(0) >= 1]
    return rows.sort_values(
        ["status_level", "open_alerts", "region_code", "commodity"],
        ascending=[False, False, True, True],
    ).head(TOP_ROWS)


def biggest_moves(detail: pd.DataFrame) -> pd.DataFrame:
    """The largest absolute week-on-week price changes."""
    rows = detail.dropna(subset=["change_wow_pct"])
    rows = rows.assign(size=rows["change_wow_pct"].abs())
    return rows.sort_values(
        ["size", "region_code", "commodity"], ascending=[False, True, True]
    ).head(TOP_ROWS)


def _table(headers: list[str], body: list[list[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    lines = []
    for row in body:
        cells = "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    if not lines:
        lines.append(f'<tr><td colspan="{len(headers)}">Tidak ada / none</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def shortened(text: object, limit: int = REASON_CHARS) -> str:
    """The text cut at a word boundary to ``limit`` characters, with an ellipsis."""
    value = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0].rstrip(";,") + " …"


def alerts_table(rows: pd.DataFrame) -> str:
    body = [
        [
            _badge(r.status_level),
            html.escape(str(r.region_name)),
            html.escape(str(r.commodity_name)),
            html.escape(shortened(r.status_reason)),
            _number(r.days_of_cover, 1),
            str(int(r.open_alerts)),
        ]
        for r in rows.itertuples(index=False)
    ]
    headers = ["Status", "Kab/Kota", "Komoditas", "Alasan", "Hari cukup", "Peringatan"]
    return _table(headers, body, {4, 5})


def moves_table(rows: pd.DataFrame) -> str:
    body = [
        [
            html.escape(str(r.region_name)),
            html.escape(str(r.commodity_name)),
            _number(r.mean_price),
            _pct(r.change_wow_pct),
            _pct(r.vs_reference_pct),
        ]
        for r in rows.itertuples(index=False)
    ]
    headers = ["Kab/Kota", "Komoditas", "Harga rata-rata (Rp)", "vs minggu lalu", "vs HET/acuan"]
    return _table(headers, body, {2, 3, 4})


def brief_html(export: WeeklyExport) -> str:
    """The complete, self-contained HTML page (deterministic for the same export)."""
    week = export.week
    map_div = status_map(export).to_html(
        full_html=False, include_plotlyjs=True, div_id="jsw-status-map", config=PLOT_CONFIG
    )
    moves = biggest_moves(export.detail)
    moves_div = moves_chart(moves).to_html(
        full_html=False, include_plotlyjs=False, div_id="jsw-price-moves", config=PLOT_CONFIG
    )
    in_alert = export.regencies[export.regencies["in_alert"] == 1]
    alert_names = ", ".join(in_alert["region_name"]) or "tidak ada / none"
    stale = (
        f'<p class="stale">Data lama / stale data: data terbaru {export.data_as_of.isoformat()}'
        f" ({export.age_days} hari / days).</p>"
        if export.stale
        else ""
    )
    title = (
        f"Ringkasan Mingguan Pasokan &amp; Harga {html.escape(province_label('id'))} – {week.label}"
    )
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{title}</h1>
<p class="sub">Weekly supply &amp; price brief · {week.monday.isoformat()} s.d. {week.sunday.isoformat()}
 · harga hari / price days: {html.escape(export.detail["price_days"].iloc[0])}
 · data per / as of {export.data_as_of.isoformat()}</p>
{stale}
<p><b>Kab/kota dalam Siaga/Awas / regencies in alert:</b> {html.escape(alert_names)}</p>
<div class="cols">
<div><h2>Status tertinggi per kab/kota / highest status</h2>{map_div}</div>
<div><h2>Perubahan harga terbesar / biggest price moves</h2>{moves_div}</div>
</div>
<h2>Peringatan teratas / top alerts</h2>
{alerts_table(top_alerts(export.detail))}
<h2>Perubahan harga terbesar / biggest price moves</h2>
{moves_table(moves)}
<footer>Jambi Supply Watch · skema / schema {html.escape(export.detail["schema_version"].iloc[0])}
 · rata-rata harga hari yang dihitung, dibanding minggu sebelumnya pada hari yang sama /
 mean of the counted days' prices vs the same days of the previous week.</footer>
</body>
</html>
"""
