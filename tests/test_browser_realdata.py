"""Every page in a real browser on a warehouse holding only the real PIHPS Jambi file.

A real deployment's first day: province-level prices only. Each page must open without an
exception, console error or outside request; Ringkasan, Komoditas and Kabupaten/Kota must
draw the real prices (the plotted values are read back from plotly and compared with the
PIHPS file). Screenshots land in ``test-artifacts/realdata_<page>.png``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pandas as pd
import pytest

from tests.browser_support import (
    CHROMIUM,
    PUSHED_OR_CLIPPED_JS,
    ROOT,
    Watch,
    screenshot,
    streamlit_server,
)
from tests.realdata_support import PIHPS_FILE, build, run_cli

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
PAGES = (
    "ringkasan", "komoditas", "kabupaten", "peringatan", "skenario", "kesehatan-data",
    "unggah", "laporan-mingguan",
)  # fmt: skip
PRICE_PAGES = ("ringkasan", "komoditas", "kabupaten")
# every trace of every plotly chart on the page: name, the last x and the last y
TRACES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(
    plot => (plot._fullData || plot.data || []).filter(t => t.x && t.y && t.x.length).map(t => ({
        name: t.name || '', n: t.x.length, x: String(t.x[t.x.length - 1]),
        y: Number(t.y[t.y.length - 1])})))"""


@pytest.fixture(scope="module")
def last_real_prices() -> dict[str, float]:
    """The PIHPS file's staple prices (rice, sugar, cooking oil) on its last day, 29 Dec 2023."""
    from tests.conftest import REALDATA

    path = REALDATA / PIHPS_FILE
    if not path.is_file():
        pytest.skip(f"real PIHPS file not found at {path}")
    frame = pd.read_csv(path)
    staples = [c for c in frame.columns if c.startswith(("Beras", "Gula", "Minyak"))]
    return {str(k): float(v) for k, v in frame.iloc[-1][staples].items()}


@pytest.fixture(scope="module")
def server(tmp_path_factory, last_real_prices) -> Iterator[str]:
    """`streamlit run app.py` on a warehouse built from the real PIHPS file and forecast."""
    from tests.conftest import REALDATA

    folder = tmp_path_factory.mktemp("pihps-browser")
    db = build("pihps", folder, REALDATA)
    proc = run_cli("forecasting", "run", "--json", "--workers", "2", db=db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    env = {**os.environ, "JSW_DB": str(db), "JSW_STALE_DAYS": "100000"}
    with streamlit_server(ROOT / "app.py", env, folder / "streamlit.log") as (url, _process):
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(45_000)
    watch = Watch(tab, server)
    yield tab, watch
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_opens_on_real_pihps_only(page, server, path, last_real_prices):
    tab, watch = page
    tab.goto(f"{server}/{path}")
    tab.get_by_test_id("stSidebarNavLink").first.wait_for()
    tab.get_by_test_id("stMain").get_by_role("heading").first.wait_for()
    if path in PRICE_PAGES:
        tab.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").first.wait_for()
    tab.wait_for_timeout(2500)  # late charts, console errors and requests
    assert tab.get_by_test_id("stException").count() == 0
    screenshot(tab, f"realdata_{path}")
    if path in PRICE_PAGES:
        traces = tab.evaluate(TRACES_JS)
        drawn = [t for t in traces if t["x"].startswith("2023-12-29") and t["n"] > 20]
        assert drawn, json.dumps(traces)[:2000]
        real = {round(v) for v in last_real_prices.values() if v == v}
        assert {round(t["y"]) for t in drawn} & real, (drawn, sorted(real))
        assert tab.evaluate(PUSHED_OR_CLIPPED_JS) == []  # margins fit real prices
    watch.assert_clean()
