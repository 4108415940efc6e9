"""Time the weekly export on the demo warehouse and on larger synthetic ones.

    python bench/bench_weekly_export.py [--regions 11 60 200] [--years 1] [--repeat 3]
                                        [--workdir /tmp/jsw-bench-weekly]

Each warehouse is built once with ``python -m ingest demo --regions N`` (kept in the work
folder and reused on the next run), then the export is timed: reading and computing the
tables (``build_weekly``), writing the CSVs (excel-id) and the XLSX workbook (each with
manifest and archive copy), and rendering the HTML brief. Prints a
table of median seconds over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports.brief import brief_html  # noqa: E402
from reports.export import write_export  # noqa: E402
from reports.weekly import build_weekly  # noqa: E402

END = dt.date(2026, 11, 20)


def demo_warehouse(workdir: Path, regions: int, years: int) -> Path:
    """Build (once) a demo warehouse with ``regions`` regions ending on END."""
    path = workdir / f"demo_r{regions}_y{years}.duckdb"
    if not path.exists():
        command = [sys.executable, "-m", "ingest", "demo", "--db", str(path)]
        command += ["--end", END.isoformat(), "--years", str(years), "--regions", str(regions)]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    return path


def timed(action, *args, **kwargs) -> tuple[float, object]:
    """Seconds taken by ``action(*args, **kwargs)`` and its result."""
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return time.perf_counter() - start, result


def bench_one(path: Path, workdir: Path, repeat: int) -> dict[str, float]:
    """Median seconds of each step over ``repeat`` runs, plus the detail row count."""
    today = END + dt.timedelta(days=1)
    steps: dict[str, list[float]] = {"build": [], "csv": [], "xlsx": [], "brief": []}
    rows = 0
    for attempt in range(repeat):
        seconds, export = timed(build_weekly, path, today=today)
        steps["build"].append(seconds)
        rows = len(export.detail)
        out = workdir / f"out_{path.stem}_{attempt}"
        steps["csv"].append(timed(write_export, export, out, "excel-id", "csv")[0])
        steps["xlsx"].append(timed(write_export, export, out, "standard", "xlsx")[0])
        steps["brief"].append(timed(brief_html, export)[0])
    result = {name: statistics.median(values) for name, values in steps.items()}
    result["rows"] = rows
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, nargs="+", default=[11, 60, 200])
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "jsw-bench-weekly"))
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    header = f"{'regions':>7} {'rows':>6} {'build s':>8} {'csv s':>7} {'xlsx s':>7} {'brief s':>8}"
    print(header)
    print("-" * len(header))
    for regions in args.regions:
        path = demo_warehouse(workdir, regions, args.years)
        r = bench_one(path, workdir, args.repeat)
        print(
            f"{regions:>7} {r['rows']:>6} {r['build']:>8.2f} {r['csv']:>7.2f}"
            f" {r['xlsx']:>7.2f} {r['brief']:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
