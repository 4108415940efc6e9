"""Writers that keep replacing the warehouse while pages are read.

Shared by ``tests/test_reliability_concurrency.py`` and ``bench/stress_concurrency.py``.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hostile.crash import ROOT, cli_env

PROBE_REGIONS = ("1501", "1502", "1503", "1504", "1505")
PROBE_START = dt.date(2020, 1, 1)
PROBE_SCRIPT = """
import os
import time

import streamlit as st

from ui.data import load, pin_snapshot
from warehouse import queries

pin_snapshot()
n_facts = load(queries.freshness)["n_facts"]
time.sleep(float(os.environ.get("JSW_PROBE_PAUSE", "0.3")))
latest_ingest = load(queries.data_version).split("|")[0]
st.write(f"{n_facts}|{latest_ingest}")
"""


def probe_run_id(k: int) -> str:
    return f"probe-{k:05d}"


def probe_facts(k: int) -> pd.DataFrame:
    """The facts written by probe run ``k``: one price per probe region on day ``k``."""
    day = PROBE_START + dt.timedelta(days=k)
    return pd.DataFrame(
        {
            "date": [day] * len(PROBE_REGIONS),
            "region_code": list(PROBE_REGIONS),
            "commodity": "lpg_3kg",
            "metric": "price",
            "value": 18000.0 + k,
            "unit": "Rp/tabung",
        }
    )


@dataclass
class ProbeWriter:
    """A thread committing probe runs back to back: run k adds exactly len(PROBE_REGIONS) facts."""

    db: Path
    base_facts: int
    runs: int = 0
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def expected_facts(self, run_id: str) -> int | None:
        if not run_id.startswith("probe-"):
            return self.base_facts
        return self.base_facts + (int(run_id.split("-")[1]) + 1) * len(PROBE_REGIONS)

    def loop(self) -> None:
        from ingest.loader import RunLog, commit_run
        from ingest.runner import utc_now

        while not self.stop.is_set():
            k = self.runs
            try:
                commit_run(
                    RunLog(probe_run_id(k), "sp2kp", utc_now()),
                    probe_facts(k),
                    [],
                    path=str(self.db),
                )
                self.runs += 1
            except Exception as exc:  # noqa: BLE001 - counted as a failed run
                self.errors.append(repr(exc))

    def __enter__(self) -> ProbeWriter:
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)


@dataclass
class CliWriters:
    """Background writers: officer reports and forecasting runs as real CLI subprocesses."""

    db: Path
    workdir: Path
    forecast_args: tuple[str, ...] = (
        "--regions",
        "1571,1505",
        "--commodities",
        "lpg_3kg",
        "--workers",
        "1",
    )
    results: list[tuple[str, int, float]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def _report(self, k: int) -> Path:
        path = self.workdir / f"laporan_{k}.csv"
        day = dt.date(2026, 1, 1) + dt.timedelta(days=k)
        path.write_text(
            "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan\n"
            f"{day:%d/%m/%Y};Kota Jambi;LPG 3 kg;{15000 + k};800;800;tabung\n"
            f"{day:%d/%m/%Y};Muaro Jambi;LPG 3 kg;{9000 + k};500;500;tabung\n",
            encoding="utf-8",
        )
        return path

    def _run(self, label: str, args: list[str]) -> None:
        env = cli_env(self.db, self.workdir / "raw")
        started = time.monotonic()
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        self.results.append((label, done.returncode, time.monotonic() - started))
        if done.returncode != 0:
            self.results[-1] = (
                f"{label}: {done.stderr[-500:]}",
                done.returncode,
                self.results[-1][2],
            )

    def loop(self) -> None:
        import sys

        k = 0
        while not self.stop.is_set():
            report = self._report(k)
            self._run(
                "ingest",
                [sys.executable, "-m", "ingest", "file", str(report), "--json", "--user", "stress"],
            )
            if k % 2 == 0 and not self.stop.is_set():
                self._run(
                    "forecasting",
                    [sys.executable, "-m", "forecasting", "run", "--json", *self.forecast_args],
                )
            k += 1

    @property
    def failures(self) -> list[tuple[str, int, float]]:
        return [r for r in self.results if r[1] != 0]

    def __enter__(self) -> CliWriters:
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=900)
