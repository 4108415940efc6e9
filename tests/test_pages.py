"""AppTest of the dashboard pages, run from app.py against a copy of the forecast warehouse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_support import metric_values, open_app
from warehouse import db, queries
from warehouse.levels import label

ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@pytest.mark.slow
def test_ringkasan_kpis_match_the_warehouse(pages_db):
    at = open_app()
    statuses = queries.latest_statuses(pages_db)
    worst = statuses.groupby("region_code")["level"].max()
    metrics = metric_values(at)
    assert metrics["Kab/kota Siaga/Awas"] == f"{int((worst >= 2).sum())} / {worst.size}"
    above = statuses[statuses["disparity_pct"] > 0]["commodity"].nunique()
    assert metrics["Komoditas di atas harga acuan"] == str(above)
    assert metrics["Ketahanan stok terendah"].endswith(" hari")


def test_status_table_has_every_region_times_commodity(pages_db):
    at = open_app()
    table = at.dataframe[-1].value
    n_commodities = db.read_df(
        "SELECT count(DISTINCT commodity) AS n FROM statuses WHERE run_id ="
        " (SELECT run_id FROM forecast_runs WHERE run_id IN (SELECT run_id FROM statuses)"
        "  ORDER BY created_at DESC LIMIT 1)",
        path=pages_db,
    ).n[0]
    assert len(table) == 11 * n_commodities
    assert table["Kab/Kota"].nunique() == 11
    assert set(table["Status"]) <= {label(v, "id") for v in range(4)}
    assert table["Alasan"].str.len().min() > 0
    assert len(at.get("plotly_chart")) == 1


def test_min_level_filter_keeps_only_siaga_and_awas(pages_db):
    at = open_app()
    at.segmented_control(key="ringkasan_min_level").set_value("Siaga").run()
    assert not at.exception
    table = at.dataframe[-1].value
    statuses = queries.latest_statuses(pages_db)
    assert len(table) == int((statuses["level"] >= 2).sum())
    assert set(table["Status"]) <= {"Siaga", "Awas"}


@pytest.mark.slow
def test_kabupaten_switching_region_changes_values(pages_db):
    at = open_app("pages/kabupaten.py")
    first_title = at.title[0].value
    first_metrics = metric_values(at)
    regions = queries.regions(pages_db)
    at.selectbox(key="kabupaten_region").set_value("1571").run()
    assert not at.exception
    assert at.title[0].value != first_title
    assert "Kota Jambi" in at.title[0].value
    assert metric_values(at) != first_metrics
    (chart,) = at.get("plotly_chart")  # price above stock, one figure
    traces = json.loads(chart.proto.spec)["data"]
    panels = {trace["name"]: trace["yaxis"] for trace in traces}
    assert panels["Harga harian"] == "y" and panels["Stok akhir hari"] == "y2"
    table = at.dataframe[-1].value
    assert set(table["Kab/Kota"]) == {regions.set_index("bps_code").loc["1571", "name"]}


@pytest.mark.slow
def test_kabupaten_lists_every_signal_of_the_latest_run_with_its_explanation(pages_db):
    at = open_app("pages/kabupaten.py")
    at.selectbox(key="kabupaten_region").set_value("1503").run()
    at.selectbox(key="kabupaten_commodity").set_value("lpg_3kg").run()
    assert not at.exception
    stored = queries.latest_signals("1503", "lpg_3kg", pages_db)
    table = at.table[0].value
    assert len(table) == len(stored) > 0
    assert list(table["Keterangan"]) == list(stored["explanation_id"])
    resupply = table[table["Sinyal"] == "Tren pasokan"]
    assert len(resupply) == 1 and resupply["Status"].iloc[0] == "Siaga"
    assert resupply["Keterangan"].iloc[0].startswith("Pasokan tidak mengimbangi penyaluran")
    at.radio(key="sidebar_lang").set_value("en").run()
    table = at.table[0].value
    assert "Resupply trend" in set(table["Signal"])
    assert list(table["Explanation"]) == list(stored["explanation_en"])


@pytest.mark.slow
def test_kabupaten_shows_the_latest_price_of_the_warehouse(pages_db):
    at = open_app("pages/kabupaten.py")
    at.selectbox(key="kabupaten_region").set_value("1505").run()
    at.selectbox(key="kabupaten_commodity").set_value("lpg_3kg").run()
    assert not at.exception
    status = queries.region_statuses("1505", pages_db).set_index("commodity").loc["lpg_3kg"]
    expected = f"Rp {round(status['price']):,}".replace(",", ".")
    assert metric_values(at)["Harga terakhir (Rp/tabung)"] == expected


@pytest.mark.slow
def test_deep_link_preselects_region(pages_db):
    at = open_app()
    at.query_params["region"] = "1509"
    at.switch_page("pages/kabupaten.py").run()
    assert not at.exception
    assert at.selectbox(key="kabupaten_region").value == "1509"


@pytest.mark.slow
def test_english_switch_changes_labels(pages_db):
    at = open_app()
    assert at.title[0].value == "Ringkasan Provinsi Jambi"
    at.radio(key="sidebar_lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Jambi Province Overview"
    assert "Regencies in Warning/Critical" in metric_values(at)
    assert "Regency/City" in at.dataframe[-1].value.columns
    at.switch_page("pages/kabupaten.py").run()
    assert at.title[0].value.startswith("Regency/City: ")


@pytest.mark.slow
def test_new_forecast_run_invalidates_cached_results(pages_db):
    at = open_app()
    before = metric_values(at)["Kab/kota Siaga/Awas"]
    with db.write_transaction(pages_db) as con:
        con.execute("UPDATE statuses SET level = 0")
    at.run()
    assert not at.exception
    after = metric_values(at)["Kab/kota Siaga/Awas"]
    assert after.startswith("0 / ")
    assert before != after or before.startswith("0 / ")


def test_stale_data_shows_a_warning(pages_db, monkeypatch):
    monkeypatch.setenv("JSW_STALE_DAYS", "-1")  # any data date counts as stale
    at = open_app()
    assert any("lebih dari -1 hari" in w.value for w in at.warning)
    monkeypatch.setenv("JSW_STALE_DAYS", "100000")
    at.run()
    assert not any("Data terakhir" in w.value for w in at.warning)


@pytest.mark.slow
def test_busy_warehouse_shows_refreshing_message(pages_db, monkeypatch):
    monkeypatch.setattr(db, "READ_RETRY_SECONDS", 0.2)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " sys.stdin.readline()",
            str(pages_db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
        assert not at.exception
        assert any("Data sedang diperbarui" in i.value for i in at.info)
    finally:
        holder.communicate("\n", timeout=10)


@pytest.mark.slow
def test_pages_keep_working_while_the_warehouse_is_rewritten(pages_db):
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from warehouse import db\n"
            "for i in range(8):\n"
            "    with db.write_transaction(sys.argv[1]) as con:\n"
            "        con.execute('UPDATE statuses SET level = ?', [i % 4])\n",
            str(pages_db),
        ],
        cwd=ROOT,
    )
    runs = 0
    try:
        at = open_app()
        while writer.poll() is None or runs < 3:
            at.run()
            assert not at.exception, at.exception
            assert len(at.dataframe) == 2  # top alerts and the status table
            runs += 1
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0


@pytest.mark.slow
def test_ringkasan_lists_the_most_severe_open_alerts_first(pages_db):
    from warehouse import alerts

    open_alerts = alerts.list_alerts(pages_db, state=["new", "acknowledged", "action"])
    assert not open_alerts.empty, "the demo warehouse should hold open alerts"
    at = open_app()
    top = at.dataframe[0].value
    assert len(top) == min(5, len(open_alerts))
    order = [label(v, "id") for v in sorted(open_alerts["level"], reverse=True)][: len(top)]
    assert list(top["Status"]) == order
    assert set(top["Kab/Kota"]) <= set(open_alerts["region_name"])
