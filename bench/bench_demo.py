"""Time the demo generator at Jambi size and at larger scales; print a table.

Usage: python bench/bench_demo.py [--large] [--out DIR]
  --large  also run the national scale (514 regions x 10 commodities x 5 years)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo.build import build_demo  # noqa: E402

END = date(2026, 11, 20)
CASES = [
    ("Jambi", 11, 8, 3),
    ("mid", 100, 10, 2),
]
LARGE = ("national", 514, 10, 5)


def run_case(name: str, regions: int, commodities: int, years: int, out: Path) -> dict[str, object]:
    path = out / f"bench-{name}.duckdb"
    steps: dict[str, float] = {}
    clock = time.perf_counter()
    last = clock

    def progress(step: str, done: int, total: int) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + now - last
        last = now

    summary = build_demo(
        path, seed=7, years=years, end=END, regions=regions, commodities=commodities,
        progress=progress,
    )  # fmt: skip
    seconds = time.perf_counter() - clock
    size_mb = path.stat().st_size / 1e6
    path.unlink()
    return {
        "case": name,
        "size": f"{regions} x {commodities} x {years} y",
        "facts": summary.facts,
        "seconds": seconds,
        "simulate": steps.get("setup", 0)
        + steps.get("calibrate_incidents", 0)
        + steps.get("simulate_stock", 0)
        + steps.get("simulate_prices", 0),
        "write": steps.get("write_facts", 0) + steps.get("done", 0),
        "file_mb": size_mb,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true")
    parser.add_argument("--out", default=None, help="directory for temporary warehouses")
    args = parser.parse_args()
    cases = CASES + ([LARGE] if args.large else [])
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        rows = [run_case(*case, Path(tmp)) for case in cases]
    print("| case | size | facts | total s | simulate s | write s | file MB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['case']} | {r['size']} | {r['facts']:,} | {r['seconds']:.1f} | "
            f"{r['simulate']:.1f} | {r['write']:.1f} | {r['file_mb']:.0f} |"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the process: {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
