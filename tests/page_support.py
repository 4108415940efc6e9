"""Shared helpers of the AppTest page tests: run through app.py on a copy of the forecast warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def serve_through_app(monkeypatch) -> None:
    """Run every AppTest rerun through app.py, as the real server does.

    AppTest resets Streamlit's legacy ``pages/`` flag before each run, so reruns would execute
    the page script alone; a real server clears the flag once (``ui.router``) and keeps it.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def copy_forecast_warehouse(request, tmp_path, monkeypatch) -> Path:
    """A private copy of the forecast warehouse, exported as JSW_DB (fresh data, no stale warning)."""
    try:
        source = request.getfixturevalue("forecast_warehouse")
    except pytest.FixtureLookupError:
        pytest.skip("conftest fixture forecast_warehouse (demo + forecasting run) not available")
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(source, path)
    monkeypatch.setenv("JSW_DB", str(path))
    monkeypatch.setenv("JSW_STALE_DAYS", "100000")
    return path


def open_app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
    return at


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}
