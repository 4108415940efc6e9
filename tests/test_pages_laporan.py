"""Laporan Mingguan page: builds the weekly export through the reports CLI, previews it."""

from __future__ import annotations

import pytest

from tests.page_support import open_app
from ui import report

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def test_weekly_report_is_built_previewed_and_downloadable(pages_db):
    at = open_app("pages/laporan_mingguan.py")
    at.checkbox(key="laporan_allow_stale").check()
    next(b for b in at.button if b.label == "Buat laporan").click().run()
    assert not at.exception, at.exception
    assert any("siap" in s.value for s in at.success)
    data = at.session_state["laporan_result"]
    regencies, commodities = at.dataframe[0].value, at.dataframe[1].value
    assert len(regencies) == data["rows"]["regencies"] == 11
    assert len(commodities) == data["rows"]["commodities"]
    files = report.output_files(data)
    assert len(at.get("download_button")) == len(files) >= 3
    assert any(name.endswith(".html") for name in files)


def test_excel_dialect_and_xlsx_are_passed_to_the_cli():
    args = report.weekly_args("2026-W47", "excel-id", "xlsx", True, "/tmp/out")
    assert args[args.index("--dialect") + 1] == "excel-id"
    assert args[args.index("--format") + 1] == "xlsx"
    assert args[args.index("--week") + 1] == "2026-W47" and "--allow-stale" in args
    assert "--week" not in report.weekly_args(None, "standard", "csv", False, "/tmp/out")
