"""Kill a writing CLI with SIGKILL at random points and check the warehouse afterwards.

Shared by ``tests/test_reliability_crash.py`` (20 kills per CLI) and
``bench/crash_safety.py`` (the long soak).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from hostile.integrity import check_warehouse, leftover_copies

ROOT = Path(__file__).resolve().parents[2]
SMALL_DEMO = {"seed": 7, "years": 1, "end": dt.date(2026, 11, 20), "regions": 2, "commodities": 2}
OFFICER_REGIONS = ("Kerinci", "Merangin", "Kota Jambi", "Muaro Jambi")


def build_small_warehouse(path: Path) -> Path:
    """A one-year demo warehouse of 2 regions x 2 commodities (about 4 MB)."""
    from demo.build import build_demo

    build_demo(path, **SMALL_DEMO)
    return path


def write_officer_report(path: Path, days: int = 120) -> int:
    """A valid officer stock report; returns how many facts it holds."""
    lines = ["tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"]
    start = dt.date(2026, 6, 1)
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        for region in OFFICER_REGIONS:
            lines.append(f"{day:%d/%m/%Y};{region};LPG 3 kg;{20000 + offset};900;900;tabung;Budi")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return days * len(OFFICER_REGIONS) * 3


def cli_command(kind: str, db: Path, report: Path) -> list[str]:
    """The writing command for ``kind`` ('ingest' or 'forecasting')."""
    if kind == "ingest":
        return [sys.executable, "-m", "ingest", "file", str(report), "--json", "--user", "budi"]
    return [sys.executable, "-m", "forecasting", "run", "--workers", "1", "--json"]


def cli_env(db: Path, raw_dir: Path) -> dict[str, str]:
    env = dict(os.environ, JSW_DB=str(db), JSW_RAW_DIR=str(raw_dir), OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = str(ROOT)
    return env


@dataclass
class KillReport:
    """What a series of kills did and found."""

    kills: int = 0
    during_write: int = 0
    finished_before_kill: int = 0
    problems: list[str] = field(default_factory=list)
    leftovers_seen: int = 0


def own_copy(db: Path, pid: int) -> Path:
    """The working copy a writer with process id ``pid`` uses."""
    return db.with_name(f"{db.name}.tmp-{pid}")


def _wait_for_copy(db: Path, process: subprocess.Popen, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if own_copy(db, process.pid).exists():
            return True
        time.sleep(0.003)
    return False


def kill_once(
    command: list[str],
    env: dict[str, str],
    db: Path,
    rng: random.Random,
    in_write: bool,
    max_delay: float,
) -> tuple[bool, bool]:
    """Start ``command``, SIGKILL its process group; returns (killed, its own working copy
    existed at the kill, i.e. the kill landed inside the write)."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    if in_write:
        _wait_for_copy(db, process, limit=120.0)
        time.sleep(rng.uniform(0.0, 0.05))
    else:
        time.sleep(rng.uniform(0.05, max_delay))
    copy_present = own_copy(db, process.pid).exists()
    killed = process.poll() is None
    if killed:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return killed, copy_present


def kill_series(
    kind: str,
    db: Path,
    report: Path,
    raw_dir: Path,
    kills: int,
    seed: int = 1,
    max_delay: float = 3.0,
) -> KillReport:
    """``kills`` SIGKILLs of the ``kind`` CLI (half of them inside the write), checking after each."""
    rng = random.Random(seed)
    env = cli_env(db, raw_dir)
    command = cli_command(kind, db, report)
    outcome = KillReport()
    for attempt in range(kills):
        killed, copy_present = kill_once(command, env, db, rng, attempt % 2 == 1, max_delay)
        outcome.kills += killed
        outcome.finished_before_kill += not killed
        outcome.during_write += killed and copy_present
        outcome.leftovers_seen += bool(leftover_copies(db))
        found = check_warehouse(db)
        if not found.ok:
            outcome.problems.append(f"kill {attempt}: {found.problems}")
    return outcome


def run_to_completion(
    kind: str, db: Path, report: Path, raw_dir: Path
) -> subprocess.CompletedProcess:
    """The next run after the kills, left to finish."""
    return subprocess.run(
        cli_command(kind, db, report),
        cwd=ROOT,
        env=cli_env(db, raw_dir),
        capture_output=True,
        text=True,
        timeout=900,
    )
