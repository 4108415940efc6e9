"""Deployments outside Jambi: a demo per province runs the whole chain with real kab/kota.

Kalimantan Utara (BPS 65, 5 kab/kota) and Papua Selatan (BPS 95, Kemendagri 93, 4 kab/kota:
every code differs between the schemes) are built with the real commands under
``JSW_PROVINCE``: demo, forecasting run, replay, weekly export; then every page through
AppTest and the map in chromium with no request leaving 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pandas as pd
import pytest

from tests.browser_support import CHROMIUM, ROOT, Watch, screenshot, streamlit_server
from tests.page_support import open_app
from ui.geo import boundary_geojson
from ui.navigation import PAGES
from warehouse import geography, queries
from warehouse.db import read_df
from warehouse.reference import normalise_alias

END = "2026-11-20"
PROVINCES = ("65", "95")

pytestmark = pytest.mark.slow


def _run(args: list[str], env: dict[str, str], timeout: int = 1200) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, f"{' '.join(args[:3])} failed: {proc.stderr[-2000:]}"
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


@pytest.fixture(scope="module", params=PROVINCES)
def chain(request, tmp_path_factory) -> Iterator[dict]:
    """One province's warehouse after demo, forecasting, replay and the weekly export."""
    code = request.param
    folder = tmp_path_factory.mktemp(f"province{code}")
    db = folder / "warehouse.duckdb"
    env = {**os.environ, "JSW_PROVINCE": code, "JSW_STALE_DAYS": "100000"}
    env.pop("JSW_PROVINCE_SETTINGS", None)
    demo = _run(
        ["ingest", "demo", "--db", str(db), "--end", END, "--years", "2", "--progress-json"], env
    )
    forecast = _run(["forecasting", "run", "--db", str(db), "--json", "--workers", "1"], env)
    replay = _run(
        ["forecasting", "run", "--db", str(db), "--json", "--replay-from", "2026-09-01",
         "--replay-step", "7"],
        env,
    )  # fmt: skip
    weekly = _run(
        ["reports", "weekly", "--db", str(db), "--json", "--out", str(folder / "weekly"),
         "--today", "2026-11-21"],
        env,
    )  # fmt: skip
    yield {
        "code": code,
        "db": db,
        "env": env,
        "demo": demo["summary"],
        "forecast": forecast,
        "replay": replay,
        "weekly": weekly,
    }


def test_chain_runs_on_the_province_real_kabkota(chain):
    code, db = chain["code"], chain["db"]
    expected = geography.regions(code)
    regions = read_df("SELECT * FROM regions ORDER BY bps_code", path=db)
    assert regions["bps_code"].tolist() == expected["bps_code"].tolist()
    assert regions["kemendagri_code"].tolist() == expected["kemendagri_code"].tolist()
    assert chain["demo"]["regions"] == len(expected) and chain["demo"]["commodities"] == 8
    facts = read_df("SELECT DISTINCT region_code FROM facts", path=db)
    assert set(facts["region_code"]) == set(expected["bps_code"])
    run = read_df("SELECT source, status, rows_loaded FROM ingest_runs", path=db)
    assert run.to_dict("records") == [
        {"source": "demo", "status": "success", "rows_loaded": chain["demo"]["facts"]}
    ]
    assert chain["forecast"]["status"] == "success"
    statuses = queries.latest_statuses(db)
    assert set(statuses["region_code"]) == set(expected["bps_code"])
    assert chain["replay"]["status"] == "success" and chain["replay"]["dates"] == 12
    assert chain["weekly"]["ok"] and chain["weekly"]["rows"]["regencies"] == len(expected)
    regencies = pd.read_csv(chain["weekly"]["files"][2], dtype=str, encoding="utf-8-sig")
    assert sorted(regencies["region_code"]) == expected["bps_code"].tolist()
    assert set(regencies["region_name"]) == set(expected["name"])


def test_demand_follows_population_and_het_follows_the_zone(chain):
    code, db = chain["code"], chain["db"]
    demand = read_df(
        "SELECT region_code, avg(value) AS v FROM facts WHERE commodity = 'lpg_3kg'"
        " AND metric = 'distribution' GROUP BY region_code",
        path=db,
    ).set_index("region_code")["v"]
    population = geography.regions(code).set_index("bps_code")["population"]
    ratio = demand / population.reindex(demand.index)
    assert ratio.max() / ratio.min() < 1.25  # per-person offtake is alike everywhere
    het = read_df(
        "SELECT value FROM reference_prices WHERE commodity = 'beras_medium' AND valid_to IS NULL",
        path=db,
    )["value"]
    zone = geography.province(code).het_beras_zone
    assert het.tolist() == [{1: 13500.0, 2: 14000.0, 3: 15500.0}[zone]]
    lpg = read_df("SELECT count(*) AS n FROM reference_prices WHERE commodity = 'lpg_3kg'", path=db)
    assert lpg["n"][0] == 0  # no settings file: LPG 3 kg HET not set


