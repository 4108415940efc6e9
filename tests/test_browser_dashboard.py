"""The dashboard in a real browser: headless chromium against `streamlit run app.py`.

One Streamlit server per module. Every test fails on console errors (except the two
documented deep-link probes) and on any request that leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEEP_LINK_PROBES = ("/_stcore/health", "/_stcore/host-config")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy in time")


@pytest.fixture(scope="module")
def server(request, tmp_path_factory) -> Iterator[str]:
    """`streamlit run app.py` on a free port with JSW_DB = a copy of the forecast warehouse."""
    try:
        source = request.getfixturevalue("forecast_warehouse")
    except pytest.FixtureLookupError:
        pytest.skip("conftest fixture forecast_warehouse (demo + forecasting run) not available")
    db = tmp_path_factory.mktemp("browser") / "warehouse.duckdb"
    shutil.copyfile(source, db)
    port = free_port()
    env = {**os.environ, "JSW_DB": str(db), "JSW_STALE_DAYS": "100000"}
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class Watch:
    """Console errors and outside requests seen by one page."""

    def __init__(self, page, base_url: str) -> None:
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.outside_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        probe = "404" in message.text and location.endswith(DEEP_LINK_PROBES)
        if not probe:
            self.console_errors.append(f"{message.text} @ {location}")

    def _on_request(self, request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")):
            self.outside_requests.append(url)

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.outside_requests, self.outside_requests


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    watch = Watch(tab, server)
    yield tab, watch
    context.close()


def screenshot(tab, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


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
    points = tab.locator("[data-testid='stPlotlyChart'] .scatterlayer .point")
    assert points.count() == 11  # one marker per regency/city
    tab.wait_for_timeout(1500)  # let late console errors and requests surface
    assert screenshot(tab, "ringkasan").stat().st_size > 10_000
    watch.assert_clean()


def test_kabupaten_shows_price_and_stock_charts(page, server):
    tab, watch = page
    tab.goto(f"{server}/kabupaten?region=1571")
    tab.get_by_text("Kabupaten/Kota: Kota Jambi").wait_for()
    tab.locator("[data-testid='stPlotlyChart'] .js-plotly-plot").nth(1).wait_for(state="visible")
    tab.wait_for_timeout(1500)
    screenshot(tab, "kabupaten")
    watch.assert_clean()
