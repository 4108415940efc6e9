"""Soak: SIGKILL the ingest and the forecasting CLI many times at random points.

    python bench/crash_safety.py --kills 100 [--seed 1]

Uses the one-year, 2-region demo warehouse of the crash tests. After every kill the warehouse
must open with no duplicate fact and no partial run; after the series the next run must
complete and leave no working copy behind. Prints the figures; exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hostile.crash import (  # noqa: E402
    build_small_warehouse,
    kill_series,
    run_to_completion,
    write_officer_report,
)
from hostile.integrity import check_warehouse, leftover_copies  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="kills per CLI")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jsw-crash-"))
    db = build_small_warehouse(folder / "warehouse.duckdb")
    report = folder / "laporan.csv"
    write_officer_report(report)
    ok = True
    for kind in ("ingest", "forecasting"):
        started = time.monotonic()
        outcome = kill_series(
            kind,
            db,
            report,
            folder / "raw",
            args.kills,
            seed=args.seed,
            max_delay=2.5 if kind == "ingest" else 4.0,
        )
        done = run_to_completion(kind, db, report, folder / "raw")
        found = check_warehouse(db)
        clean = not leftover_copies(db)
        print(
            f"{kind:<12} kills {outcome.kills} (inside the write {outcome.during_write}, "
            f"finished before the kill {outcome.finished_before_kill}), working copies left by "
            f"a kill {outcome.leftovers_seen}, problems {len(outcome.problems)}, next run exit "
            f"{done.returncode}, copies after it {'none' if clean else 'LEFT'}, "
            f"integrity {'ok' if found.ok else found.problems}, {time.monotonic() - started:.0f} s"
        )
        for problem in outcome.problems[:5]:
            print(f"  ! {problem}")
        ok = ok and not outcome.problems and done.returncode == 0 and found.ok and clean
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
