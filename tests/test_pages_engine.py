"""The engine on the dashboard: stock-out probability on Kabupaten, reliability on Kesehatan Data."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from tests.forecast_helpers import END, build_small_warehouse
from tests.page_support import open_app, serve_through_app


@pytest.fixture
def engine_db(tmp_path, monkeypatch):
    """The small warehouse after a live run and a daily replay of its last 70 days."""
    path = build_small_warehouse(tmp_path / "warehouse.duckdb", days=300)
    replay_from = (END - dt.timedelta(days=70)).isoformat()
    for extra in ([], ["--replay-from", replay_from]):
        run = subprocess.run(
            [sys.executable, "-m", "forecasting", "run", "--db", str(path), "--json",
             "--workers", "1", *extra],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
    monkeypatch.setenv("JSW_DB", str(path))
    monkeypatch.setenv("JSW_STALE_DAYS", "100000")
    serve_through_app(monkeypatch)
    return path


@pytest.mark.slow
def test_stockout_probability_and_its_reliability_are_shown(engine_db):
    from warehouse.db import read_df

    stored = read_df(
        "SELECT p_stockout_14 FROM statuses WHERE region_code = '1505' AND commodity = 'lpg_3kg'",
        path=engine_db,
    )["p_stockout_14"].iloc[0]
    at = open_app("pages/kabupaten.py")
    at.selectbox(key="kabupaten_region").set_value("1505").run()
    at.selectbox(key="kabupaten_commodity").set_value("lpg_3kg").run()
    captions = [c.value for c in at.caption]
    line = next(c for c in captions if c.startswith("Peluang stok habis"))
    assert f"dalam 14 hari: {round(100 * stored)} %" in line  # 1505's LPG deliveries stopped
    assert stored > 0.5
    at.switch_page("pages/kesehatan_data.py")
    at.run()
    assert not at.exception, at.exception
    assert any("Keandalan peluang stok habis" in h.value for h in at.subheader)
    tables = [d.value for d in at.dataframe if "Jangka (hari)" in d.value.columns]
    assert len(tables) == 1 and "Terjadi" in tables[0].columns
    table = tables[0]
    assert set(table["Jangka (hari)"]) == {7, 14, 21}
