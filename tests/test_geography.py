"""National reference data: 38 provinces, 514 kab/kota, both code schemes, boundaries."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from warehouse import geography, province_settings
from warehouse.db import SCHEMA_FILE
from warehouse.reference import load_reference_data, normalise_alias, read_reference_csv

PAPUA = {  # name: (Kemendagri, BPS)
    "Papua": ("91", "94"),
    "Papua Barat": ("92", "91"),
    "Papua Selatan": ("93", "95"),
    "Papua Tengah": ("94", "96"),
    "Papua Pegunungan": ("95", "97"),
    "Papua Barat Daya": ("96", "92"),
}
JAMBI_SWAPPED = {"15.06": "1507", "15.07": "1506", "15.08": "1509", "15.09": "1508"}


def test_all_provinces_and_kabkota_with_unique_codes_per_scheme():
    provinces, regions = geography.all_provinces(), geography.all_regions()
    assert len(provinces) == 38 and len(regions) == 514
    for frame in (provinces, regions):
        assert frame["bps_code"].is_unique and frame["kemendagri_code"].is_unique
    assert (regions["type"] == "kota").sum() == 98
    assert set(regions["province_bps"]) == set(provinces["bps_code"])
    counted = regions.groupby("province_bps").size()
    assert (counted == provinces.set_index("bps_code")["n_kabkota"]).all()
    # a kab/kota's BPS code starts with its province's BPS code; Kemendagri likewise
    assert (regions["bps_code"].str[:2] == regions["province_bps"]).all()
    assert (regions["kemendagri_code"].str[:2] == regions["province_kemendagri"]).all()
    differs = regions["bps_code"] != regions["kemendagri_code"].str.replace(".", "", regex=False)
    assert differs.sum() == 199
    assert regions["population"].gt(0).all() and regions["area_km2"].gt(0).all()
    assert regions["lat"].between(-11.5, 6.5).all() and regions["lon"].between(94, 141.5).all()


def test_jambi_swapped_pairs_and_papua_provinces():
    for kemendagri, bps in JAMBI_SWAPPED.items():
        assert geography.convert_code(kemendagri, "kemendagri", "bps") == bps
    assert geography.region_by_code("bps", "1507")["name"] == "Tanjung Jabung Barat"
    assert geography.region_by_code("bps", "1508")["name"] == "Tebo"
    for name, (kemendagri, bps) in PAPUA.items():
        assert geography.province_by_code("kemendagri", kemendagri).name == name
        assert geography.province_by_code("bps", bps).name == name
        assert geography.province(bps).het_beras_zone == 3
    # same digits, different provinces: never key by bare digits
    assert geography.province_by_code("kemendagri", "91").name == "Papua"
    assert geography.province_by_code("bps", "91").name == "Papua Barat"
    assert geography.region_by_code("bps", "9604")["name"] == "Nabire"
    assert geography.region_by_code("bps", "9604")["bps_code_2020"] == "9404"
    # PIHPS lists only the pre-split Papua provinces
    assert geography.province("94").pihps_prov_id == 33
    assert geography.province("95").pihps_prov_id is None


def test_source_ids_of_the_province(monkeypatch):
    jambi = geography.province()
    assert (jambi.name, jambi.pihps_prov_id, jambi.bapanas_province_id) == ("Jambi", 6, 5)
    assert (jambi.sp2kp_code, jambi.het_beras_zone) == ("15", 2)
    monkeypatch.setenv("JSW_PROVINCE", "35")
    jatim = geography.province()
    assert (jatim.name, jatim.pihps_prov_id, jatim.bapanas_province_id) == ("Jawa Timur", 16, 15)
    assert len(geography.regions()) == 38 and jatim.het_beras_zone == 1
    assert "JAWA TIMUR" in jatim.aliases and "PROVINSI JAWA TIMUR" in jatim.aliases
    assert "JAMBI" not in jambi.aliases and "PROVINSI JAMBI" in jambi.aliases  # Kota Jambi
    assert "GORONTALO" not in geography.province("75").aliases  # Kabupaten Gorontalo
    monkeypatch.setenv("JSW_PROVINCE", "99")
    with pytest.raises(geography.UnknownProvince, match="Jawa Timur"):
        geography.province_code()


@pytest.mark.parametrize("code", sorted(geography.all_provinces()["bps_code"]))
def test_every_province_reference_rows_load_and_validate(code, monkeypatch):
    monkeypatch.setenv("JSW_PROVINCE", code)
    con = duckdb.connect()
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    load_reference_data(con)
    stored = con.execute("SELECT bps_code, name, lat, lon FROM regions").df()
    expected = geography.province(code).n_kabkota
    assert len(stored) == expected and stored["bps_code"].str.startswith(code).all()
    assert stored["lat"].notna().all() and stored["name"].is_unique
    aliases = con.execute("SELECT alias, bps_code FROM region_aliases").df()
    assert set(aliases["bps_code"]) == set(stored["bps_code"])  # every kab/kota is reachable
    zone = geography.province(code).het_beras_zone
    het = con.execute(
        "SELECT value FROM reference_prices WHERE commodity = 'beras_medium' AND valid_to IS NULL"
    ).fetchone()[0]
    assert het == {1: 13500, 2: 14000, 3: 15500}[zone]
    features = geography.boundaries(code)["features"]
    assert sorted(f["id"] for f in features) == sorted(stored["bps_code"])
    for feature in features:
        assert feature["geometry"]["type"] == "MultiPolygon"
        lon, lat = feature["geometry"]["coordinates"][0][0][0]
        assert 94 < lon < 141.5 and -11.5 < lat < 6.5  # [lng, lat], not lat-first


def test_aliases_unique_within_each_province():
    aliases = geography.all_aliases()
    per_province = aliases.groupby(["province_bps", "alias"])["bps_code"].nunique()
    assert per_province.max() == 1
    # the province's own name is never a kab/kota alias ("Jambi" may mean the province)
    jambi = geography.aliases("15")
    assert "JAMBI" not in set(jambi["alias"]) and "KOTA JAMBI" in set(jambi["alias"])
    jatim = dict(geography.aliases("35").itertuples(index=False))
    assert jatim["KAB MALANG"] == "3507" and jatim["KOTA MALANG"] == "3573"
    assert jatim["KOTA BATU"] == "3579" and jatim["KABUPATEN PACITAN"] == "3501"


def test_jambi_rows_unchanged_by_default():
    regions = read_reference_csv("regions").set_index("bps_code")
    assert list(regions.columns) == ["kemendagri_code", "name", "type", "seat", "lat", "lon"]
    assert len(regions) == 11
    assert regions.loc["1504", ["name", "seat"]].tolist() == ["Batang Hari", "Muara Bulian"]
    aliases = dict(read_reference_csv("region_aliases").itertuples(index=False))
    assert aliases["TANJABTIM"] == "1506" and aliases["TANJABBAR"] == "1507"
    prices = read_reference_csv("reference_prices")
    lpg = prices[prices["commodity"] == "lpg_3kg"].set_index("region_code")["value"]
    assert len(lpg) == 11 and lpg["1505"] == 18000 and lpg["1572"] == 20000
    pertamax = prices[prices["commodity"] == "pertamax"]
    assert pertamax["value"].tolist() == [12400.0]


def test_officer_names_from_jawa_timur_point_to_jawa_timur(realdata):
    openpyxl = pytest.importorskip("openpyxl")
    path = realdata / "officer_files" / "bapanas_jatim_harian_kabkota_2026-02-26.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    names = [row[1] for row in sheet.iter_rows(min_row=3, max_row=40, values_only=True)]
    guess = geography.guess_province(names)
    assert guess is not None and (guess.bps_code, guess.name) == ("35", "Jawa Timur")
    assert guess.matched == guess.total == 38
    lookup = dict(geography.aliases("35").itertuples(index=False))
    assert {lookup[normalise_alias(n)] for n in names} == set(geography.regions("35")["bps_code"])
    jambi_names = ["KAB. BATANGHARI", "Kab. Tanjabbar", "KOTA JAMBI", "Sarolangun"]
    assert geography.guess_province(jambi_names).bps_code == "15"
    assert geography.guess_province(["Rerata", "Grand Total"]) is None


def test_province_without_settings_has_no_lpg_het(monkeypatch, tmp_path):
    monkeypatch.setenv("JSW_PROVINCE", "94")
    prices = province_settings.reference_prices()
    assert "lpg_3kg" not in set(prices["commodity"])
    assert len(province_settings.lpg_het_missing()) == 9
    bad = tmp_path / "94.toml"
    bad.write_text('[lpg_3kg_het.values]\n"1501" = 18000\n', encoding="utf-8")
    monkeypatch.setenv("JSW_PROVINCE_SETTINGS", str(bad))
    with pytest.raises(province_settings.SettingsError, match="1501.*not a BPS kab/kota code"):
        province_settings.load_settings()
    bad.write_text(
        '[lpg_3kg_het.values]\n"9471" = 25000\n[thresholds.lpg_3kg]\nawas_cover_days = 5\n',
        encoding="utf-8",
    )
    prices = province_settings.reference_prices()
    assert prices.loc[prices["commodity"] == "lpg_3kg", "region_code"].tolist() == ["9471"]
    thresholds = province_settings.thresholds().set_index("commodity")
    assert thresholds.loc["lpg_3kg", "awas_cover_days"] == 5


def test_committed_boundaries_are_compact():
    sizes = [p.stat().st_size for p in geography.BOUNDARY_DIR.glob("*.geojson")]
    assert len(sizes) == 38 and sum(sizes) < 2_000_000
    frame = pd.DataFrame(geography.boundaries("15")["features"])
    assert set(frame["id"]) == set(geography.regions("15")["bps_code"])


@pytest.mark.slow
def test_committed_files_are_derived_from_the_public_sources(realdata, tmp_path):
    from warehouse import geography_build
    from warehouse.reference import DATA_DIR

    assert geography_build.main([str(realdata / "wilayah"), "--out", str(tmp_path)]) == 0
    for name in ("provinces.csv", "regions.csv", "region_aliases.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
    rebuilt = sorted(p.name for p in (tmp_path / "boundaries").glob("*.geojson"))
    assert rebuilt == sorted(p.name for p in geography.BOUNDARY_DIR.glob("*.geojson"))
    for name in ("15.geojson", "35.geojson", "95.geojson"):
        assert (tmp_path / "boundaries" / name).read_bytes() == (
            geography.BOUNDARY_DIR / name
        ).read_bytes()
