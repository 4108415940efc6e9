"""Check that the statuses and signals of this tree equal those of an earlier commit.

The live statuses (``forecasting.batch.run_statuses``: level, rule, reasons, numbers,
stock-out probabilities) and every signal row are computed by both code trees on the same
warehouse for each date, then compared row by row and bit for bit.

python bench/check_statuses_identical.py --db WAREHOUSE --rev 71583f1 [--dates 2026-11-28 ...]
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DUMP = """
import pickle, sys, time
sys.path.insert(0, sys.argv[1])
from forecasting.batch import run_statuses
from forecasting.data import load_reference, load_values
import datetime as dt
values, reference = load_values(sys.argv[2]), load_reference(sys.argv[2])
out = {}
for day in sys.argv[4:]:
    day = dt.date.fromisoformat(day)
    known = values[values["date"] <= str(day)]
    started = time.process_time()
    statuses, signals = run_statuses(known, reference, day)
    out[day] = (statuses, signals, time.process_time() - started)
pickle.dump(out, open(sys.argv[3], "wb"))
"""


def dump(tree: Path, db: Path, dates: list[str], out: Path) -> dict:
    """Statuses, signals and CPU seconds per date, computed by the code in ``tree``."""
    subprocess.run([sys.executable, "-c", DUMP, str(tree), str(db), str(out), *dates],
                   check=True, cwd=tree)  # fmt: skip
    with out.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 - our own file, just written


def differences(old: pd.DataFrame, new: pd.DataFrame) -> str:
    """'' when the frames are equal bit for bit (rows in key order), else the first difference."""
    keys = [c for c in ("region_code", "commodity", "signal") if c in old.columns]
    old = old.sort_values(keys, kind="stable").reset_index(drop=True)
    new = new.sort_values(keys, kind="stable").reset_index(drop=True)
    try:
        assert list(old.columns) == list(new.columns), "columns differ"
        pd.testing.assert_frame_equal(old, new, check_exact=True)
    except AssertionError as error:
        return str(error)[:1500]
    return ""


def last_date(db: Path) -> str:
    """The newest date in ``daily_values``."""
    sys.path.insert(0, str(ROOT))
    from warehouse.db import read_df

    return (
        pd.Timestamp(read_df("SELECT max(date) FROM daily_values", path=db).iloc[0, 0])
        .date()
        .isoformat()
    )


def export_revision(rev: str, target: Path) -> Path:
    """The project's files at commit ``rev``, extracted into ``target`` (created)."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True,
                             capture_output=True).stdout  # fmt: skip
    target.mkdir()
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rev", required=True, help="the earlier commit to compare with")
    parser.add_argument("--dates", nargs="*", help="status dates (default: the last one)")
    args = parser.parse_args(argv)
    dates = args.dates or [last_date(args.db)]
    with tempfile.TemporaryDirectory(prefix="jsw-statuses-") as tmp:
        old_tree = export_revision(args.rev, Path(tmp) / "old")
        old = dump(old_tree, args.db, dates, Path(tmp) / "old.pkl")
        new = dump(ROOT, args.db, dates, Path(tmp) / "new.pkl")
    failed = 0
    for day in old:
        (old_st, old_sig, old_cpu), (new_st, new_sig, new_cpu) = old[day], new[day]
        for name, a, b in (("statuses", old_st, new_st), ("signals", old_sig, new_sig)):
            found = differences(a, b)
            failed += bool(found)
            print(f"{day} {name}: {len(a)} rows {'DIFFER: ' + found if found else 'identical'}")
        print(
            f"{day} CPU s {args.rev}: {old_cpu:.1f}, this tree: {new_cpu:.1f} ({len(old_st)} pairs)"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
