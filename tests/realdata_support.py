"""Warehouses a real deployment starts with, built through the real commands.

* ``pihps``: the real PIHPS Jambi file only (province-level prices, region 15);
* ``officer``: officer stock reports only: two regencies, one commodity, with gaps, written in
  the officer template's shape (semicolon CSV, Indonesian numbers, dd/mm/yyyy dates);
* ``pihps_officer``: both;
* ``empty``: an initialised warehouse without any fact.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
PIHPS_FILE = Path("pihps_jambi_ifpd") / "pihps_jambi_province_daily_2020_2023.csv"
OFFICER_REGIONS = ("Kota Jambi", "Muaro Jambi")  # BPS 1571, 1505
OFFICER_CODES = ("1571", "1505")
OFFICER_START = dt.date(2023, 9, 4)
OFFICER_END = dt.date(2023, 12, 29)


def run_cli(*args: str, db: Path, timeout: float = 900) -> subprocess.CompletedProcess:
    """``python -m <args>`` against the warehouse ``db`` (raw archives beside it)."""
    env = {**os.environ, "JSW_DB": str(db), "JSW_RAW_DIR": str(db.parent / "raw")}
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def query(db: Path, sql: str) -> list[tuple]:
    """Rows of one read-only query."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _id_number(value: float) -> str:
    """``41250`` -> ``41.250`` (the officer template's Indonesian thousands separator)."""
    return f"{round(value):,}".replace(",", ".")


def officer_rows(region: str, offset: int) -> list[str]:
    """Daily LPG 3 kg reports of one regency with the gaps a real liaison officer leaves.

    Muaro Jambi (offset 1) reports on weekdays only; both skip a fortnight in late October
    (a reporter on leave); Kota Jambi stops reporting distribution in the last 3 days. Stock
    follows stock + deliveries − distribution, so every row passes the consistency check.
    """
    rows = []
    stock = 42_000.0 + 5_000 * offset
    day = OFFICER_START
    while day <= OFFICER_END:
        distribution = 3_100 + 150 * ((day.toordinal() + offset) % 5) + 400 * offset
        delivery = 6_600 + 800 * offset if (day.toordinal() + offset) % 2 == 0 else 0
        if day.month == 12:  # year-end demand outgrows the allocation: cover slides
            delivery *= 0.8
        stock = max(stock + delivery - distribution, 0.0)
        skipped = (offset == 1 and day.weekday() >= 5) or (
            dt.date(2023, 10, 16) <= day <= dt.date(2023, 10, 29)
        )
        if not skipped:
            shown = "" if offset == 0 and day > OFFICER_END - dt.timedelta(days=3) else None
            rows.append(
                ";".join(
                    [
                        day.strftime("%d/%m/%Y"),
                        region,
                        "LPG 3 kg",
                        _id_number(stock),
                        _id_number(distribution) if shown is None else shown,
                        _id_number(delivery),
                        "tabung",
                        "Petugas Penghubung",
                    ]
                )
            )
        day += dt.timedelta(days=1)
    return rows


def write_officer_report(path: Path) -> Path:
    """The officer stock report of both regencies as one template-shaped CSV."""
    header = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"
    lines = [header]
    for offset, region in enumerate(OFFICER_REGIONS):
        lines.extend(officer_rows(region, offset))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(kind: str, folder: Path, realdata: Path | None) -> Path:
    """Build one of the deployment warehouses in ``folder`` through the real commands."""
    db = folder / "warehouse.duckdb"
    if kind == "empty":
        from warehouse.db import init_warehouse

        init_warehouse(db)
        return db
    if kind in ("pihps", "pihps_officer"):
        proc = run_cli("ingest", "file", str(realdata / PIHPS_FILE), "--accept-partial", db=db)
        assert proc.returncode == 0, proc.stderr
    if kind in ("officer", "pihps_officer"):
        report = write_officer_report(folder / "laporan_stok.csv")
        proc = run_cli("ingest", "file", str(report), db=db)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return db
