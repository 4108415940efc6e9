"""``python -m forecasting score``: alert skill of a historical replay against incidents."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from warehouse.db import WarehouseError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m forecasting score",
        description="Recall, median lead and false-alarm rate of replayed alerts vs incidents.",
    )
    p.add_argument("--db", help="warehouse path (default: JSW_DB or data/warehouse.duckdb)")
    p.add_argument("--replay-id", help="score this replay (default: the latest)")
    p.add_argument(
        "--replay-from",
        type=dt.date.fromisoformat,
        help="first run a new replay from this date (YYYY-MM-DD), then score it",
    )
    p.add_argument(
        "--replay-step",
        type=int,
        default=1,
        help="days between replay dates (default 1: every day, as the daily run would)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    from forecasting.score import score

    try:
        replay_id = args.replay_id
        if args.replay_from:
            from forecasting.replay import run_replay

            replay_id = run_replay(args.db, args.replay_from, None, args.replay_step)["replay_id"]
        result = score(args.db, replay_id)
    except (WarehouseError, ValueError) as exc:
        if args.json:
            print(json.dumps({"status": "failed", "error": str(exc)}))
        print(f"Scoring failed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result))
        return 0
    for key in ("replay_id", "incidents", "detected", "recall", "median_lead_days",
                "false_alarm_rate", "alert_days"):  # fmt: skip
        print(f"{key:>17}: {result[key]}")
    for d in result["details"]:
        lead = "missed" if d["lead_days"] is None else f"lead {d['lead_days']} d"
        print(
            f"  {d['incident_id']:<28} {d['region_code']} {d['commodity']:<14} {d['start_date']} {lead}"
        )
    return 0
