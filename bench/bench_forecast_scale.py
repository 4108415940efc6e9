"""Forecasting throughput: series/s serial and with worker processes, and the full batch.

* series/s - the same sample of series (price weekly, distribution and delivery daily; evenly
             spread over the warehouse) fitted with ``workers=1`` and ``workers=N`` side by
             side in one process (``forecasting.batch.run_tasks``, the code the batch runs).
* estimate - every series in the warehouse at the measured parallel rate (fitting only).
* batch    - with ``--full``: ``python -m forecasting run --workers N`` on a copy of the
             warehouse, wall clock including interpreter start, reading, statuses, signals,
             alerts and the one write transaction.

python bench/bench_forecast_scale.py --db WAREHOUSE [--sample 40] [--workers 2] [--full]
       [--regions CODES] [--json]
"""

from __future__ import annotations

import argparse
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
    run_tasks(chosen, 1)
    serial_s = time.perf_counter() - serial_started
    serial_cpu = time.process_time() - serial_cpu
    parallel_started, parallel_cpu = time.perf_counter(), children_cpu_s()
    run_tasks(chosen, workers)
    parallel_s = time.perf_counter() - parallel_started
    parallel_cpu = children_cpu_s() - parallel_cpu
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
    }


def full_batch(db: Path, workers: int, workdir: Path) -> dict:
    """Wall clock of ``python -m forecasting run`` on a copy of ``db``."""
    copy = workdir / "batch.duckdb"
    shutil.copyfile(db, copy)
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
    copy.unlink()
    return {
        "batch_s": seconds,
        "batch_cpu_s": cpu,
        "batch_series": summary["n_series"],
        "batch_run": summary,
    }


def run(db: Path, sample: int, workers: int, full: bool, regions: list[str] | None) -> dict:
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
    result["speedup"] = result["serial_s"] / result["parallel_s"]
    result["estimate_fit_s"] = result["series"] / result["parallel_series_per_s"]
    cpu_per_series = result["serial_cpu_s"] / result["sample"]
    result["estimate_quiet_fit_s"] = result["series"] * cpu_per_series / workers
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
        f"{r['estimate_quiet_fit_s'] / 60:.1f} min",
    ]
    if "batch_s" in r:
        lines.append(
            f"\nfull batch `python -m forecasting run --workers {r['workers']}`: "
            f"{r['batch_s']:.1f} s wall clock ({r['batch_cpu_s']:.0f} CPU s) for "
            f"{r['batch_series']:,} series"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=40, help="series timed in each mode")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--full", action="store_true", help="also time the full batch (CLI)")
    parser.add_argument("--regions", help="comma-separated codes to sample (default: 11 spread)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    regions = [c.strip() for c in args.regions.split(",")] if args.regions else None
    result = run(args.db, args.sample, args.workers, args.full, regions)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
