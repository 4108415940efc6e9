"""Soak: SIGKILL the ingest, the forecasting CLI and sealing many times at random points.

    python bench/crash_safety.py --kills 100 [--seal-kills 40] [--seed 1]

Uses the one-year, 2-region demo warehouse of the crash tests. After every kill the warehouse
must open with no duplicate fact and no partial run; after the series the next run must
complete and leave no working copy behind.

Sealing (``--seal-kills``): the warehouse is sealed first, so the ingest and forecasting kills
also run against sealed history. Then, before each kill, one sealed fact is revised (so
``python -m warehouse seal`` has a month to re-seal) and the seal is SIGKILLed at a random
moment: ``facts`` (the view over current and sealed rows) must show exactly the facts and
total of before the kill, no key twice, and every part the manifest lists must exist. After
the series a seal runs to completion and must leave no file the manifest does not list.
Prints the figures; exits 1 on any problem.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
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

from ingest.loader import RunLog, commit_run  # noqa: E402
from warehouse import parts  # noqa: E402
from warehouse.db import read_df, reader  # noqa: E402
from warehouse.seal import seal  # noqa: E402

# the total as an exact decimal: a float sum depends on the order rows are scanned in, and
# facts has no key index to fix that order (two runs could differ in the last cent)
VIEW_TOTALS = (
    "SELECT count(*) AS n, sum(CAST(value AS DECIMAL(38, 6))) AS total, count(*) -"
    " count(DISTINCT (date, region_code, commodity, metric, source)) AS twice FROM facts"
)


def view_state(db: Path) -> tuple[int, float, int, list[str]]:
    """(facts, total value, keys seen twice, listed part files missing) through the view."""
    totals = read_df(VIEW_TOTALS, path=db).iloc[0]
    with reader(db) as con:
        listed = [row[0] for row in con.execute("SELECT part_file FROM fact_parts").fetchall()]
    missing = [name for name in listed if not (parts.parts_dir(db) / name).exists()]
    return int(totals.n), round(float(totals.total), 2), int(totals.twice), missing


def revise_one_sealed_fact(db: Path, rng: random.Random, number: int) -> None:
    """Commit a run changing one sealed fact by +1 (a revision the next seal re-seals)."""
    with reader(db) as con:
        first, last = con.execute(
            "SELECT min(first_date), max(last_date) FROM fact_parts WHERE retired_at IS NULL"
        ).fetchone()
    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    row = read_df(
        "SELECT date, region_code, commodity, metric, value, unit, source FROM facts"
        " WHERE date = ? AND metric = 'price' ORDER BY region_code, commodity LIMIT 1",
        [day],
        path=db,
    )
    row["value"] = row["value"] + 1
    run = RunLog(f"crash-revise-{number}", str(row.source[0]), dt.datetime.now())
    commit_run(run, row.drop(columns="source"), [], path=str(db))


def seal_kill_series(db: Path, kills: int, seed: int, max_delay: float) -> list[str]:
    """SIGKILL ``python -m warehouse seal`` ``kills`` times; returns the problems found."""
    rng = random.Random(seed)
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_NUM_THREADS="1")
    command = [sys.executable, "-m", "warehouse", "seal", "--db", str(db), "--keep-days", "30"]
    problems: list[str] = []
    for attempt in range(kills):
        revise_one_sealed_fact(db, rng, attempt)
        before = view_state(db)
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(rng.uniform(0.0, max_delay))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        after = view_state(db)
        if after[:2] != before[:2] or after[2] or after[3]:
            problems.append(f"seal kill {attempt}: before {before}, after {after}")
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        problems.append(f"seal after the series failed: {finished.stderr[-300:]}")
    with reader(db) as con:
        listed = {row[0] for row in con.execute("SELECT part_file FROM fact_parts").fetchall()}
    on_disk = {p.name for p in parts.parts_dir(db).iterdir()}
    if on_disk - listed:
        problems.append(f"files no manifest lists: {sorted(on_disk - listed)[:3]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="kills per CLI")
    parser.add_argument("--seal-kills", type=int, default=40, help="kills of the seal")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jsw-crash-"))
    db = build_small_warehouse(folder / "warehouse.duckdb")
    if args.seal_kills:
        sealed = seal(db, keep_days=30)
        print(
            f"sealed {len(sealed.months)} months ({sealed.facts_sealed:,} facts) before the kills"
        )
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
    if args.seal_kills:
        started = time.monotonic()
        problems = seal_kill_series(db, args.seal_kills, args.seed, max_delay=3.0)
        print(
            f"{'seal':<12} kills {args.seal_kills}, problems {len(problems)},"
            f" {time.monotonic() - started:.0f} s"
        )
        for problem in problems[:5]:
            print(f"  ! {problem}")
        ok = ok and not problems
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
