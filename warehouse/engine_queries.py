"""Reads of the early-warning engine's stored results for the dashboard."""

from __future__ import annotations

import os

import pandas as pd

from warehouse.db import read_df

PathLike = str | os.PathLike[str] | None
RELIABILITY_SQL = """
    SELECT c.horizon_days, c.bin_low, c.bin_high, c.n, c.mean_predicted, c.observed,
           r.replay_id, r.date_from, r.date_to
    FROM stockout_calibration c JOIN replays r USING (replay_id)
    WHERE c.replay_id = (SELECT replay_id FROM replays
                         WHERE replay_id IN (SELECT replay_id FROM stockout_calibration)
                         ORDER BY created_at DESC LIMIT 1)
    ORDER BY c.horizon_days, c.bin_low
"""


def stockout_reliability(path: PathLike = None) -> pd.DataFrame:
    """The latest replay's reliability table of the stock-out probabilities (empty if none).

    Columns: horizon_days, bin_low, bin_high, n, mean_predicted, observed, replay_id,
    date_from, date_to.
    """
    tables = read_df(
        "SELECT count(*) AS n FROM information_schema.tables"
        " WHERE table_name = 'stockout_calibration'",
        path=path,
    )
    if int(tables["n"].iloc[0]) == 0:  # a warehouse from before the engine tables
        return pd.DataFrame()
    return read_df(RELIABILITY_SQL, path=path)
