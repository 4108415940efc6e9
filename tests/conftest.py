"""Shared pytest fixtures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = ROOT.parent / "shared" / "realdata"
# Page errors reach AppTest's ``at.exception`` instead of the user-facing error code.
os.environ.setdefault("JSW_RAISE_PAGE_ERRORS", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests belong to the slow tier (``-m "not slow"`` skips them)."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def realdata() -> Path:
    """The real public data samples beside the project; skip cleanly when absent."""
    if not REALDATA.is_dir():
        pytest.skip(f"real data samples not found at {REALDATA}")
    return REALDATA


@pytest.fixture
def tmp_db(tmp_path, monkeypatch) -> Path:
    """An empty warehouse path, also exported as JSW_DB for code that reads the environment."""
    path = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("JSW_DB", str(path))
    return path


@pytest.fixture(scope="session")
def hostile_warehouse(tmp_path_factory) -> Path:
    """The small warehouse of the reliability tests (``hostile.crash``), built once per session.

    Shared: copy the file before writing to it (``hostile_db`` does).
    """
    from hostile.crash import build_small_warehouse

    return build_small_warehouse(tmp_path_factory.mktemp("hostile") / "warehouse.duckdb")


@pytest.fixture
def hostile_db(hostile_warehouse, tmp_path, monkeypatch) -> Path:
    """A private copy of ``hostile_warehouse``, exported as JSW_DB; raw archives in tmp_path."""
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(hostile_warehouse, path)
    monkeypatch.setenv("JSW_DB", str(path))
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    return path


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """A demo warehouse built once per session (seed 7, 3 years to 2026-11-20).

    Shared by many tests: copy the file before writing to it.
    """
    from datetime import date

    from demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "warehouse.duckdb"
    build_demo(path, seed=7, years=3, end=date(2026, 11, 20))
    return path


@pytest.fixture(scope="session")
def forecast_warehouse(demo_warehouse, tmp_path_factory) -> Path:
    """A copy of the demo warehouse on which ``python -m forecasting run`` has run once."""
    import shutil
    import subprocess
    import sys

    path = tmp_path_factory.mktemp("forecast") / "warehouse.duckdb"
    shutil.copyfile(demo_warehouse, path)
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"forecasting run failed: {proc.stderr[-2000:]}"
    return path


@pytest.fixture
def fresh_page_caches(monkeypatch):
    """Serve AppTest reruns through app.py and start each page test with empty caches."""
    import streamlit as st

    from tests.page_support import serve_through_app
    from ui.auth import THROTTLE

    serve_through_app(monkeypatch)
    st.cache_data.clear()
    st.cache_resource.clear()
    THROTTLE.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def pages_db(request, tmp_path, monkeypatch) -> Path:
    """A private copy of the forecast warehouse, exported as JSW_DB."""
    from tests.page_support import copy_forecast_warehouse

    return copy_forecast_warehouse(request, tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
