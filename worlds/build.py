"""Build a world's files and load them the way a deployment does (``python -m ingest file``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Unpack

import pandas as pd

from worlds.reports import write_reports
from worlds.world import World, WorldOptions, build_world


def truth_frame(world: World) -> pd.DataFrame:
    """The simulated daily truth of every depot (long form)."""
    frames = []
    for (region, commodity), truth in world.truth.items():
        frames.append(
            pd.DataFrame(
                {
                    "date": world.dates.date,
                    "region_code": region,
                    "commodity": commodity,
                    "stock": truth.stock,
                    "distribution": truth.distribution,
                    "delivery": truth.delivery,
                    "demand": truth.demand.round(3),
                    "planned": world.depots[(region, commodity)].planned.round(3),
                    "supply_mult": world.depots[(region, commodity)].supply_mult.round(3),
                    "demand_mult": world.depots[(region, commodity)].demand_mult.round(3),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def import_file(path: Path, db: Path, raw_dir: Path) -> dict:
    """``python -m ingest file PATH --accept-partial --json --db DB``; the run's JSON.

    The uploaded files are archived under ``raw_dir`` (``JSW_RAW_DIR``), beside the world.
    """
    env = {**os.environ, "JSW_RAW_DIR": str(raw_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "file", str(path), "--accept-partial", "--json",
         "--db", str(db)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"import of {path.name} failed: {done.stdout}{done.stderr}")
    return json.loads(done.stdout)


def build(
    out: Path,
    db: Path | None,
    seed: int,
    end: dt.date,
    **options: Unpack[WorldOptions],
) -> dict:
    """Write the officer files and ground truth to ``out``; import the files into ``db``.
    ``options`` are :func:`build_world`'s (days, regions, commodities, incidents)."""
    world = build_world(seed, end, **options)
    out.mkdir(parents=True, exist_ok=True)
    paths = write_reports(world, seed, out / "laporan")
    world.incidents.to_csv(out / "incidents.csv", index=False)
    world.absorbed.to_csv(out / "absorbed.csv", index=False)
    truth_frame(world).to_csv(out / "truth_daily.csv", index=False)
    summary = {
        "seed": seed,
        "incidents": len(world.incidents),
        "absorbed": len(world.absorbed),
        "sparse_regions": sorted(world.sparse_regions),
        "files": len(paths),
        "date_from": world.dates[0].date().isoformat(),
        "date_to": world.dates[-1].date().isoformat(),
        "incidents_file": str(out / "incidents.csv"),
    }
    if db is not None:
        runs = [import_file(path, db, out / "raw") for path in paths]
        summary |= {
            "db": str(db),
            "rows_loaded": sum(int(r.get("rows_loaded", 0)) for r in runs),
            "rows_rejected": sum(int(r.get("rows_rejected", 0)) for r in runs),
        }
    return summary
