"""The whole chain on warehouses a real deployment starts with, built through the real commands.

* the real PIHPS Jambi file only (province level prices, region 15);
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
PIHPS_FILE = Path("pihps_jambi_ifpd") / "pihps_jambi_province_daily_2020_2023.csv"


def run_cli(*args: str, db: Path) -> subprocess.CompletedProcess:
    """Run ``python -m <args>`` against the warehouse ``db``."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**__import__("os").environ, "JSW_DB": str(db), "JSW_RAW_DIR": str(db.parent / "raw")},
    )


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def pihps_only(tmp_path_factory) -> Path:
    """A warehouse holding only the real PIHPS file, imported with ``python -m ingest file``."""
    from conftest import REALDATA

    source = REALDATA / PIHPS_FILE
    if not source.is_file():
        pytest.skip(f"real PIHPS file not found at {source}")
    db = tmp_path_factory.mktemp("pihps") / "warehouse.duckdb"
    proc = run_cli("ingest", "file", str(source), "--accept-partial", db=db)
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture
def pihps_db(pihps_only, tmp_path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(pihps_only, path)
    return path


@pytest.mark.slow
def test_forecasting_run_on_real_pihps_only(pihps_db):
    proc = run_cli("forecasting", "run", "--json", "--workers", "1", db=pihps_db)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["status"] == "success"
    assert summary["data_as_of"] == "2023-12-29"
    # every PIHPS province series is forecast
    assert summary["n_series"] == 14
    regions = query(pihps_db, "SELECT DISTINCT region_code FROM forecasts")
    assert regions == [("15",)]


@pytest.mark.slow
def test_replay_on_real_pihps_only(pihps_db):
    proc = run_cli("forecasting", "run", "--replay-from", "2021-01-04", "--json", db=pihps_db)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["status"] == "success"
    assert (
        summary["dates"] == (summary_date(summary["date_to"]) - summary_date("2021-01-04")).days + 1
    )
    assert query(pihps_db, "SELECT count(*) FROM replays") == [(1,)]


def summary_date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)
