"""Helpers shared by the ingest tests: fast retry settings and table snapshots."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.db import read_df

FAST_HTTP_ENV = {
    "JSW_PACING_SECONDS": "0",
    "JSW_HTTP_BACKOFF": "0.01",
    "JSW_HTTP_RETRIES": "2",
    "JSW_HTTP_TIMEOUT": "5",
    "JSW_HTTP_MAX_WAIT": "5",
}
DATA_TABLES = ("facts", "fact_revisions", "rejected_rows", "source_ids")


def table_contents(path: Path) -> dict[str, pd.DataFrame]:
    """Sorted contents of the data tables, to compare a warehouse before and after."""
    contents = {}
    for table in DATA_TABLES:
        frame = read_df(f"SELECT * FROM {table}", path=path)
        contents[table] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return contents


def assert_same_contents(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    for table, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[table], obj=table)
