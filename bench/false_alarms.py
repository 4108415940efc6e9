"""Score the latest replay: recall, median lead and false-alarm episodes per pair-year.

An **episode** is one alert (its first firing and the repeats that joined it); it is false
when its first firing lies outside every incident window [start − 30 days, end] of its
region × commodity. Pair-years = region × commodity pairs with stock reports × replayed
years. Incidents come from ``--incidents CSV`` (a world from ``bench/depot_world.py``) or,
without it, from the warehouse's ``incidents`` table.

    python bench/false_alarms.py --db W [--incidents incidents.csv] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forecasting import score  # noqa: E402
from forecasting.data import load_incidents  # noqa: E402
from warehouse.db import read_df  # noqa: E402


def false_alarm_episodes(path: str, incidents: pd.DataFrame) -> dict:
    """Skill of the latest replay with false alarms counted as episodes per pair-year."""
    replay = score.latest_replay(path)
    if replay is None:
        raise SystemExit("no replay stored: run python -m forecasting run --replay-from ...")
    replay_id = str(replay["replay_id"])
    start, end = pd.Timestamp(replay["date_from"]), pd.Timestamp(replay["date_to"])
    result = score.score_firings(
        score.replay_firings(path, replay_id), incidents, (start.date(), end.date())
    )
    alerts = read_df(
        "SELECT region_code, commodity, kind, first_as_of FROM alerts"
        " WHERE origin = 'replay' AND origin_id = ?",
        [replay_id],
        path,
    ).rename(columns={"first_as_of": "as_of"})
    alerts["as_of"] = pd.to_datetime(alerts["as_of"])
    false = 0
    for alert in alerts.itertuples(index=False):
        mine = incidents[
            (incidents["region_code"] == alert.region_code)
            & (incidents["commodity"] == alert.commodity)
        ]
        inside = (
            (mine["start_date"] - pd.Timedelta(days=score.EARLY_WINDOW_DAYS) <= alert.as_of)
            & (alert.as_of <= mine["end_date"])
        ).any()
        false += not inside
    pairs = read_df(
        "SELECT count(DISTINCT region_code || commodity) AS n FROM daily_values"
        " WHERE metric = 'stock'",
        path=path,
    )["n"].iloc[0]
    years = ((end - start).days + 1) / 365.25
    pair_years = float(pairs) * years
    return {
        "replay_id": replay_id,
        "incidents": result["incidents"],
        "recall": result["recall"],
        "median_lead_days": result["median_lead_days"],
        "alerts": len(alerts),
        "false_episodes": false,
        "pair_years": round(pair_years, 1),
        "false_episodes_per_pair_year": round(false / pair_years, 3) if pair_years else None,
        "leads": [d["lead_days"] for d in result["details"]],
    }


def _incidents_csv(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype={"region_code": str})
    for column in ("cause_date", "start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--incidents", type=Path)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    incidents = _incidents_csv(args.incidents) if args.incidents else load_incidents(args.db)
    result = false_alarm_episodes(args.db, incidents)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
