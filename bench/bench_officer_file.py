"""Time and peak memory of ``python -m ingest file`` on a long officer history (CSV).

Writes stock reports of the 11 Jambi regencies × 4 commodities, one row per day each, in
the stock template's Indonesian form, and loads each file into a fresh warehouse in its own
process; its peak resident memory and CPU time come from ``wait4`` (CPU seconds are the
fairer figure on a busy machine). With ``--whole`` the
same file is also loaded the old way (the upload row limit raised above the file's length, so
the file is read and checked whole before the write), for comparison.

    python bench/bench_officer_file.py                      # 20k, 90.2k and 180k rows
    python bench/bench_officer_file.py --rows 90200 --whole
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"
REGIONS = [
    "Kota Jambi",
    "Muaro Jambi",
    "Tanjab Barat",
    "Tanjab Timur",
    "Batang Hari",
    "Sarolangun",
    "Merangin",
    "Bungo",
    "Tebo",
    "Kerinci",
    "Kota Sungai Penuh",
]
COMMODITIES = [("LPG 3 kg", "tabung", 4000), ("Beras Medium", "ton", 300), ("Pertalite", "kL", 200)]
COMMODITIES.append(("Gula Pasir", "ton", 50))


def write_history(path: Path, rows: int) -> None:
    """``rows`` daily reports from 1 Jan 2012 on (Indonesian dates and numbers)."""
    rng = random.Random(17)
    start = dt.date(2012, 1, 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(HEADER + "\n")
        written, day = 0, 0
        while written < rows:
            date = f"{start + dt.timedelta(days=day):%d/%m/%Y}"
            for region in REGIONS:
                for name, unit, base in COMMODITIES:
                    if written == rows:
                        break
                    stock = round(base * rng.uniform(0.9, 1.1))
                    handle.write(
                        f"{date};{region};{name};{stock:,};{base // 10:,};{base // 10:,};{unit};"
                        "Budi\n".replace(",", ".")
                    )
                    written += 1
            day += 1


def load(path: Path, folder: Path, whole: bool) -> dict[str, object]:
    """One CLI run into a fresh warehouse: seconds, peak RSS (MB) and the run's summary."""
    env = {
        **os.environ,
        "JSW_DB": str(folder / f"bench-{whole}.duckdb"),
        "JSW_RAW_DIR": str(folder / "raw"),
    }
    if whole:
        env["JSW_UPLOAD_MAX_ROWS"] = "10000000"
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest", "file", str(path), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    summary = json.loads(output.decode().strip().splitlines()[-1])
    return {
        "mode": "whole" if whole else "streamed",
        "exit": os.waitstatus_to_exitcode(status),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "status": summary["status"],
        "rows_loaded": summary["rows_loaded"],
        "facts_new": summary.get("facts_new"),
        "chunks": summary.get("chunks"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="rows per file (repeatable)")
    parser.add_argument("--whole", action="store_true", help="also load each file whole")
    args = parser.parse_args(argv)
    print(
        f"{'rows':>8} {'mode':>9} {'seconds':>8} {'CPU s':>7} {'peak MB':>8} {'facts':>8} "
        f"{'chunks':>6}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-officer-") as name:
        folder = Path(name)
        for rows in args.rows or [20_000, 90_200, 180_000]:
            path = folder / f"riwayat_{rows}.csv"
            write_history(path, rows)
            for whole in [False, True] if args.whole else [False]:
                result = load(path, folder, whole)
                assert result["exit"] == 0 and result["rows_loaded"] == rows, result
                print(
                    f"{rows:>8} {result['mode']:>9} {result['seconds']:>8} "
                    f"{result['cpu_seconds']:>7} "
                    f"{result['peak_rss_mb']:>8} {result['facts_new']:>8} "
                    f"{result['chunks'] or '-':>6}",
                    flush=True,
                )
                for leftover in folder.glob("bench-*.duckdb*"):
                    leftover.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
