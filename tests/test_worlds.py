"""The evaluation worlds: depots, ground truth from the cause, officer files, the full path."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worlds.build import build
from worlds.reports import indonesian, report_rows
from worlds.world import build_world, region_names, siaga_days

END = dt.date(2026, 6, 30)
SMALL = {"regions": ["1501", "1502", "1571", "1572"], "commodities": ["lpg_3kg", "beras_medium",
                                                                       "gula_pasir"]}  # fmt: skip


@pytest.fixture(scope="module", params=[3, 8])
def world(request):
    return build_world(request.param, END, 540, **SMALL)


def test_stock_balances_and_distribution_never_exceeds_what_was_there(world):
    for truth in world.truth.values():
        change = np.diff(truth.stock)
        flows = truth.delivery[1:] - truth.distribution[1:]
        assert np.allclose(change, flows, atol=0.11)
        assert np.all(truth.distribution <= truth.demand + 0.51)  # rounded to the unit
        assert np.all(truth.stock >= 0)


def test_every_incident_follows_its_cause_and_is_a_real_fall_below_the_minimum(world):
    siaga = siaga_days()
    codes = {name: code for code, name in _names().items()}
    assert len(world.incidents) + len(world.absorbed) >= 2
    for row in world.incidents.itertuples(index=False):
        pair = (codes[row.region], row.commodity)
        cause, start, end = (world.dates.get_loc(pd.Timestamp(d)) for d in
                             (row.cause_date, row.start, row.end))  # fmt: skip
        assert cause <= start <= end
        depot, truth = world.depots[pair], world.truth[pair]
        minimum = siaga[row.commodity] * depot.planned
        assert truth.stock[start] < minimum[start]
        disturbed = (depot.supply_mult < 1) | (depot.demand_mult > 1)
        assert disturbed[cause], row
        assert not disturbed[cause - 1] or row.kind == "province_shock"
    for row in world.absorbed.itertuples(index=False):
        pair = (codes[row.region], row.commodity)
        cause = world.dates.get_loc(pd.Timestamp(row.cause_date))
        minimum = siaga[row.commodity] * world.depots[pair].planned
        assert np.all(world.truth[pair].stock[cause : cause + 30] >= minimum[cause : cause + 30])


def test_the_incident_free_world_is_the_same_world_undisturbed(world):
    seed_world = world
    free = None
    for seed in (3, 8):
        candidate = build_world(seed, END, 540, incidents=False, **SMALL)
        if np.allclose(candidate.depots[("1501", "lpg_3kg")].planned,
                       seed_world.depots[("1501", "lpg_3kg")].planned):  # fmt: skip
            free = candidate
    assert free is not None and free.incidents.empty and free.absorbed.empty
    touched = {(r, d.commodity) for d in seed_world.disruptions for r in d.regions}
    siaga = siaga_days()
    for pair, truth in free.truth.items():
        if pair not in touched:  # same noise, same depot: the same days exactly
            assert np.array_equal(truth.stock, seed_world.truth[pair].stock)
        minimum = siaga[pair[1]] * free.depots[pair].planned
        assert (truth.stock < minimum).mean() < 0.01, pair  # normal operation stays above it


def test_reports_have_gaps_sparse_regencies_and_lags(world):
    rows = report_rows(world, 3)
    dates = pd.to_datetime(rows["tanggal"], format="%d/%m/%Y")
    names = _names()
    for region, (low, high) in world.sparse_regions.items():
        days = np.sort(dates[rows["kabupaten_kota"] == names[region]].unique())
        gaps = np.diff(days).astype("timedelta64[D]").astype(int)
        assert gaps.min() >= low and gaps.max() <= high
    daily = [r for r in SMALL["regions"] if r not in world.sparse_regions]
    share = dates[rows["kabupaten_kota"] == names[daily[0]]].nunique() / len(world.dates)
    assert 0.8 < share < 0.97
    lags = (rows["received"] - dates).dt.days
    assert lags.min() == 0 and lags.max() == 4


def test_a_world_holds_the_deployment_provinces_kab_kota_only(monkeypatch):
    assert sorted(region_names()) == [f"15{n:02d}" for n in range(1, 10)] + ["1571", "1572"]
    monkeypatch.setenv("JSW_PROVINCE", "35")
    east_java = region_names()
    assert len(east_java) == 38 and all(code.startswith("35") for code in east_java)


def test_numbers_are_written_as_officers_write_them():
    assert indonesian(12500, 0) == "12.500"
    assert indonesian(1234.5, 1) == "1.234,5"
    assert indonesian(7.25, 1) == "7,2"


@pytest.mark.slow
def test_a_world_through_import_replay_and_score(tmp_path):
    """Officer files imported as a deployment would; the warehouse holds what officers sent."""
    db = tmp_path / "w.duckdb"
    summary = build(
        tmp_path / "world",
        db,
        5,
        END,
        days=240,
        regions=["1501", "1571"],
        commodities=["lpg_3kg", "gula_pasir"],
    )
    truth = pd.read_csv(tmp_path / "world" / "truth_daily.csv", dtype={"region_code": str})
    from forecasting.data import load_values

    values = load_values(db)
    stock = values[values["metric"] == "stock"].merge(
        truth.assign(date=pd.to_datetime(truth["date"])), on=["date", "region_code", "commodity"]
    )
    files = sorted((tmp_path / "world" / "laporan").glob("*.csv"))
    rows = sum(len(f.read_text(encoding="utf-8").splitlines()) - 1 for f in files)
    assert summary["rows_loaded"] + summary["rows_rejected"] == rows
    assert summary["rows_rejected"] <= 0.02 * rows  # only the officers' number slips
    assert len(stock) >= summary["rows_loaded"] - 5  # held values aside, every stock arrived
    assert np.allclose(stock["value"], stock["stock"], atol=0.51)
    result = _replay_and_score(db, "2026-01-01", summary["incidents_file"])
    incidents = pd.read_csv(summary["incidents_file"])
    in_replay = (pd.to_datetime(incidents["start"]) >= "2026-01-01").sum()
    assert result["skill"]["incidents"] == in_replay
    assert result["incidents_source"] == "incidents.csv"
    pairs = result["skill"]["false_alarms"]["stock"]["pairs"]
    assert pairs == 4


def _replay_and_score(db: Path, since: str, incidents_file: str) -> dict:
    """``forecasting run --replay-from since`` then ``forecasting score``; the score's JSON."""
    run = [sys.executable, "-m", "forecasting"]
    done = subprocess.run(run + ["run", "--db", str(db), "--json", "--replay-from", since],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr
    scored = subprocess.run(
        run + ["score", "--db", str(db), "--json", "--incidents", incidents_file],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    return json.loads(scored.stdout)


def _names() -> dict[str, str]:
    from worlds.world import region_names

    return region_names()


@pytest.mark.slow
def test_the_incident_free_world_counts_every_alert_as_a_false_alarm(tmp_path):
    db = tmp_path / "free.duckdb"
    summary = build(tmp_path / "free", db, 5, END, days=200, regions=["1502", "1572"],
                    commodities=["pertalite", "beras_medium"], incidents=False)  # fmt: skip
    assert summary["incidents"] == 0 and summary["absorbed"] == 0
    skill = _replay_and_score(db, "2026-02-01", summary["incidents_file"])["skill"]
    from warehouse.alerts import list_alerts

    alerts = list_alerts(db, origin="replay")
    assert skill["incidents"] == 0 and skill["pod"] is None
    assert skill["false_alarms"]["all"]["false_episodes"] == len(alerts)
    assert skill["false_alarms"]["all"]["pairs"] == 4
    years = skill["false_alarms"]["all"]["years"]
    assert skill["false_alarms"]["all"]["per_pair_year"] == pytest.approx(
        len(alerts) / (4 * years), abs=0.01
    )


def test_the_worlds_are_written_independently_of_the_project_code():
    """Nothing in worlds/ imports the demo generator or any project package (only ``ingest``
    is run, as a command, to load the files)."""
    import ast
    from pathlib import Path

    project = {"app", "pages", "ui", "warehouse", "ingest", "forecasting", "reports", "seasons"}
    for path in (Path(__file__).resolve().parents[1] / "worlds").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & project, (path.name, names)
