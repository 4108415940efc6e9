"""Laporan Mingguan page: officers build the weekly export in process, preview and download it."""

from __future__ import annotations

import pytest

from tests.test_pages_alerts import PASSWORD, app

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


@pytest.mark.slow
def test_weekly_report_is_built_previewed_and_downloadable(pages_db):
    at = app(PASSWORD, page="pages/laporan_mingguan.py")
    at.checkbox(key="laporan_allow_stale").check()
    next(b for b in at.button if b.label == "Buat laporan").click().run()
    assert not at.exception, at.exception
    assert any("siap" in s.value for s in at.success)
    report = at.session_state["laporan_result"]
    regencies, commodities = at.dataframe[0].value, at.dataframe[1].value
    assert len(regencies) == report.rows["regencies"] == 11
    assert len(commodities) == report.rows["commodities"]
    assert len(at.get("download_button")) == len(report.files) >= 5
    assert any(name.endswith(".html") for name in report.files)
    assert any(name.startswith("jsw_weekly_manifest_") for name in report.files)


@pytest.mark.slow
def test_excel_dialect_xlsx_and_a_bad_week(pages_db):
    at = app(PASSWORD, page="pages/laporan_mingguan.py")
    at.selectbox(key="laporan_dialect").set_value("excel-id")
    at.selectbox(key="laporan_format").set_value("xlsx")
    at.checkbox(key="laporan_allow_stale").check()
    next(b for b in at.button if b.label == "Buat laporan").click().run()
    report = at.session_state["laporan_result"]
    assert [n for n in report.files if n.endswith(".xlsx")] == [f"jsw_weekly_{report.week}.xlsx"]
    at.text_input(key="laporan_week").input("2026-W99")
    next(b for b in at.button if b.label == "Buat laporan").click().run()
    assert not at.exception, at.exception
    assert any("99" in e.value and "2026" in e.value for e in at.error)
    assert "laporan_result" not in at.session_state


@pytest.mark.slow
def test_anonymous_visitors_cannot_build_reports(pages_db):
    at = app(page="pages/laporan_mingguan.py")
    assert not [b for b in at.button if b.label == "Buat laporan"]
    assert any("Masuk sebagai petugas" in i.value for i in at.info)
