"""Check that the forecasts of this tree equal those of an earlier commit.

Both code trees build the tasks of the same warehouse (``forecasting.batch.build_tasks``) and
run every series serially (``forecasting.series.run_task``: backtest, choice, forecast; then
a re-filter with the parameters just estimated, as a daily run does). The chosen models,
reasons, captured warnings, backtest metrics (overall and by horizon), parameters and forecast rows are compared; floats must agree to
``--rtol`` (default 0: bit for bit). The CPU seconds of both trees are printed side by side.

With ``--batch`` both trees run ``forecasting.batch.compute_run`` instead (``--workers``
processes, the statuses beside them) and every forecast row, series record, backtest row,
status and signal is compared bit for bit (run ids aside): what a change of scheduling
must leave as it was.

python bench/check_forecasts_identical.py --db WAREHOUSE --rev 303b9a8 [--regions 1101,1571]
       [--rtol 1e-9] [--batch [--workers 2]]
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the pickled results are ``forecasting.series`` objects
sys.path.insert(0, str(ROOT / "bench"))

from check_statuses_identical import export_revision  # noqa: E402

DUMP = """
import os, pickle, sys, time, datetime as dt
for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = "1"
sys.path.insert(0, sys.argv[1])
from forecasting.batch import build_tasks
from forecasting.data import load_values
from forecasting.series import StoredFit, run_task
regions = sys.argv[4].split(",") if sys.argv[4] else None
tasks = build_tasks(load_values(sys.argv[2], regions))
run_task(tasks[0])  # statsmodels and the holiday calendar load once
out, cpu = {}, [0.0, 0.0]
for task in tasks:
    started = time.process_time()
    result = run_task(task)
    cpu[0] += time.process_time() - started
    task.stored = StoredFit(result.model, result.params, dt.date(2000, 1, 1),
                            result.fallback_reason, result.overall)
    started = time.process_time()
    again = run_task(task)
    cpu[1] += time.process_time() - started
    out[task.key] = (result, again)
pickle.dump((out, cpu), open(sys.argv[3], "wb"))
"""

DUMP_BATCH = """
import pickle, sys, time
sys.path.insert(0, sys.argv[1])
from forecasting.batch import backtest_rows, compute_run, series_rows
regions = sys.argv[4].split(",") if sys.argv[4] else None
started = time.perf_counter()
outcome = compute_run(sys.argv[2], regions, workers=int(sys.argv[5]))
seconds = time.perf_counter() - started
frames = {
    "forecasts": outcome.forecasts,
    "series": series_rows(outcome.run_id, outcome.results),
    "backtests": backtest_rows(outcome.run_id, outcome.results),
    "statuses": outcome.statuses,
    "signals": outcome.signals,
}
frames = {k: v.drop(columns=["run_id"], errors="ignore") for k, v in frames.items()}
pickle.dump((frames, seconds), open(sys.argv[3], "wb"))
"""


def dump_batch(tree: Path, db: Path, regions: str, workers: int, out: Path) -> tuple:
    """The run's tables (without run ids) and its wall seconds, computed by ``tree``."""
    subprocess.run([sys.executable, "-c", DUMP_BATCH, str(tree), str(db), str(out), regions,
                    str(workers)], check=True, cwd=tree)  # fmt: skip
    with out.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - our own file, just written


def compare_batches(old: dict, new: dict) -> int:
    """Print each table's comparison; the number of tables that differ."""
    failed = 0
    for name in old:
        try:
            pd.testing.assert_frame_equal(
                old[name].reset_index(drop=True), new[name].reset_index(drop=True),
                check_exact=True,
            )  # fmt: skip
            print(f"{name}: {len(old[name])} rows identical")
        except AssertionError as error:
            failed += 1
            print(f"{name}: DIFFER: {str(error)[:800]}")
    return failed


def dump(tree: Path, db: Path, regions: str, out: Path) -> tuple[dict, list[float]]:
    """Results per series key (estimated, re-filtered) and the CPU seconds of both passes."""
    subprocess.run([sys.executable, "-c", DUMP, str(tree), str(db), str(out), regions],
                   check=True, cwd=tree)  # fmt: skip
    with out.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - our own file, just written


def difference(old, new, rtol: float) -> str:
    """'' when two results agree (floats to ``rtol``), else what differs."""
    for name in ("model", "fallback_reason", "n_obs", "warnings"):
        if getattr(old, name) != getattr(new, name):
            return f"{name}: {getattr(old, name)!r} != {getattr(new, name)!r}"
    if (old.params is None) != (new.params is None):
        return "params: one is missing"
    if old.params is not None and not np.allclose(old.params, new.params, rtol=rtol, atol=0):
        return f"params: {old.params} != {new.params}"
    for model in set(old.overall) | set(new.overall):
        a, b = old.overall.get(model, {}), new.overall.get(model, {})
        if a.keys() != b.keys() or not np.allclose(
            list(a.values()), [b[k] for k in a], rtol=rtol, atol=0, equal_nan=True
        ):
            return f"backtest of {model}: {a} != {b}"
    try:
        pd.testing.assert_frame_equal(
            old.by_horizon, new.by_horizon, check_exact=rtol == 0, rtol=rtol or 1e-5, atol=0
        )
    except AssertionError as error:
        return "backtest by horizon: " + str(error)[:800]
    try:
        pd.testing.assert_frame_equal(
            old.forecast, new.forecast, check_exact=rtol == 0, rtol=rtol or 1e-5, atol=0
        )
    except AssertionError as error:
        return "forecast rows: " + str(error)[:800]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rev", required=True, help="the earlier commit to compare with")
    parser.add_argument("--regions", default="", help="comma-separated codes (default: all)")
    parser.add_argument("--rtol", type=float, default=0.0, help="relative tolerance of floats")
    parser.add_argument("--batch", action="store_true", help="compare whole runs (compute_run)")
    parser.add_argument("--workers", type=int, default=2, help="--batch: worker processes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jsw-forecasts-") as tmp:
        old_tree = export_revision(args.rev, Path(tmp) / "old")
        if args.batch:
            old_run, old_s = dump_batch(old_tree, args.db, args.regions, args.workers,
                                        Path(tmp) / "old.pkl")  # fmt: skip
            new_run, new_s = dump_batch(ROOT, args.db, args.regions, args.workers,
                                        Path(tmp) / "new.pkl")  # fmt: skip
            failed = compare_batches(old_run, new_run)
            print(f"wall s of compute_run {args.rev}: {old_s:.1f}, this tree: {new_s:.1f}")
            return 1 if failed else 0
        old, old_cpu = dump(old_tree, args.db, args.regions, Path(tmp) / "old.pkl")
        new, new_cpu = dump(ROOT, args.db, args.regions, Path(tmp) / "new.pkl")
    failed = 0
    if old.keys() != new.keys():
        print(f"series differ: {len(old)} in {args.rev}, {len(new)} in this tree")
        failed += 1
    for key in sorted(old.keys() & new.keys()):
        for label, a, b in zip(("estimated", "re-filtered"), old[key], new[key], strict=True):
            found = difference(a, b, args.rtol)
            if found:
                failed += 1
                print(f"{'/'.join(key)} {label} DIFFERS: {found}")
    n = len(old)
    print(f"{n} series, {failed} differences (rtol {args.rtol:g})")
    print(
        f"CPU s per series {args.rev}: estimated {old_cpu[0] / n:.4f}, re-filtered"
        f" {old_cpu[1] / n:.4f}; this tree: estimated {new_cpu[0] / n:.4f}, re-filtered"
        f" {new_cpu[1] / n:.4f}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
