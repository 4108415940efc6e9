"""``python -m reports weekly [options]``: the weekly export for the governor's office.

Exit codes: 0 written; 2 bad option; 3 data too old (stale); 4 no warehouse or no data;
5 warehouse busy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable

from reports import settings
from reports.export import write_export
from reports.weeks import IsoWeek, parse_week, week_of

EXIT_OK, EXIT_USAGE, EXIT_STALE, EXIT_NO_DATA, EXIT_BUSY = 0, 2, 3, 4, 5


def weekly_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reports weekly",
        description="Ekspor mingguan untuk rapat pengendalian inflasi / weekly export.",
    )
    parser.add_argument(
        "--week",
        help="ISO week YYYY-Www, or 'previous' = the week before --today's week"
        " (default: the last complete week of the data)",
    )
    parser.add_argument("--out", help="output folder (default: JSW_REPORT_DIR or exports/weekly)")
    parser.add_argument("--dialect", choices=["standard", "excel-id"], default="standard")
    parser.add_argument("--format", dest="fmt", choices=["csv", "xlsx"], default="csv")
    parser.add_argument(
        "--price-days", help="weekdays whose prices count, e.g. mon-wed (default) or mon-sun"
    )
    parser.add_argument(
        "--allow-stale", action="store_true", help="export even when the data is too old"
    )
    parser.add_argument("--stale-days", type=int, help="staleness limit in days (JSW_STALE_DAYS)")
    parser.add_argument("--brief", action="store_true", help="also write the one-page HTML brief")
    parser.add_argument("--db", help="warehouse path (default: JSW_DB or data/warehouse.duckdb)")
    parser.add_argument("--today", help="reference date YYYY-MM-DD for staleness (default: today)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the result")
    return parser


def parse_today(text: str | None) -> dt.date | None:
    """``--today YYYY-MM-DD`` with a clear message when malformed."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"Tanggal --today tidak valid / invalid --today date: {text!r} (YYYY-MM-DD)"
        ) from None


def chosen_week(text: str | None, today: dt.date) -> IsoWeek | None:
    """``--week``: ``YYYY-Www``, ``previous`` (the ISO week before today's), or None (default)."""
    if not text:
        return None
    if text.strip().lower() == "previous":
        return week_of(today).shifted(-1)
    return parse_week(text)


def _fail(code: int, error: str, message: str, as_json: bool, **extra: object) -> int:
    if as_json:
        print(json.dumps({"ok": False, "error": error, "message": message, **extra}))
    print(message, file=sys.stderr)
    return code


def run_weekly(argv: list[str]) -> int:
    """Parse options, build and write the export, report the result."""
    args = weekly_parser().parse_args(argv)
    try:
        today = parse_today(args.today)
        week = chosen_week(args.week, today or dt.date.today())
        price_days = settings.price_days_setting(args.price_days)
        stale_days = settings.stale_days_setting(args.stale_days)
    except ValueError as exc:
        return _fail(EXIT_USAGE, "usage", str(exc), args.json)
    from services.weekly import ExportBusy, NoExportData, StaleExport, WeeklyRequest, prepare_weekly

    request = WeeklyRequest(
        week, args.dialect, args.fmt, args.allow_stale, args.brief, today, price_days, stale_days
    )
    try:
        export = prepare_weekly(args.db, request)
    except StaleExport as exc:
        return _fail(
            EXIT_STALE,
            "stale",
            str(exc),
            args.json,
            data_as_of=exc.data_as_of.isoformat(),
            age_days=exc.age_days,
            stale=True,
        )
    except NoExportData as exc:
        return _fail(EXIT_NO_DATA, "no_data", str(exc), args.json)
    except ExportBusy as exc:
        return _fail(EXIT_BUSY, "busy", str(exc), args.json)
    written = write_export(
        export, settings.out_dir_setting(args.out), args.dialect, args.fmt, args.brief
    )
    result = {
        "ok": True,
        "week": export.week.label,
        "files": [str(path) for path in written.files],
        "rows": written.manifest["rows"],
        "stale": export.stale,
        "data_as_of": export.data_as_of.isoformat(),
        "manifest": str(written.manifest_path),
        "archive": str(written.archive_dir),
        "status_run_id": export.status_run_id,
        "notes": export.notes,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Minggu / week {result['week']} (data per / as of {result['data_as_of']})")
        for path in written.files:
            print(f"  {path}")
        print(f"  {written.manifest_path}")
        if export.stale:
            print("PERHATIAN / WARNING: data lama (stale) – files are flagged stale=1")
    return EXIT_OK


COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "weekly": (run_weekly, "weekly export for the Monday inflation-control meeting"),
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        lines = ["usage: python -m reports COMMAND [options]", "", "commands:"]
        lines += [f"  {name:<10} {text}" for name, (_, text) in COMMANDS.items()]
        print("\n".join(lines))
        return EXIT_OK if args else EXIT_USAGE
    command, rest = args[0], args[1:]
    if command not in COMMANDS:
        print(f"Unknown command: {command}. Commands: {', '.join(COMMANDS)}", file=sys.stderr)
        return EXIT_USAGE
    return COMMANDS[command][0](rest)


if __name__ == "__main__":
    sys.exit(main())
