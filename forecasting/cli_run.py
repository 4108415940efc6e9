"""``python -m forecasting run``: one forecasting run (or a historical replay) on the warehouse."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys

from warehouse.db import WarehouseError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m forecasting run",
        description="Forecast every series, compute statuses, signals and alerts, and write one run.",
    )
    p.add_argument("--regions", help="comma-separated BPS codes (default: all)")
    p.add_argument("--commodities", help="comma-separated commodity codes (default: all)")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    p.add_argument(
        "--scheduler",
        help="Dask scheduler address (e.g. tcp://10.0.0.5:8786): fit the series on that cluster",
    )
    p.add_argument(
        "--refit",
        action="store_true",
        help="re-estimate every series (default: re-filter parameters estimated in the last"
        " 7 days; each series is re-estimated weekly on its own day)",
    )
    p.add_argument("--db", help="warehouse path (default: JSW_DB or data/warehouse.duckdb)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument(
        "--replay-from",
        type=dt.date.fromisoformat,
        help="replay alerts as of past dates from this date (YYYY-MM-DD) to the last data date",
    )
    p.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="run on what was known at the end of this past day (YYYY-MM-DD), as the replay does",
    )
    p.add_argument("--replay-to", type=dt.date.fromisoformat, help="last replay date")
    p.add_argument(
        "--replay-step",
        type=int,
        default=1,
        help="days between replay dates (default 1: every day, as the daily run would)",
    )
    return p


def _split(text: str | None) -> list[str] | None:
    return [part.strip() for part in text.split(",") if part.strip()] if text else None


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    regions, commodities = _split(args.regions), _split(args.commodities)
    try:
        if args.replay_from:
            from forecasting.replay import run_replay

            summary = run_replay(
                args.db, args.replay_from, args.replay_to, args.replay_step, regions, commodities
            )
        else:
            summary = _run(args, regions, commodities)
    except ValueError as exc:
        from forecasting.data import NoDataError

        if not isinstance(exc, NoDataError):
            return _failed(exc, args.json)
        # an empty warehouse is a normal first day, not a failure: say so and write nothing
        if args.json:
            print(json.dumps({"status": "no_data", "message": str(exc)}))
        print(f"Nothing to forecast: {exc}", file=sys.stderr)
        return 0
    except WarehouseError as exc:
        return _failed(exc, args.json)
    if args.json:
        print(json.dumps(summary))
    else:
        for key, value in summary.items():
            print(f"{key:>12}: {value}")
    return 0


def _failed(exc: Exception, as_json: bool) -> int:
    """Print the failure (JSON on stdout when asked, words on stderr) and return exit code 1."""
    if as_json:
        print(json.dumps({"status": "failed", "error": str(exc)}))
    print(f"Forecast run failed: {exc}", file=sys.stderr)
    return 1


def _run(args: argparse.Namespace, regions, commodities) -> dict:
    from forecasting.batch import run_batch

    bar = None
    progress = None
    if args.json:

        def progress(done: int, total: int) -> None:
            print(json.dumps({"step": "series", "done": done, "total": total}), flush=True)

    else:
        from tqdm import tqdm

        bar = tqdm(total=0, desc="series", unit="series", file=sys.stderr)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

    try:
        outcome = run_batch(
            args.db, regions, commodities, max(1, args.workers), progress, args.scheduler,
            args.as_of, args.refit,
        )  # fmt: skip
    finally:
        if bar is not None:
            bar.close()
    summary = outcome.summary()
    summary["n_alerts"] = outcome.alerts.n_touched
    return summary
