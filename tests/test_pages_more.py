"""AppTest of the Komoditas and Kesehatan Data pages."""

from __future__ import annotations

import json

import pytest

from tests.page_support import (
    ROOT,
    metric_values,
    open_app,
)
from warehouse import db

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@pytest.mark.slow
def test_komoditas_ranks_every_region_with_prices(pages_db):
    at = open_app("pages/komoditas.py")
    assert at.selectbox(key="komoditas_commodity").value == "lpg_3kg"
    regions_with_price = db.read_df(
        "SELECT count(DISTINCT region_code) AS n FROM facts"
        " WHERE commodity = 'lpg_3kg' AND metric = 'price'",
        path=pages_db,
    ).n[0]
    table = at.dataframe[0].value
    assert len(table) == regions_with_price
    prices = table["Harga"].str.replace("Rp ", "").str.replace(".", "").astype(int)
    assert list(prices) == sorted(prices, reverse=True)
    assert len(at.get("plotly_chart")) == 3
    assert metric_values(at)["Disparitas (CV) hari ini"].endswith("%")


@pytest.mark.slow
def test_komoditas_switching_commodity_changes_the_page(pages_db):
    at = open_app("pages/komoditas.py")
    before = at.title[0].value
    at.selectbox(key="komoditas_commodity").set_value("beras_medium").run()
    assert not at.exception
    assert at.title[0].value != before and "Beras Medium" in at.title[0].value
    assert set(at.dataframe[0].value["Harga acuan"]) == {"Rp 14.000"}  # HET since 22 Aug 2025


@pytest.mark.slow
def test_kesehatan_shows_runs_and_forecast_accuracy(pages_db):
    at = open_app("pages/kesehatan_data.py")
    runs = db.read_df("SELECT count(*) AS n FROM ingest_runs", path=pages_db).n[0]
    pairs = db.read_df(
        "SELECT count(DISTINCT (commodity, metric)) AS n FROM backtest_results"
        " WHERE chosen AND horizon IS NULL AND run_id = (SELECT run_id FROM forecast_runs"
        " WHERE run_id IN (SELECT run_id FROM backtest_results) ORDER BY created_at DESC LIMIT 1)",
        path=pages_db,
    ).n[0]
    tables = {tuple(d.value.columns[:2]): d.value for d in at.dataframe}
    run_table = next(v for k, v in tables.items() if k == ("ID proses", "Sumber"))
    assert len(run_table) == min(runs, 20)
    accuracy = next(v for k, v in tables.items() if k == ("Komoditas", "Besaran"))
    assert len(accuracy) == pairs
    assert metric_values(at)["Baris ditolak"].isdigit()


ENGLISH_TITLES = (
    "Jambi Province Overview",
    "Regency/City: ",
    "Commodity: ",
    "Alerts",
    "Planning Scenarios",
    "Data Health",
    "Upload Stock Report",
    "Weekly Report",
)


@pytest.mark.slow
def test_every_page_runs_in_english_without_errors(pages_db):
    at = open_app()
    at.radio(key="sidebar_lang").set_value("en").run()
    pages = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
    assert len(pages) == 8
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert at.title[0].value.startswith(ENGLISH_TITLES), at.title[0].value
        assert not any("Kab/Kota" == c for d in at.dataframe for c in d.value.columns)


def test_every_chart_is_sent_in_the_house_look(pages_db):
    """Charts go out with no Streamlit theme and no plotly template (so a copy of the figure
    redraws nothing in the browser), numbers as lists and a data revision."""
    sent = []
    for page in (None, "pages/kabupaten.py", "pages/komoditas.py"):
        sent += [chart.proto for chart in open_app(page).get("plotly_chart")]
    assert len(sent) >= 5  # province prices and map, region chart, three commodity charts
    for proto in sent:
        spec = json.loads(proto.spec)
        assert proto.theme == "" and "template" not in spec["layout"]
        assert "bdata" not in proto.spec and spec["layout"]["datarevision"]
        assert spec["layout"]["font"]["family"] == '"Source Sans", sans-serif'
