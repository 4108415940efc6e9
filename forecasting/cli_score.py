"""``python -m forecasting score``: alert skill of a historical replay against ground truth."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from warehouse.db import WarehouseError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m forecasting score",
        description=(
            "Probability of detection, lead, false-alarm episodes and warning precision of "
            "replayed alerts against incidents (with 90 %% intervals), beside the old numbers."
        ),
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
    p.add_argument(
        "--incidents",
        type=Path,
        help="CSV of incidents (region, commodity, kind, cause_date, start, end, note) to score "
        "against instead of the warehouse's incidents table",
    )
    p.add_argument(
        "--price-episodes",
        action="store_true",
        help="instead: find the sustained price rises in the warehouse's price series, time the "
        "replay's price warnings against them, and backtest weekly prices split by weeks with "
        "and without a price step (Diebold–Mariano against naive)",
    )
    p.add_argument(
        "--commodities", help="--price-episodes: comma-separated commodity codes (default: all)"
    )
    p.add_argument(
        "--horizon", type=int, default=1, help="--price-episodes: backtest horizon in weeks"
    )
    p.add_argument(
        "--origins", type=int, default=104, help="--price-episodes: weekly backtest origins"
    )
    p.add_argument("--no-save", action="store_true", help="do not store the score")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p


def _failed(args: argparse.Namespace, exc: Exception) -> int:
    """Report a failed scoring run (JSON on stdout when asked, a line on stderr); exit code 1."""
    if args.json:
        print(json.dumps({"status": "failed", "error": str(exc)}))
    print(f"Scoring failed: {exc}", file=sys.stderr)
    return 1


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    from forecasting.ground_truth import read_incidents_file
    from forecasting.score import score

    if args.price_episodes:
        return price_main(args)
    try:
        incidents = read_incidents_file(args.incidents, args.db) if args.incidents else None
        replay_id = args.replay_id
        if args.replay_from:
            from forecasting.replay import run_replay

            replay_id = run_replay(args.db, args.replay_from, None, args.replay_step)["replay_id"]
        source = args.incidents.name if args.incidents else "incidents table"
        result = score(args.db, replay_id, incidents, source, save=not args.no_save)
    except (WarehouseError, ValueError) as exc:
        return _failed(args, exc)
    if args.json:
        print(json.dumps(result, default=str))
        return 0
    print(summary_text(result))
    return 0


def price_main(args: argparse.Namespace) -> int:
    """``score --price-episodes``: the real-episode table and the step-split backtest."""
    from forecasting.data import load_values, series_of
    from forecasting.price_episodes import price_episode_table
    from forecasting.step_backtest import step_split, weekly

    try:
        episodes = price_episode_table(args.db, args.replay_id)
        wanted = set(args.commodities.split(",")) if args.commodities else None
        prices = series_of(load_values(args.db), "price")
        series = {f"{r}/{c}": weekly(y) for (r, c), y in prices.items()
                  if wanted is None or c in wanted}  # fmt: skip
        if wanted is not None:
            episodes["table"] = [r for r in episodes["table"] if r["commodity"] in wanted]
            episodes["series"] = [r for r in episodes["series"] if r["commodity"] in wanted]
        if not series:
            raise ValueError("no price series in the warehouse for the chosen commodities")
        result = {"episodes": episodes, "backtest": step_split(series, args.horizon, args.origins)}
    except (WarehouseError, ValueError) as exc:
        return _failed(args, exc)
    if args.json:
        print(json.dumps(result, default=str))
        return 0
    for row in result["episodes"]["table"]:
        lead = "no warning" if row["first_warning"] is None else (
            f"warned {row['first_warning']} ({row['lead_to_mid']:+d} d to mid)"
        )  # fmt: skip
        print(f"{row['commodity']:<30} {row['trough']} → {row['peak']} "
              f"+{row['rise_pct']}%  mid {row['mid']}  {lead}")  # fmt: skip
    print(f"alerts outside every episode: {result['episodes']['alerts_outside']}")
    for group in ("all", "flat", "step"):
        block = result["backtest"][group]
        cells = [f"naive MAE {block['naive']['mae']}"]
        for model, numbers in block.items():
            if isinstance(numbers, dict) and "vs_naive" in numbers:
                dm = numbers["vs_naive"]
                cells.append(f"{model} MAE {numbers['mae']} DM {dm['dm']} p {dm['p_value']}")
        print(f"{group:>5} ({block['weeks']} weeks): " + "; ".join(cells))
    return 0


def _interval(pair: list) -> str:
    return "–" if pair[0] is None else f"[{pair[0]}, {pair[1]}]"


def summary_text(result: dict) -> str:
    """The score as a few readable lines."""
    skill = result["skill"]
    lines = [
        f"replay {result['replay_id']} ({result['date_from']} – {result['date_to']}), "
        f"ground truth: {result['incidents_source']}",
        f"probability of detection: {skill['detected']}/{skill['incidents']} = {skill['pod']} "
        f"90% {_interval(skill['pod_interval'])}",
    ]
    for kind, block in skill["pod_by_kind"].items():
        lines.append(
            f"  {kind:<28} {block['detected']}/{block['incidents']} "
            f"90% {_interval(block['pod_interval'])}"
        )
    lines.append(
        f"median lead: {skill['median_lead_days']} days "
        f"90% {_interval(skill['median_lead_interval'])}"
    )
    for kind, block in skill["false_alarms"].items():
        lines.append(
            f"false-alarm episodes per pair-year ({kind}): {block['per_pair_year']} "
            f"90% {_interval(block['per_pair_year_interval'])} "
            f"({block['false_episodes']} of {block['episodes']} episodes, {block['pairs']} pairs)"
        )
    precision = skill["warning_precision"]
    lines.append(
        f"warning precision: {precision['precision']} 90% {_interval(precision['interval'])}"
    )
    legacy = result["legacy"]
    lines.append(
        f"old numbers: recall {legacy['recall']}, median lead {legacy['median_lead_days']}, "
        f"false-alarm rate {legacy['false_alarm_rate']}"
    )
    for d in skill["details"]:
        lead = "missed" if d["lead_days"] is None else f"lead {d['lead_days']} d"
        lines.append(
            f"  {d['incident_id']:<28} {d['region_code']} {d['commodity']:<14} "
            f"{d['cause_date']} → {d['start_date']} {lead}"
        )
    return "\n".join(lines)
