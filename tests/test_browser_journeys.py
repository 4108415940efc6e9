"""Officer and planner journeys in headless chromium (one Streamlit server for the module).

Each journey saves screenshots under test-artifacts/, fails on console errors (except the two
documented deep-link probes) and on any request that leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest

from tests.browser_support import (
    CHROMIUM,
    ROOT,
    Watch,
    click_map_region,
    screenshot,
    streamlit_server,
)
from tests.test_pages_unggah import realistic_report
from ui.format import number
from warehouse import alerts, db

PASSWORD = "uji-jurnal-2026"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def warehouse(request, tmp_path_factory) -> Path:
    try:
        source = request.getfixturevalue("forecast_warehouse")
    except pytest.FixtureLookupError:
        pytest.skip("conftest fixture forecast_warehouse (demo + forecasting run) not available")
    path = tmp_path_factory.mktemp("journeys") / "warehouse.duckdb"
    shutil.copyfile(source, path)
    return path


@pytest.fixture(scope="module")
def server(warehouse, tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("accounts")
    accounts = folder / "accounts.toml"
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    accounts.write_text(f'[accounts.petugas]\nname = "Petugas Uji"\npassword_hash = "{hashed}"\n')
    env = {
        **os.environ,
        "JSW_DB": str(warehouse),
        "JSW_STALE_DAYS": "100000",
        "JSW_ACCOUNTS_FILE": str(accounts),
    }
    with streamlit_server(ROOT / "app.py", env, folder / "streamlit.log") as (url, _process):
        yield url


@pytest.fixture
def tab(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(45_000)
    watch = Watch(page, server)
    yield page, watch
    context.close()


def wait_for_charts(page, count: int) -> None:
    """Wait until ``count`` plotly charts have drawn (screenshots should show them)."""
    page.locator("[data-testid='stPlotlyChart'] .main-svg").nth(count - 1).wait_for()


def log_in(page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Masuk petugas").click()
    sidebar.get_by_label("Nama pengguna").fill("petugas")
    sidebar.get_by_label("Kata sandi").fill(PASSWORD)
    sidebar.get_by_role("button", name="Masuk").click()
    sidebar.get_by_text("Masuk sebagai").wait_for()


def test_officer_acknowledges_an_alert_from_the_map(tab, server, warehouse):
    page, watch = tab
    page.goto(f"{server}/ringkasan")
    page.locator("[data-testid='stPlotlyChart'] canvas.maplibregl-canvas").first.wait_for()
    screenshot(page, "journey1_1_ringkasan")
    click_map_region(page, warehouse)
    heading = page.get_by_role("heading", name="Kabupaten/Kota:")
    heading.wait_for()
    region_name = heading.inner_text().split(":", 1)[1].strip()
    wait_for_charts(page, 2)
    screenshot(page, "journey1_2_kabupaten")
    log_in(page)
    page.get_by_role("link", name=f"Peringatan untuk {region_name}").click()
    page.get_by_role("heading", name="Peringatan").first.wait_for()
    page.get_by_text("Terima (acknowledge)").wait_for()
    page.get_by_label("Catatan").fill("Sudah dikoordinasikan dengan agen")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Tersimpan").wait_for()
    page.get_by_text("penanganan saat ini: Diterima").wait_for()
    screenshot(page, "journey1_3_acknowledged")
    region_code = db.read_df(
        "SELECT bps_code FROM regions WHERE name = ?", [region_name], path=warehouse
    ).bps_code[0]
    states = alerts.list_alerts(warehouse, region=region_code)["state"]
    assert "acknowledged" in set(states)
    watch.assert_clean()


def test_planner_sees_earlier_stockout_with_more_lpg_demand(tab, server):
    page, watch = tab
    page.goto(f"{server}/skenario")
    page.get_by_label("Perubahan permintaan (%)").fill("30")
    page.get_by_role("button", name="Jalankan skenario").click()
    page.get_by_text("Stok habis lebih cepat pada skenario").wait_for()
    page.locator("[data-testid='stPlotlyChart'] .scatterlayer .trace").nth(1).wait_for()
    screenshot(page, "journey2_skenario")
    watch.assert_clean()


def test_officer_uploads_a_report_with_one_bad_row(tab, server, warehouse, tmp_path):
    page, watch = tab
    content, lpg, _ = realistic_report(warehouse)
    report = tmp_path / "laporan_stok.csv"
    report.write_bytes(content)
    page.goto(f"{server}/unggah")
    page.get_by_text("Masuk sebagai petugas (panel samping)").wait_for()
    log_in(page)
    page.locator("input[type=file]").set_input_files(str(report))
    page.get_by_role("button", name="Periksa berkas").click()
    page.get_by_text("1 ditolak").wait_for()
    page.get_by_text("Kota Antah Berantah").first.wait_for()
    screenshot(page, "journey3_1_checked")
    page.get_by_role("button", name="Muat 2 baris yang benar").click()
    page.get_by_text("Dimuat:").wait_for()
    screenshot(page, "journey3_2_loaded")
    page.goto(f"{server}/kabupaten?region=1571")
    page.get_by_role("heading", name="Kabupaten/Kota: Kota Jambi").wait_for()
    page.get_by_test_id("stSelectbox").nth(1).click()
    page.get_by_role("option", name="LPG 3 kg").click()
    page.get_by_text(f"Laporan stok terbaru: {number(lpg, 0)} tabung").wait_for()
    page.get_by_text("sumber: officer").wait_for()
    wait_for_charts(page, 2)
    screenshot(page, "journey3_3_kabupaten")
    watch.assert_clean()
