"""Where a warehouse's data came from: the demo generator or real sources."""

from __future__ import annotations

import os

import duckdb

from warehouse.db import WarehouseError, read_df

PathLike = str | os.PathLike[str] | None
DEMO_SOURCE = "demo"


def is_demo_warehouse(path: PathLike = None) -> bool:
    """True when every fact was written by the demo generator (and there is at least one).

    A missing or unreadable warehouse is not a demo warehouse.
    """
    try:
        counts = read_df(
            "SELECT count(*) FILTER (WHERE source = ?) AS demo,"
            " count(*) FILTER (WHERE source <> ?) AS other FROM facts",
            [DEMO_SOURCE, DEMO_SOURCE],
            path,
        )
    except (WarehouseError, FileNotFoundError, duckdb.Error):
        return False
    return bool(counts.demo[0] > 0 and counts.other[0] == 0)
