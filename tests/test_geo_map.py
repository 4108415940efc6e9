"""The status map of any province: real shapes keyed by BPS code, fitted, drawn offline."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from ui import geo, tables
from ui.i18n import text
from warehouse import geography
from warehouse.levels import LEVELS, NO_DATA_COLOUR


def statuses_for(code: str, levels: dict[str, int]) -> pd.DataFrame:
    regions = geography.regions(code).set_index("bps_code")
    rows = []
    for region, level in levels.items():
        rows.append(
            {
                "region_code": region,
                "region_name": regions.loc[region, "name"],
                "lat": regions.loc[region, "lat"],
                "lon": regions.loc[region, "lon"],
                "level": level,
                "commodity_id_name": "LPG 3 kg",
                "commodity_en_name": "LPG 3 kg",
            }
        )
    return pd.DataFrame(rows)


def warehouse_regions(code: str) -> pd.DataFrame:
    return geography.regions(code)[geography.WAREHOUSE_REGION_COLUMNS]


def test_jambi_map_is_a_choropleth_of_its_eleven_shapes_by_default(monkeypatch):
    monkeypatch.delenv("JSW_BOUNDARY_GEOJSON", raising=False)
    fig = geo.status_map(statuses_for("15", {"1501": 3, "1507": 1}), warehouse_regions("15"))
    shapes = [t for t in fig.data if t.type == "choroplethmap"]
    by_name = {t.name: t for t in shapes}
    assert set(by_name) == {"Awas", "Waspada", text("no_data_yet", "id")}
    assert list(by_name["Awas"].locations) == ["1501"]
    # Tanjung Jabung Barat is BPS 1507 but Kemendagri 15.06: the shape must follow the BPS code
    waspada = by_name["Waspada"].geojson["features"]
    assert [f["properties"]["kode_kemendagri"] for f in waspada] == ["15.06"]
    assert by_name["Awas"].colorscale[0][1] == LEVELS[3].colour
    assert by_name[text("no_data_yet", "id")].colorscale[0][1] == NO_DATA_COLOUR
    assert len(by_name[text("no_data_yet", "id")].locations) == 9
    assert fig.layout.map.style == "white-bg"
    markers = [t for t in fig.data if t.type == "scattermap"]
    assert [row[0] for row in markers[0].customdata] == ["1501", "1507"]
    assert "text" not in (markers[0].mode or "")  # map text would fetch glyph fonts


@pytest.mark.parametrize("code", ["15", "35", "95", "81"])
def test_map_view_shows_every_shape(code):
    boundaries = geography.boundaries(code)
    centre, zoom = geo.map_view(boundaries)
    width_deg = 360 * geo.MAP_WIDTH_GUESS / (512 * 2**zoom)
    lons = [
        p[0]
        for f in boundaries["features"]
        for poly in f["geometry"]["coordinates"]
        for ring in poly
        for p in ring
    ]
    assert min(lons) >= centre["lon"] - width_deg / 2 and max(lons) <= centre["lon"] + width_deg / 2
    assert 2 <= zoom <= 11
    province = geography.province(code)
    assert math.isclose(centre["lon"], province.lon, abs_tol=3)


def test_boundary_file_setting_still_wins(tmp_path, monkeypatch):
    feature = geography.boundaries("15")["features"][0]
    custom = {"type": "FeatureCollection", "features": [{**feature, "id": None}]}
    path = tmp_path / "custom.geojson"
    path.write_text(json.dumps(custom), encoding="utf-8")
    monkeypatch.setenv("JSW_BOUNDARY_GEOJSON", str(path))
    result = geo.boundary_geojson(warehouse_regions("15"))
    assert [f["id"] for f in result["features"]] == [feature["id"]]
    monkeypatch.delenv("JSW_BOUNDARY_GEOJSON")
    assert len(geo.boundary_geojson(warehouse_regions("15"))["features"]) == 11


def test_regions_without_shapes_get_the_schematic_map():
    regions = pd.DataFrame(
        [{"bps_code": "9999", "kemendagri_code": "99.99", "name": "X", "lat": -2.0, "lon": 102.0}]
    )
    statuses = pd.DataFrame(
        [
            {
                "region_code": "9999",
                "region_name": "X",
                "lat": -2.0,
                "lon": 102.0,
                "level": 2,
                "commodity_id_name": "Beras",
                "commodity_en_name": "Rice",
            }
        ]
    )
    fig = geo.status_map(statuses, regions)
    assert {t.type for t in fig.data} == {"scatter"}


def test_missing_lpg_het_reads_as_not_set():
    assert tables.reference_text(float("nan"), "lpg_3kg", "id") == "HET belum diatur"
    assert tables.reference_text(float("nan"), "lpg_3kg", "en") == "HET not set"
    assert tables.reference_text(float("nan"), "gula_pasir", "id") == "–"
    assert tables.reference_text(18000.0, "lpg_3kg", "id") == "Rp 18.000"
