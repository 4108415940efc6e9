"""Forecasting throughput: series/s serial and with worker processes, and the full batch.

* series/s - the same sample of series (price weekly, distribution and delivery daily; evenly
             spread over the warehouse) fitted with ``workers=1`` and ``workers=N`` side by
             side in one process (``forecasting.batch.run_tasks``, the code the batch runs).
* re-filter - the same sample re-filtered with the parameters just estimated (what a daily run
             does for the ~6/7 of series not due for their weekly re-estimation).
* estimate - every series in the warehouse: a first run (all estimated) and a daily run
             (1/7 estimated, the rest re-filtered) at the serial CPU cost on N idle cores.
* statuses - with ``--statuses``: on the whole warehouse, the serial CPU of reading
             ``daily_values``, building every task and the statuses and signals of every pair
             on the last date (``forecasting.batch.run_statuses``); with ``--scale-regions``
             a first and a daily run are extrapolated to that many regions (reading in the
             main process; then the workers fit each commodity's tasks as soon as the main
             process has built them, while the statuses run in a thread beside them:
             reading + max(tasks + statuses, (tasks + fitting + statuses) / N) on N idle
             cores; ``_after_s``: the statuses after the fitting, tasks before it).
* dask     - with ``--dask``: the sample on a ``distributed.LocalCluster`` of N worker
             processes (one thread each), the ``--scheduler`` path of the batch.
* batch    - with ``--full``: ``python -m forecasting run --workers N`` on a copy of the
             warehouse without its last day (first run: every series estimated), then again
             with the last day added (a daily run), wall clock including interpreter start,
             reading, statuses, signals, alerts and the one write transaction.

python bench/bench_forecast_scale.py --db WAREHOUSE [--sample 40] [--workers 2] [--full]
       [--dask] [--statuses [--scale-regions 514]] [--regions CODES] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before numpy loads, as ``python -m forecasting`` does

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forecasting.batch import build_tasks, run_tasks  # noqa: E402
from forecasting.data import load_values  # noqa: E402
from forecasting.series import REFIT_DAYS, StoredFit  # noqa: E402
from warehouse.db import read_df  # noqa: E402

COUNT_SERIES = (
    "SELECT count(*) AS n, count(DISTINCT region_code) AS regions FROM (SELECT DISTINCT"
    " region_code, commodity, metric FROM facts WHERE metric IN ('price', 'distribution',"
    " 'delivery'))"
)


def children_cpu_s() -> float:
    """User + system CPU seconds of all finished child processes (and their children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sample_regions(db: Path, count: int) -> list[str]:
    """``count`` region codes spread evenly over the warehouse's regions."""
    codes = read_df("SELECT DISTINCT region_code FROM facts ORDER BY 1", path=db)["region_code"]
    step = max(1, len(codes) // max(1, count))
    return [str(code) for code in codes.iloc[::step].head(count)]


def series_rates(db: Path, sample: int, workers: int, regions: list[str]) -> dict:
    """Seconds and series/s for the same sample fitted serially and with ``workers``."""
    started = time.perf_counter()
    values = load_values(db, regions)
    read_s = time.perf_counter() - started
    tasks = build_tasks(values)
    step = max(1, len(tasks) // sample)
    chosen = tasks[::step][:sample]
    run_tasks(chosen[:2], 1)  # warm-up: statsmodels and the holiday calendar load once
    serial_started, serial_cpu = time.perf_counter(), time.process_time()
    fitted = run_tasks(chosen, 1)
    serial_s = time.perf_counter() - serial_started
    serial_cpu = time.process_time() - serial_cpu
    parallel_started, parallel_cpu = time.perf_counter(), children_cpu_s()
    run_tasks(chosen, workers)
    parallel_s = time.perf_counter() - parallel_started
    parallel_cpu = children_cpu_s() - parallel_cpu
    refilter_cpu = refilter_cpu_s(chosen, fitted)
    return {
        "sample": len(chosen),
        "sample_regions": len(regions),
        "read_s": read_s,
        "serial_s": serial_s,
        "parallel_s": parallel_s,
        "serial_cpu_s": serial_cpu,
        "parallel_cpu_s": parallel_cpu,
        "serial_series_per_s": len(chosen) / serial_s,
        "parallel_series_per_s": len(chosen) / parallel_s,
        "refilter_cpu_s": refilter_cpu,
        "n_tasks_sampled_from": len(tasks),
        "tasks": chosen,
    }


def refilter_cpu_s(tasks: list, fitted: list) -> float:
    """CPU seconds to re-filter ``tasks`` with the parameters of their ``fitted`` results."""
    for task, result in zip(tasks, fitted, strict=True):
        task.stored = StoredFit(
            result.model, result.params, dt.date.today(), result.fallback_reason
        )
    started = time.process_time()
    results = run_tasks(tasks, 1)
    cpu = time.process_time() - started
    refitted = sum(r.refitted for r in results)
    for task in tasks:
        task.stored = None
    if refitted > sum(r.model == "none" for r in fitted):
        raise RuntimeError(f"{refitted} of {len(tasks)} stored fits were re-estimated")
    return cpu


def first_run_costs(db: Path) -> dict:
    """Serial CPU seconds of the run's other work on the whole warehouse: reading, tasks,
    statuses and signals of every pair on the last date."""
    from forecasting.batch import run_statuses
    from forecasting.data import load_reference

    cpu, wall = time.process_time(), time.perf_counter()
    values = load_values(db)
    read_cpu, read_wall = time.process_time() - cpu, time.perf_counter() - wall
    cpu = time.process_time()
    tasks = build_tasks(values)
    tasks_cpu = time.process_time() - cpu
    reference = load_reference(db)
    cpu = time.process_time()
    statuses, signal_rows = run_statuses(values, reference, values["date"].max().date())
    status_cpu = time.process_time() - cpu
    return {
        "facts": len(values),
        "read_cpu_s": read_cpu,
        "read_wall_s": read_wall,
        "tasks_cpu_s": tasks_cpu,
        "n_tasks": len(tasks),
        "status_cpu_s": status_cpu,
        "pairs": len(statuses),
        "signal_rows": len(signal_rows),
        "status_cpu_per_pair": status_cpu / max(len(statuses), 1),
    }


def national_estimate(r: dict, regions: int) -> dict:
    """First and daily run on ``regions`` regions on ``workers`` idle cores (CPU s x scale)."""
    scale = regions / r["regions"]
    read, tasks = r["read_cpu_s"] * scale, r["tasks_cpu_s"] * scale
    statuses = r["pairs"] * scale * r["status_cpu_per_pair"]
    series = r["series"] * scale
    daily_per_series = r["cpu_per_series"] / REFIT_DAYS + r["refilter_cpu_per_series"] * (
        1 - 1 / REFIT_DAYS
    )
    out = {"scale_regions": regions, "scale_series": series, "scale_pairs": r["pairs"] * scale}
    for name, per_series in (("first", r["cpu_per_series"]), ("daily", daily_per_series)):
        fitting = series * per_series
        out[f"scale_{name}_fit_cpu_s"] = fitting
        main = tasks + statuses  # the main process builds the tasks and runs the statuses
        out[f"scale_{name}_s"] = read + max(main, (fitting + main) / r["workers"])
        out[f"scale_{name}_after_s"] = read + tasks + fitting / r["workers"] + statuses
    out["scale_serial_s"], out["scale_status_cpu_s"] = read + tasks, statuses
    out["scale_read_s"], out["scale_tasks_s"] = read, tasks
    return out


def dask_rate(tasks: list, workers: int) -> dict:
    """Wall seconds for ``tasks`` on a LocalCluster of ``workers`` one-thread processes."""
    from distributed import LocalCluster

    from forecasting.distributed import run_tasks_on_cluster

    started = time.perf_counter()
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:  # fmt: skip
        up = time.perf_counter() - started
        run_tasks_on_cluster(tasks[:2], cluster.scheduler_address)  # workers import once
        started = time.perf_counter()
        results = run_tasks_on_cluster(tasks, cluster.scheduler_address)
        seconds = time.perf_counter() - started
    if len(results) != len(tasks):
        raise RuntimeError("the cluster lost series")
    return {"dask_start_s": up, "dask_s": seconds, "dask_series_per_s": len(tasks) / seconds}


def _hold_back_last_day(db: Path, copy: Path) -> str:
    """Copy ``db`` without the facts of its last day; returns that day (ISO)."""
    import duckdb

    shutil.copyfile(db, copy)
    con = duckdb.connect(str(copy))
    try:
        last = str(con.execute("SELECT max(date) FROM facts").fetchone()[0])
        con.execute("DELETE FROM facts WHERE date = ?", [last])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return last


def _restore_day(db: Path, copy: Path, day: str) -> None:
    """Put the held-back day's facts from ``db`` into ``copy`` (the next day's ingest)."""
    import duckdb

    con = duckdb.connect(str(copy))
    try:
        columns = [row[0] for row in con.execute("DESCRIBE facts").fetchall()]
        names = ", ".join(columns)
        con.execute(f"ATTACH '{db}' AS source (READ_ONLY)")
        con.execute(
            f"INSERT INTO facts ({names}) SELECT {names} FROM source.facts WHERE date = ?",  # noqa: S608
            [day],
        )
        con.execute("DETACH source")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def full_batch(db: Path, workers: int, workdir: Path) -> dict:
    """``python -m forecasting run``: a first run, then the next day's run on a copy of ``db``."""
    copy = workdir / "batch.duckdb"
    day = _hold_back_last_day(db, copy)
    first = _timed_run(copy, workers)
    _restore_day(db, copy, day)
    daily = _timed_run(copy, workers)
    copy.unlink()
    return {
        "batch_s": first["seconds"],
        "batch_cpu_s": first["cpu_s"],
        "batch_series": first["summary"]["n_series"],
        "batch_run": first["summary"],
        "daily_s": daily["seconds"],
        "daily_cpu_s": daily["cpu_s"],
        "daily_run": daily["summary"],
    }


def _timed_run(copy: Path, workers: int) -> dict:
    started, cpu = time.perf_counter(), children_cpu_s()
    proc = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(copy), "--workers",
         str(workers), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=4 * 3600,
    )  # fmt: skip
    seconds, cpu = time.perf_counter() - started, children_cpu_s() - cpu
    if proc.returncode != 0:
        raise RuntimeError(f"forecasting run failed: {proc.stderr[-1500:]}")
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"seconds": seconds, "cpu_s": cpu, "summary": summary}


def run(
    db: Path,
    sample: int,
    workers: int,
    full: bool,
    regions: list[str] | None,
    dask: bool = False,
    statuses: bool = False,
    scale_regions: int | None = None,
) -> dict:
    """Every measurement of this benchmark, as one dict."""
    counts = read_df(COUNT_SERIES, path=db).iloc[0]
    result = {
        "db": str(db),
        "series": int(counts["n"]),
        "regions": int(counts["regions"]),
        "workers": workers,
    }
    chosen = regions or sample_regions(db, 11)
    result.update(series_rates(db, sample, workers, chosen))
    tasks = result.pop("tasks")
    result["speedup"] = result["serial_s"] / result["parallel_s"]
    result["estimate_fit_s"] = result["series"] / result["parallel_series_per_s"]
    cpu_per_series = result["serial_cpu_s"] / result["sample"]
    refilter_per_series = result["refilter_cpu_s"] / result["sample"]
    daily_per_series = cpu_per_series / REFIT_DAYS + refilter_per_series * (1 - 1 / REFIT_DAYS)
    result["cpu_per_series"] = cpu_per_series
    result["refilter_cpu_per_series"] = refilter_per_series
    result["estimate_quiet_fit_s"] = result["series"] * cpu_per_series / workers
    result["estimate_quiet_daily_fit_s"] = result["series"] * daily_per_series / workers
    if dask:
        result.update(dask_rate(tasks, workers))
    if statuses:
        result.update(first_run_costs(db))
        if scale_regions:
            result.update(national_estimate(result, scale_regions))
    if full:
        with tempfile.TemporaryDirectory(prefix="jsw-fc-", dir=db.parent) as tmp:
            result.update(full_batch(db, workers, Path(tmp)))
    result["load_average"] = os.getloadavg()[0]
    return result


def table(r: dict) -> str:
    """Markdown table of one result."""
    lines = [
        f"warehouse: {r['regions']} regions, {r['series']:,} series to forecast; sample "
        f"{r['sample']} series from {r['sample_regions']} regions; load average "
        f"{r['load_average']:.1f}",
        "",
        "| mode | wall s | CPU s | series/s |",
        "|---|---:|---:|---:|",
        f"| serial (workers 1) | {r['serial_s']:.1f} | {r['serial_cpu_s']:.1f} | "
        f"{r['serial_series_per_s']:.2f} |",
        f"| workers {r['workers']} | {r['parallel_s']:.1f} | {r['parallel_cpu_s']:.1f} | "
        f"{r['parallel_series_per_s']:.2f} |",
        "",
        f"speed-up with {r['workers']} workers: {r['speedup']:.2f}x; fitting all "
        f"{r['series']:,} series at the measured parallel rate: {r['estimate_fit_s'] / 60:.1f} "
        f"min; at the serial CPU cost per series on {r['workers']} otherwise idle cores: "
        f"{r['estimate_quiet_fit_s'] / 60:.1f} min (every series estimated); a daily run "
        f"(1/{REFIT_DAYS} estimated, the rest re-filtered at {r['refilter_cpu_per_series']:.3f}"
        f" CPU s per series): {r['estimate_quiet_daily_fit_s'] / 60:.1f} min",
    ]
    if "dask_s" in r:
        lines.append(
            f"\nDask LocalCluster ({r['workers']} processes x 1 thread, started in "
            f"{r['dask_start_s']:.1f} s): {r['dask_s']:.1f} s wall for the sample, "
            f"{r['dask_series_per_s']:.2f} series/s"
        )
    if "status_cpu_s" in r:
        lines.append(
            f"\nwhole warehouse, serial CPU s: reading {r['facts']:,} facts "
            f"{r['read_cpu_s']:.1f} ({r['read_wall_s']:.1f} s wall); building {r['n_tasks']:,} "
            f"tasks {r['tasks_cpu_s']:.1f}; statuses and signals of {r['pairs']:,} pairs "
            f"{r['status_cpu_s']:.1f} ({r['status_cpu_per_pair']:.4f} per pair)"
        )
    if "scale_first_s" in r:
        lines.append(
            f"\nextrapolated to {r['scale_regions']} regions ({r['scale_series']:,.0f} series, "
            f"{r['scale_pairs']:,.0f} pairs) on {r['workers']} idle cores: reading "
            f"{r['scale_read_s'] / 60:.1f} min, tasks {r['scale_tasks_s'] / 60:.1f} and "
            f"statuses {r['scale_status_cpu_s'] / 60:.1f} CPU min beside the fitting; first run {r['scale_first_s'] / 60:.1f} min "
            f"(statuses after the fitting: {r['scale_first_after_s'] / 60:.1f}), daily run "
            f"{r['scale_daily_s'] / 60:.1f} min ({r['scale_daily_after_s'] / 60:.1f})"
        )
    if "batch_s" in r:
        lines.append(
            f"\nfull batch `python -m forecasting run --workers {r['workers']}`, first run "
            f"(every series estimated): {r['batch_s']:.1f} s wall clock "
            f"({r['batch_cpu_s']:.0f} CPU s) for {r['batch_series']:,} series; next day's run "
            f"({r['daily_run'].get('n_refitted', '?')} re-estimated): {r['daily_s']:.1f} s "
            f"wall clock ({r['daily_cpu_s']:.0f} CPU s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=40, help="series timed in each mode")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="also time the full batch (CLI)")
    parser.add_argument("--dask", action="store_true", help="also time a Dask LocalCluster")
    parser.add_argument(
        "--statuses", action="store_true", help="also time reading, tasks and statuses"
    )
    parser.add_argument(
        "--scale-regions", type=int, help="extrapolate a run to this many regions (514)"
    )
    parser.add_argument("--regions", help="comma-separated codes to sample (default: 11 spread)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    regions = [c.strip() for c in args.regions.split(",")] if args.regions else None
    result = run(
        args.db, args.sample, args.workers, args.full, regions, args.dask, args.statuses,
        args.scale_regions,
    )  # fmt: skip
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
