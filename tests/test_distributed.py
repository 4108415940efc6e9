"""The forecasting batch on a local Dask cluster stores the same forecasts as the local run."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.forecast_helpers import build_small_warehouse
from warehouse.db import read_df

pytestmark = pytest.mark.slow

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
STORED = {
    "forecasts": "SELECT region_code, commodity, metric, date, horizon, mean, lo80, hi80, lo95,"
    " hi95, model FROM forecasts ORDER BY ALL",
    "forecast_series": "SELECT region_code, commodity, metric, model, n_obs, fallback_reason"
    " FROM forecast_series ORDER BY ALL",
    "statuses": "SELECT region_code, commodity, level, rule, days_cover, stockout_date"
    " FROM statuses ORDER BY ALL",
}


def _forecast_cli(path: Path, *options: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(path), "--json", *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _stored(path: Path) -> dict[str, pd.DataFrame]:
    return {table: read_df(sql, path=path) for table, sql in STORED.items()}


@pytest.fixture(scope="module")
def twin_warehouses(tmp_path_factory) -> tuple[Path, Path]:
    """Two identical small warehouses (2 regions x 2 commodities)."""
    folder = tmp_path_factory.mktemp("dask")
    local = build_small_warehouse(folder / "local.duckdb")
    cluster = folder / "cluster.duckdb"
    shutil.copyfile(local, cluster)
    return local, cluster


@pytest.fixture(scope="module")
def local_cluster():
    """Two worker processes on 127.0.0.1, one thread each."""
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster


def test_cluster_run_stores_the_same_forecasts_as_the_local_run(twin_warehouses, local_cluster):
    local, cluster = twin_warehouses
    local_summary = _forecast_cli(local, "--workers", "1")
    cluster_summary = _forecast_cli(cluster, "--scheduler", local_cluster.scheduler_address)
    assert cluster_summary["status"] == "success"
    assert cluster_summary["n_series"] == local_summary["n_series"] > 0
    expected, got = _stored(local), _stored(cluster)
    assert len(got["forecasts"]) > 0
    for table, frame in expected.items():
        pd.testing.assert_frame_equal(got[table], frame, check_exact=False, rtol=1e-9)


def test_cluster_workers_did_the_fitting(twin_warehouses, local_cluster):
    """The series ran in the worker processes, not in the process that started the batch."""
    from forecasting.batch import build_tasks
    from forecasting.data import load_values
    from forecasting.distributed import run_tasks_on_cluster

    tasks = build_tasks(load_values(twin_warehouses[0]))[:3]
    seen: list[tuple[int, int]] = []
    address = local_cluster.scheduler_address
    with distributed.Client(address) as client, distributed.get_task_stream(client) as stream:
        results = run_tasks_on_cluster(tasks, address, lambda d, t: seen.append((d, t)))
    keys = [(r.region, r.commodity, r.metric) for r in results]
    assert keys == [(t.region, t.commodity, t.metric) for t in tasks]
    assert all(not r.forecast.empty for r in results)
    assert seen[-1] == (3, 3)
    workers = {event["worker"] for event in stream.data if "run_chunk" in str(event["key"])}
    assert workers and workers <= set(local_cluster.scheduler_info["workers"])


def test_unreachable_scheduler_is_a_clear_failure(twin_warehouses, monkeypatch, capsys):
    from forecasting import cli_run
    from forecasting import distributed as fan_out

    monkeypatch.setattr(fan_out, "CONNECT_TIMEOUT_SECONDS", 1.0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = cli_run.main(
        ["--db", str(twin_warehouses[0]), "--scheduler", f"tcp://127.0.0.1:{port}", "--json"]
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert json.loads(out.strip().splitlines()[-1])["status"] == "failed"
    assert f"Dask scheduler at tcp://127.0.0.1:{port}" in err
