"""The dashboard in a real browser: headless chromium against `streamlit run app.py`.

One Streamlit server per module. Every test fails on console errors (except the two
documented deep-link probes) and on any request that leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.browser_support import (
    CHROMIUM,
    PUSHED_OR_CLIPPED_JS,
    ROOT,
    Watch,
    screenshot,
    streamlit_server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(request, tmp_path_factory) -> Iterator[str]:
    """`streamlit run app.py` on a free port with JSW_DB = a copy of the forecast warehouse."""
    try:
        source = request.getfixturevalue("forecast_warehouse")
    except pytest.FixtureLookupError:
        pytest.skip("conftest fixture forecast_warehouse (demo + forecasting run) not available")
    db = tmp_path_factory.mktemp("browser") / "warehouse.duckdb"
    shutil.copyfile(source, db)
    env = {**os.environ, "JSW_DB": str(db), "JSW_STALE_DAYS": "100000"}
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    with streamlit_server(ROOT / "app.py", env, log) as (url, _process):
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    watch = Watch(tab, server)
    yield tab, watch
    context.close()


def test_ringkasan_shows_status_table_and_map(page, server):
    tab, watch = page
    tab.goto(f"{server}/ringkasan")
    tab.get_by_text("Ringkasan Provinsi Jambi").wait_for()
    tab.get_by_test_id("stDataFrame").first.wait_for(state="visible")
    tab.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first.wait_for(state="visible")
    assert tab.get_by_test_id("stMetricValue").count() >= 3
    sidebar = tab.get_by_test_id("stSidebar")
    assert sidebar.get_by_text("Pantau Pasokan Jambi").is_visible()  # served through app.py
    assert sidebar.get_by_test_id("stSidebarNavLink").count() >= 2
    canvas = tab.locator("[data-testid='stPlotlyChart'] canvas.maplibregl-canvas").first
    canvas.wait_for(state="visible")  # the kab/kota shapes, drawn without tiles
    assert canvas.bounding_box()["width"] > 300
    tab.wait_for_timeout(1500)  # let late console errors and requests surface
    assert screenshot(tab, "ringkasan").stat().st_size > 10_000
    watch.assert_clean()


def test_kabupaten_shows_price_and_stock_charts(page, server):
    tab, watch = page
    tab.goto(f"{server}/kabupaten?region=1571")
    tab.get_by_text("Kabupaten/Kota: Kota Jambi").wait_for()
    chart = tab.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first
    chart.wait_for(state="visible")
    tab.wait_for_timeout(1500)
    # price above stock in one chart: two panels, each with its legend
    assert "Harga harian" in chart.locator(".legend .legendtext").all_text_contents()
    assert "Stok akhir hari" in chart.locator(".legend2 .legend2text").all_text_contents()
    titles = chart.locator(".annotation-text").all_text_contents()
    assert "Harga dan prakiraan" in titles and "Stok dan proyeksi" in titles
    # the margins hold every tick label and the legend: drawn once, nothing cut off
    assert chart.locator("g.ytick text").count() >= 3
    assert tab.evaluate(PUSHED_OR_CLIPPED_JS) == []
    screenshot(tab, "kabupaten")
    watch.assert_clean()
