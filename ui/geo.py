"""The status map: the province's real kab/kota shapes, drawn offline.

Shapes come from the committed, simplified boundaries of the deployment's province
(``data/boundaries/<JSW_PROVINCE>.geojson``); ``JSW_BOUNDARY_GEOJSON`` may point to another
file. Boundary files usually carry **Kemendagri** codes, which differ from the BPS codes used
everywhere else (e.g. Tanjung Jabung Barat/Timur, Tebo/Bungo in Jambi), so each feature gets
``id`` = BPS code by mapping its Kemendagri code through the regions table.

The map is a plotly ``choroplethmap`` with ``map_style="white-bg"``: no tiles, fonts or
topojson are fetched, so it works without internet. Without shapes (a warehouse whose regions
have no boundary) the schematic SVG map of ``ui.charts.status_map`` is used instead.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui.charts import status_map as schematic_status_map
from ui.charts import worst_level_by_region
from ui.i18n import text
from warehouse import geography
from warehouse.levels import LEVELS, NO_DATA_COLOUR, NOT_ASSESSED, label, level

KEMENDAGRI_KEYS = ("kode_kemendagri", "kode", "kdkab", "KODE_KAB", "code")
MAP_HEIGHT = 460
MAP_WIDTH_GUESS = 820  # px; the chart stretches to the page, zoom is chosen for about this


def _kemendagri_code(properties: dict[str, Any]) -> str | None:
    for key in KEMENDAGRI_KEYS:
        value = properties.get(key)
        if value:
            text_value = str(value).strip()
            return text_value if "." in text_value else f"{text_value[:2]}.{text_value[2:]}"
    return None


def with_bps_ids(collection: dict[str, Any], regions: pd.DataFrame) -> dict[str, Any]:
    """A copy of ``collection`` whose features have ``id`` = BPS code (unknown ones dropped)."""
    to_bps = dict(zip(regions["kemendagri_code"], regions["bps_code"], strict=True))
    features = []
    for feature in collection.get("features", []):
        code = _kemendagri_code(feature.get("properties") or {})
        if code in to_bps:
            features.append({**feature, "id": to_bps[code]})
    return {"type": "FeatureCollection", "features": features}


@st.cache_data(show_spinner=False)
def _read_geojson(path: str, mtime_ns: int) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _committed_boundaries(regions: pd.DataFrame) -> dict[str, Any]:
    provinces = {str(code)[:2] for code in regions["bps_code"]}
    features = []
    for province in sorted(provinces & set(geography.all_provinces()["bps_code"])):
        features += geography.boundaries(province)["features"]
    wanted = set(regions["bps_code"].astype(str))
    return {
        "type": "FeatureCollection",
        "features": [f for f in features if f["id"] in wanted],
    }


def boundary_geojson(regions: pd.DataFrame) -> dict[str, Any] | None:
    """Shapes of the warehouse's regions keyed by BPS code, or None when none are known.

    ``JSW_BOUNDARY_GEOJSON`` (a file with Kemendagri codes) wins when it is set and readable.
    """
    path = os.environ.get("JSW_BOUNDARY_GEOJSON")
    if path and Path(path).is_file():
        try:
            collection = _read_geojson(path, Path(path).stat().st_mtime_ns)
        except (OSError, ValueError):
            collection = None
        if collection is not None:
            result = with_bps_ids(collection, regions)
            if result["features"]:
                return result
    if regions.empty:
        return None
    result = _committed_boundaries(regions)
    return result if result["features"] else None


def _points(geometry: dict[str, Any]) -> list[list[float]]:
    if geometry.get("type") == "Polygon":
        return [p for ring in geometry["coordinates"] for p in ring]
    if geometry.get("type") == "MultiPolygon":
        return [p for poly in geometry["coordinates"] for ring in poly for p in ring]
    return []


def map_view(boundaries: dict[str, Any]) -> tuple[dict[str, float], float]:
    """Centre and zoom that fit the shapes of ``boundaries`` (all but far islets) into the map."""
    points = [p for f in boundaries["features"] for p in _points(f.get("geometry") or {})]
    lons = pd.Series([p[0] for p in points])
    lats = pd.Series([p[1] for p in points])
    # the 1st..99th percentile of the outline points: far specks of small islands (a few
    # points each, e.g. Masalembu of Sumenep) do not shrink the main land to a strip
    west, east = float(lons.quantile(0.01)), float(lons.quantile(0.99))
    south, north = float(lats.quantile(0.01)), float(lats.quantile(0.99))

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    span_x = max(east - west, 0.05) / 360
    span_y = max(mercator(north) - mercator(south), 0.001) / (2 * math.pi)
    zoom_x = math.log2(0.9 * MAP_WIDTH_GUESS / (512 * span_x))
    zoom_y = math.log2(0.85 * MAP_HEIGHT / (512 * span_y))
    centre_y = (mercator(north) + mercator(south)) / 2
    centre = {
        "lon": (west + east) / 2,
        "lat": math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2),
    }
    return centre, round(max(min(zoom_x, zoom_y, 11.0), 2.0), 2)


def _choropleth(
    subset: pd.DataFrame, boundaries: dict[str, Any], colour: str, name: str
) -> go.Choroplethmap:
    wanted = set(subset["region_code"])
    own = [f for f in boundaries["features"] if f["id"] in wanted]
    return go.Choroplethmap(
        geojson={"type": "FeatureCollection", "features": own},
        locations=subset["region_code"],
        z=[1] * len(subset),
        colorscale=[[0, colour], [1, colour]],
        showscale=False,
        marker={"opacity": 0.75, "line": {"color": "#ffffff", "width": 1}},
        name=name,
        showlegend=True,
        text=subset["region_name"],
        customdata=subset[["region_code", "level_label", "commodities"]].to_numpy(),
        hovertemplate="<b>%{text}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
    )


def status_choropleth(
    statuses: pd.DataFrame, boundaries: dict[str, Any], lang: str = "id"
) -> go.Figure:
    """Kab/kota shapes filled by their worst level, with a clickable marker per centroid."""
    frame = worst_level_by_region(statuses, lang)
    fig = go.Figure()
    for item in (NOT_ASSESSED, *LEVELS):
        subset = frame[frame["level"] == item.value]
        if not subset.empty:
            fig.add_trace(_choropleth(subset, boundaries, item.colour, label(item.value, lang)))
    shown = set(frame["region_code"])
    missing = [f for f in boundaries["features"] if f["id"] not in shown]
    if missing:
        names = {f["id"]: f.get("properties", {}).get("nama", f["id"]) for f in missing}
        empty = pd.DataFrame(
            {
                "region_code": list(names),
                "region_name": list(names.values()),
                "level_label": text("no_data_yet", lang),
                "commodities": "",
            }
        )
        fig.add_trace(_choropleth(empty, boundaries, NO_DATA_COLOUR, text("no_data_yet", lang)))
    if not frame.empty:
        colours = [level(int(v)).colour for v in frame["level"]]
        fig.add_trace(
            go.Scattermap(
                lat=frame["lat"],
                lon=frame["lon"],
                mode="markers",
                marker={"size": 11, "color": colours},
                text=frame["region_name"],
                customdata=frame[["region_code", "level_label", "commodities"]].to_numpy(),
                hovertemplate="<b>%{text}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
                showlegend=False,
            )
        )
    centre, zoom = map_view(boundaries)
    fig.update_layout(
        map={"style": "white-bg", "center": centre, "zoom": zoom},
        height=MAP_HEIGHT,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        legend={"title": {"text": ""}, "orientation": "h", "y": 1.02, "x": 0},
        clickmode="event+select",
    )
    return fig


def boundary_source() -> tuple[str, int]:
    """Which boundary file ``status_map`` would read (``JSW_BOUNDARY_GEOJSON`` and its
    modification time; empty when unset): part of a cached map's key."""
    path = os.environ.get("JSW_BOUNDARY_GEOJSON") or ""
    try:
        return path, os.stat(path).st_mtime_ns if path else 0
    except OSError:
        return path, 0


def status_map(statuses: pd.DataFrame, regions: pd.DataFrame, lang: str = "id") -> go.Figure:
    """The Ringkasan map: real shapes when the regions have any, else the schematic map."""
    boundaries = boundary_geojson(regions)
    if boundaries is None:
        return schematic_status_map(statuses, lang, regions=regions)
    return status_choropleth(statuses, boundaries, lang)
