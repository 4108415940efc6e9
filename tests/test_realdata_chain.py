"""The whole chain on the warehouses a real deployment starts with (``realdata_support``):
forecasting run, replay, weekly export and every page, each without a traceback and showing
the data it has.

Score (``python -m forecasting score``) needs recorded incidents: none of these warehouses has
any, so it is not part of their chain.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.page_support import open_app
from tests.realdata_support import OFFICER_CODES, build, query, run_cli
from warehouse import queries
from warehouse.reference import province_code

KINDS = ("pihps", "officer", "pihps_officer", "empty")
PAGES = (
    "ringkasan", "komoditas", "kabupaten", "kesehatan_data", "peringatan", "laporan_mingguan",
    "skenario", "unggah",
)  # fmt: skip
_BUILT: dict[str, Path] = {}


@pytest.fixture(scope="module")
def forecast_of(tmp_path_factory):
    """Build a kind of warehouse once per module and run ``python -m forecasting run`` on it;
    returns (warehouse path, the run's JSON summary)."""
    from tests.conftest import REALDATA

    summaries: dict[str, dict] = {}

    def get(kind: str) -> tuple[Path, dict]:
        if kind not in _BUILT:
            if "pihps" in kind and not (REALDATA / "pihps_jambi_ifpd").is_dir():
                pytest.skip(f"real PIHPS data not found under {REALDATA}")
            db = build(kind, tmp_path_factory.mktemp(kind), REALDATA)
            proc = run_cli("forecasting", "run", "--json", "--workers", "2", db=db)
            assert proc.returncode == 0, proc.stderr[-3000:]
            _BUILT[kind], summaries[kind] = db, json.loads(proc.stdout.splitlines()[-1])
        return _BUILT[kind], summaries[kind]

    return get


@pytest.fixture
def copy_of(forecast_of, tmp_path, monkeypatch):
    """A private copy of a kind's forecast warehouse, exported as JSW_DB."""

    def get(kind: str) -> Path:
        source, _ = forecast_of(kind)
        path = tmp_path / f"{kind}.duckdb"
        shutil.copyfile(source, path)
        monkeypatch.setenv("JSW_DB", str(path))
        monkeypatch.setenv("JSW_STALE_DAYS", "100000")
        return path

    return get


def statuses(db: Path) -> pd.DataFrame:
    return queries.latest_statuses(db)


@pytest.mark.slow
def test_forecasting_on_real_pihps_only_gives_province_statuses_that_name_what_is_missing(
    forecast_of,
):
    db, summary = forecast_of("pihps")
    assert summary["status"] == "success" and summary["data_as_of"] == "2023-12-29"
    assert summary["n_series"] == 14  # every PIHPS grade at province level is forecast
    frame = statuses(db)
    assert set(frame["region_code"]) == {province_code()} and len(frame) == 14
    assert frame["region_name"].eq("Provinsi Jambi").all()
    assert frame["reason_id"].str.contains("belum ada laporan stok").all()
    assert not frame["reason_id"].str.startswith("Aman: ").any()  # never a silent "Aman"
    by_code = frame.set_index("commodity")
    # PIHPS medium grades are compared with the medium-rice HET in force (Rp 11.500 in 2023)
    assert by_code.loc["pihps_beras_medium_1", "reference_price"] == 11500
    assert by_code.loc["pihps_beras_medium_1", "rule"] == "price_vs_reference"
    # the other grades are not HET classes: no reference, price signals only
    assert (
        by_code[["reference_price"]]
        .loc[["pihps_beras_super_1", "pihps_gula_pasir"]]
        .isna()
        .all()
        .all()
    )
    signals = query(db, "SELECT DISTINCT signal FROM signals WHERE region_code = '15'")
    assert {"alps", "ipa", "wow_change", "price_trend"} <= {row[0] for row in signals}
    assert query(db, "SELECT DISTINCT region_code FROM forecasts") == [("15",)]


@pytest.mark.slow
def test_forecasting_on_officer_reports_only_assesses_stock_and_says_prices_are_missing(
    forecast_of,
):
    db, summary = forecast_of("officer")
    assert summary["status"] == "success"
    frame = statuses(db)
    assert sorted(frame["region_code"]) == sorted(OFFICER_CODES)
    assert frame["days_cover"].notna().all() and frame["price"].isna().all()
    assert frame["reason_id"].str.contains("belum ada laporan harga").all()
    assert (frame["level"] >= 0).all()


@pytest.mark.slow
def test_forecasting_on_pihps_and_officer_reports_keeps_both(forecast_of):
    db, _ = forecast_of("pihps_officer")
    frame = statuses(db)
    assert len(frame) == 16
    assert set(frame["region_code"]) == {province_code(), *OFFICER_CODES}
    regency = frame[frame["region_code"] != province_code()]
    assert regency["days_cover"].notna().all()


@pytest.mark.slow
def test_forecasting_on_an_empty_warehouse_exits_cleanly_with_a_message(forecast_of):
    db, summary = forecast_of("empty")
    assert summary["status"] == "no_data" and "import data" in summary["message"]
    assert query(db, "SELECT count(*) FROM forecast_runs") == [(0,)]
    proc = run_cli("forecasting", "run", "--replay-from", "2021-01-04", db=db)
    assert proc.returncode == 0 and "Nothing to forecast" in proc.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "start", "step", "regions"),
    [
        ("pihps", "2021-01-04", 7, {"15"}),
        ("officer", "2023-09-04", 1, set(OFFICER_CODES)),
        ("pihps_officer", "2023-06-05", 3, {"15", *OFFICER_CODES}),
    ],
)
def test_replay_runs_and_raises_alerts_where_the_data_has_them(copy_of, kind, start, step, regions):
    db = copy_of(kind)
    args = ("--replay-from", start, "--replay-step", str(step), "--json")
    proc = run_cli("forecasting", "run", *args, db=db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.splitlines()[-1])  # the summary closes the progress lines
    assert summary["status"] == "success" and summary["date_to"] == "2023-12-29"
    alerted = query(db, "SELECT DISTINCT region_code FROM alerts WHERE origin = 'replay'")
    assert {row[0] for row in alerted} == regions


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["pihps", "officer", "pihps_officer"])
def test_weekly_export_lists_the_rows_each_warehouse_has(copy_of, tmp_path, kind):
    db = copy_of(kind)
    out = tmp_path / "out"
    args = ("weekly", "--today", "2023-12-30", "--out", str(out), "--brief", "--json")
    proc = run_cli("reports", *args, db=db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["week"] == "2023-W51"
    detail = pd.read_csv(out / "jsw_weekly_detail_2023-W51.csv", dtype={"region_code": str})
    has_province = "pihps" in kind
    province = detail[detail["region_code"] == province_code()]
    assert (len(province) > 0) == has_province  # one row per commodity listed in the export
    if has_province:
        assert province["mean_price"].notna().sum() == 14  # the 14 PIHPS staples it reports
        medium = province.set_index("commodity").loc["pihps_beras_medium_1"]
        assert medium["reference_price"] == 11500 and medium["status"] == "Awas"
    if "officer" in kind:
        lpg = detail[(detail["commodity"] == "lpg_3kg") & detail["region_code"].isin(OFFICER_CODES)]
        assert lpg["stock"].notna().all() and lpg["days_of_cover"].notna().all()
    summary = pd.read_csv(out / "jsw_weekly_commodities_2023-W51.csv")
    assert (summary["regencies_compared"] <= 11).all()  # the province is not a regency


def test_weekly_export_on_an_empty_warehouse_says_to_import_data(copy_of, tmp_path):
    db = copy_of("empty")
    proc = run_cli("reports", "weekly", "--out", str(tmp_path), db=db)
    assert proc.returncode == 4 and "Impor data" in proc.stderr


def _open_every_page(kind: str) -> dict[str, object]:
    apps = {}
    for page in PAGES:
        apps[page] = open_app(f"pages/{page}.py")  # asserts no exception
    return apps


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_page_caches")
def test_every_page_on_real_pihps_only_shows_the_province_prices(copy_of):
    copy_of("pihps")
    apps = _open_every_page("pihps")
    ringkasan = {m.label: m.value for m in apps["ringkasan"].metric}
    assert ringkasan["Status Provinsi Jambi"] == "Awas"
    assert ringkasan["Ketahanan stok terendah"] == "–"
    assert len(apps["ringkasan"].get("plotly_chart")) == 2  # province prices + map
    table = apps["ringkasan"].dataframe[-1].value
    assert set(table["Kab/Kota"]) == {"Provinsi Jambi"} and len(table) == 14
    komoditas = {m.label: m.value for m in apps["komoditas"].metric}
    assert komoditas["Harga Provinsi Jambi"].startswith("Rp ")
    assert len(apps["komoditas"].get("plotly_chart")) >= 3  # province series, group, heatmap
    kabupaten = apps["kabupaten"]
    assert kabupaten.title[0].value.endswith("Provinsi Jambi")
    assert len(kabupaten.get("plotly_chart")) == 1  # price chart; no stock chart at province
    captions = " ".join(c.value for c in apps["kesehatan_data"].caption)
    assert "14 harga, 0 stok" in captions


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_page_caches")
def test_every_page_on_officer_reports_only_shows_the_stock(copy_of):
    copy_of("officer")
    apps = _open_every_page("officer")
    ringkasan = {m.label: m.value for m in apps["ringkasan"].metric}
    assert ringkasan["Kab/kota Siaga/Awas"] == "2 / 2"
    assert ringkasan["Ketahanan stok terendah"].endswith(" hari")
    kabupaten = apps["kabupaten"]
    assert kabupaten.title[0].value.endswith(("Kota Jambi", "Muaro Jambi"))
    assert len(kabupaten.get("plotly_chart")) == 1  # stock chart; no price reports
    captions = " ".join(c.value for c in kabupaten.caption)
    assert "Belum ada laporan harga" in captions


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_page_caches")
def test_every_page_on_pihps_and_officer_reports_renders(copy_of):
    copy_of("pihps_officer")
    apps = _open_every_page("pihps_officer")
    table = apps["ringkasan"].dataframe[-1].value
    assert {"Provinsi Jambi", "Kota Jambi", "Muaro Jambi"} == set(table["Kab/Kota"])


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_page_caches")
def test_every_page_on_an_empty_warehouse_says_there_is_nothing_yet(copy_of):
    copy_of("empty")
    apps = _open_every_page("empty")
    assert "Belum ada status" in apps["ringkasan"].info[0].value
    for page in ("komoditas", "kabupaten", "kesehatan_data"):
        assert "Belum ada data di gudang data" in apps[page].info[0].value