@pytest.fixture
def province_pages(chain, monkeypatch, fresh_page_caches) -> dict:
    monkeypatch.setenv("JSW_DB", str(chain["db"]))
    monkeypatch.setenv("JSW_PROVINCE", chain["code"])
    monkeypatch.setenv("JSW_STALE_DAYS", "100000")
    return chain


def test_every_page_renders_for_the_province(province_pages):
    code = province_pages["code"]
    name = geography.province(code).name
    at = open_app()
    assert at.title[0].value == f"Ringkasan Provinsi {name}"
    table = at.dataframe[-1].value
    assert set(table["Kab/Kota"]) == set(geography.regions(code)["name"])
    lpg = table[table["Komoditas"] == "LPG 3 kg"]
    assert (lpg["Harga acuan"] == "HET belum diatur").all() and len(lpg) > 0
    figure = at.get("plotly_chart")[0].proto.spec
    spec = json.loads(figure)
    shapes = [t for t in spec["data"] if t["type"] == "choroplethmap"]
    drawn = {loc for t in shapes for loc in t["locations"]}
    assert drawn == set(geography.regions(code)["bps_code"])
    assert spec["layout"]["map"]["style"] == "white-bg"
    for page, _, _ in PAGES[1:]:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, at.exception)


@pytest.fixture(scope="module")
def served(chain, tmp_path_factory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    with streamlit_server(ROOT / "app.py", chain["env"] | {"JSW_DB": str(chain["db"])}, log) as (
        url,
        _process,
    ):
        yield url


@pytest.mark.browser
def test_map_draws_offline_in_chromium(chain, served, browser):
    name = geography.province(chain["code"]).name
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    watch = Watch(tab, served)
    try:
        tab.goto(f"{served}/ringkasan")
        tab.get_by_text(f"Ringkasan Provinsi {name}").wait_for()
        canvas = tab.locator("[data-testid='stPlotlyChart'] canvas.maplibregl-canvas").first
        canvas.wait_for(state="visible")
        box = canvas.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 300
        tab.wait_for_timeout(2000)
        image = screenshot(tab, f"ringkasan_map_{chain['code']}")
        assert image.stat().st_size > 10_000
        watch.assert_clean()
    finally:
        context.close()


def test_jawa_timur_demo_has_its_38_kabkota_on_the_map(tmp_path, realdata):
    openpyxl = pytest.importorskip("openpyxl")
    db = tmp_path / "jatim.duckdb"
    env = {**os.environ, "JSW_PROVINCE": "35"}
    summary = _run(
        ["ingest", "demo", "--db", str(db), "--end", END, "--years", "1", "--progress-json"], env
    )["summary"]
    assert summary["regions"] == 38
    regions = queries.regions(db)
    book = openpyxl.load_workbook(
        realdata / "officer_files" / "bapanas_jatim_harian_kabkota_2026-02-26.xlsx", read_only=True
    )
    names = [r[1] for r in book.worksheets[0].iter_rows(min_row=3, max_row=40, values_only=True)]
    lookup = dict(geography.aliases("35").itertuples(index=False))
    assert {lookup[normalise_alias(n)] for n in names} == set(regions["bps_code"])
    het = read_df(
        "SELECT value FROM reference_prices WHERE commodity = 'beras_medium' AND valid_to IS NULL",
        path=db,
    )["value"].tolist()
    assert het == [13500.0]  # Jawa Timur is rice HET zone 1
    biggest = read_df(
        "SELECT region_code FROM facts WHERE commodity = 'beras_medium' AND metric ="
        " 'distribution' GROUP BY region_code ORDER BY avg(value) DESC LIMIT 1",
        path=db,
    )["region_code"][0]
    assert biggest == "3578"  # Kota Surabaya, the most populous kab/kota
    shapes = boundary_geojson(regions)
    assert sorted(f["id"] for f in shapes["features"]) == sorted(regions["bps_code"])
