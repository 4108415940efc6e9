"""Time the forecasting commands on the Jambi demo warehouse.

    python bench/bench_forecasting.py [--db PATH] [--workers 2]

Builds a demo warehouse (seed 7, 3 years to 2026-11-20) in a temp folder unless ``--db`` is
given, then times the full batch, a daily replay, scoring and a whole-province scenario
(each as the CLI a user runs, including process start). Prints one table and the machine's
load average, since other work on the machine slows every figure.
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

ROOT = Path(__file__).resolve().parents[1]


CPU_SECONDS: list[float] = []


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str]) -> tuple[float, dict]:
    """Wall seconds and JSON result of one CLI call; its CPU seconds go to ``CPU_SECONDS``."""
    started, cpu = time.monotonic(), _children_cpu()
    proc = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    CPU_SECONDS.append(_children_cpu() - cpu)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return seconds, json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo warehouse to copy")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-forecasting-"))
    path = folder / "warehouse.duckdb"
    if args.db:
        shutil.copyfile(args.db, path)
    else:
        subprocess.run(
            [sys.executable, "-m", "ingest", "demo", "--db", str(path), "--seed", "7",
             "--years", "3", "--end", "2026-11-20"],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
    rows = []
    seconds, out = timed(["forecasting", "run", "--db", str(path), "--json",
                          "--workers", str(args.workers)])  # fmt: skip
    rows.append((f"run (batch, {args.workers} workers)", seconds, f"{out['n_series']} series, "
                 f"{out['n_fallback']} fallbacks"))  # fmt: skip
    seconds, out = timed(["forecasting", "run", "--db", str(path), "--json",
                          "--replay-from", "2024-01-22", "--replay-step", "1"])  # fmt: skip
    rows.append(("run --replay-step 1", seconds, f"{out['dates']} dates, {out['alerts']} alerts"))
    seconds, out = timed(["forecasting", "score", "--db", str(path), "--json"])
    rows.append(("score", seconds, f"recall {out['recall']}, median lead "
                 f"{out['median_lead_days']} d, false alarms {out['false_alarm_rate']}"))  # fmt: skip
    seconds, out = timed(["forecasting", "scenario", "--db", str(path), "--json",
                          "--demand-pct", "30", "--name", "bench"])  # fmt: skip
    rows.append(("scenario (whole province)", seconds, f"{len(out['results'])} series"))
    print(f"{'command':<32} {'wall s':>8} {'cpu s':>8}  result")
    for (name, secs, note), cpu in zip(rows, CPU_SECONDS, strict=True):
        print(f"{name:<32} {secs:>8.1f} {cpu:>8.1f}  {note}")
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
