"""Concurrent use: pages keep rendering while ingest and forecasting runs replace the warehouse.

Zero failed renders, zero failed runs, and no torn read: every query of one render reads the
same warehouse version (``ui.data.pin_snapshot``).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from hostile.crash import build_small_warehouse
from hostile.integrity import check_warehouse
from hostile.stress import PROBE_SCRIPT, CliWriters, ProbeWriter
from streamlit.testing.v1 import AppTest

from tests.page_support import serve_through_app
from warehouse import queries, snapshots

ROOT = Path(__file__).resolve().parents[1]
PAGES = (
    "pages/ringkasan.py",
    "pages/kabupaten.py",
    "pages/komoditas.py",
    "pages/kesehatan_data.py",
)


@pytest.fixture(autouse=True)
def _clear_caches(monkeypatch):
    import streamlit as st

    serve_through_app(monkeypatch)
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def probe_db(tmp_path, monkeypatch) -> Path:
    db = build_small_warehouse(tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("JSW_DB", str(db))
    monkeypatch.setenv("JSW_PROBE_PAUSE", "0.3")
    return db


def _probe_renders(script: Path, writer: ProbeWriter, renders: int) -> tuple[list[str], list[str]]:
    """Render the probe ``renders`` times; return (torn pairs, render failures)."""
    torn, failed = [], []
    for _ in range(renders):
        at = AppTest.from_file(str(script), default_timeout=30).run()
        if at.exception or not at.markdown:
            failed.append(str(at.exception) or "no output")
            continue
        n_facts, run_id = at.markdown[0].value.split("|")
        if writer.expected_facts(run_id) != int(n_facts):
            torn.append(f"{n_facts} facts with latest run {run_id}")
    return torn, failed


@pytest.mark.slow
def test_render_reads_one_version_while_runs_replace_the_file(probe_db, tmp_path):
    script = tmp_path / "probe_page.py"
    script.write_text(PROBE_SCRIPT, encoding="utf-8")
    base = queries.freshness(probe_db)["n_facts"]
    with ProbeWriter(probe_db, base) as writer:
        torn, failed = _probe_renders(script, writer, renders=8)
    print(f"pinned: {len(torn)} torn of 8 renders, {writer.runs} writer runs")
    assert writer.errors == [] and writer.runs >= 5, (writer.runs, writer.errors[:3])
    assert failed == []
    assert torn == []
    assert check_warehouse(probe_db).ok


@pytest.mark.slow
def test_without_the_pinned_snapshot_the_probe_sees_torn_reads(probe_db, tmp_path, monkeypatch):
    """The check above can fail: reading the live file per query mixes two runs' data."""
    script = tmp_path / "probe_page.py"
    script.write_text(PROBE_SCRIPT, encoding="utf-8")
    monkeypatch.setattr(snapshots, "pin", lambda path=None: Path(path))
    base = queries.freshness(probe_db)["n_facts"]
    with ProbeWriter(probe_db, base) as writer:
        torn, failed = _probe_renders(script, writer, renders=8)
    print(f"unpinned: {len(torn)} torn of 8 renders, {writer.runs} writer runs")
    assert failed == []
    assert len(torn) >= 1


def test_snapshots_are_pruned_and_never_the_live_file(probe_db):
    first = snapshots.pin(probe_db)
    assert first != probe_db and first.exists()
    again = snapshots.pin(probe_db)
    assert again == first
    shutil.copyfile(probe_db, probe_db.with_name("next.duckdb"))
    probe_db.with_name("next.duckdb").replace(probe_db)
    newer = snapshots.pin(probe_db)
    assert newer != first
    assert snapshots.prune(probe_db, keep=newer, older_than=0.0) == 1
    assert snapshots.snapshots_of(probe_db) == [newer]


@pytest.mark.slow
def test_pages_render_while_ingest_and_forecasting_run(forecast_warehouse, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(forecast_warehouse, db)
    monkeypatch.setenv("JSW_DB", str(db))
    renders, failures, worst = 0, [], 0.0
    with CliWriters(db, tmp_path) as writers:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline or len(writers.results) < 3:
            for page in PAGES:
                started = time.monotonic()
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
                at.switch_page(page).run()
                worst = max(worst, time.monotonic() - started)
                renders += 1
                if at.exception or at.error:
                    failures.append(
                        (page, [e.value for e in at.exception] or [e.value for e in at.error])
                    )
            if time.monotonic() > deadline + 300:
                break
    print(f"renders {renders}, runs {len(writers.results)}, worst render {worst:.2f} s")
    assert failures == []
    assert writers.failures == []
    assert len(writers.results) >= 3 and renders >= len(PAGES)
    assert check_warehouse(db).ok
