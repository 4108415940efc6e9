"""Benchmark the transactional loader: first load, identical re-run, and a revision pass.

python bench/ingest_load.py --rows 200000
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.loader import RunLog, commit_run  # noqa: E402

REGIONS = ["1501", "1502", "1503", "1504", "1505", "1506", "1507", "1508", "1509", "1571", "1572"]
COMMODITIES = ["beras_medium", "beras_premium", "pertalite", "biosolar", "lpg_3kg", "gula_pasir"]


def frame(rows: int, seed: int) -> pd.DataFrame:
    days = rows // (len(REGIONS) * len(COMMODITIES)) + 1
    index = (
        pd.MultiIndex.from_product(
            [pd.date_range("2020-01-01", periods=days).date, REGIONS, COMMODITIES],
            names=["date", "region_code", "commodity"],
        )
        .to_frame(index=False)
        .head(rows)
    )
    index["metric"] = "price"
    index["value"] = np.random.default_rng(seed).uniform(5000, 20000, len(index)).round(-1)
    index["unit"] = "Rp/kg"
    return index


def timed(label: str, facts: pd.DataFrame, path: Path) -> None:
    start = time.perf_counter()
    counts = commit_run(RunLog(label, "bench", dt.datetime.now()), facts, [], path=str(path))
    print(
        f"{label:<10} {len(facts):>9,} rows  {time.perf_counter() - start:6.2f} s  {counts.summary()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        first = frame(args.rows, 1)
        timed("first", first, path)
        timed("same", first, path)
        revised = first.copy()
        revised.loc[revised.index % 10 == 0, "value"] += 50
        timed("revise10%", revised, path)


if __name__ == "__main__":
    main()
