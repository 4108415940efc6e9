"""``python -m worlds build``: an evaluation world loaded through the officer-file import.

Writes ``OUT/laporan/*.csv`` (officer stock reports, one file per month of arrival),
``OUT/incidents.csv`` (ground truth, for ``python -m forecasting score --incidents``),
``OUT/absorbed.csv`` (disruptions the depots absorbed) and ``OUT/truth_daily.csv``, and
imports the reports into ``--db`` with ``python -m ingest file PATH --accept-partial``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from worlds.build import build


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m worlds build", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True, help="folder for the files")
    p.add_argument("--db", type=Path, help="warehouse to import into (omit: files only)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2026, 11, 20))
    p.add_argument("--days", type=int, default=730)
    p.add_argument("--regions", help="comma-separated BPS codes (default: all 11)")
    p.add_argument("--commodities", help="comma-separated codes (default: all five)")
    p.add_argument("--no-incidents", action="store_true", help="the same world, undisturbed")
    return p


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "build":
        print("usage: python -m worlds build --out DIR [--db PATH] [--seed N] ...", file=sys.stderr)
        return 2
    opts = parser().parse_args(args[1:])
    split = lambda text: text.split(",") if text else None  # noqa: E731
    summary = build(opts.out, opts.db, opts.seed, opts.end, days=opts.days,
                    regions=split(opts.regions), commodities=split(opts.commodities),
                    incidents=not opts.no_incidents)  # fmt: skip
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
