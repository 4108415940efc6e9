"""Soak: real browser sessions and AppTest renders while ingest and forecasting CLIs write.

    python bench/stress_concurrency.py --minutes 5 [--browsers 3] [--db PATH]

Without ``--db`` a one-year demo warehouse of all regions is built and forecast once in a temp
folder. Writers: officer reports (``python -m ingest file``) back to back and a restricted
``python -m forecasting run`` every other round. Readers: ``--browsers`` headless chromium
sessions cycling through the pages of a ``streamlit run app.py`` server (a render fails on a
Streamlit exception element or a page that never shows its title), plus AppTest renders.
The forecasting writer is restricted to 2 regions x LPG so that runs follow each other quickly.
Prints runs, renders, failures and the worst wait; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_support import CHROMIUM_ARGS, free_port  # noqa: E402
from hostile.integrity import check_warehouse  # noqa: E402
from hostile.stress import CliWriters  # noqa: E402

PAGE_PATHS = ("/", "/kabupaten", "/komoditas", "/kesehatan_data", "/peringatan")


def build_warehouse(folder: Path) -> Path:
    from datetime import date

    from demo.build import build_demo

    db = folder / "warehouse.duckdb"
    build_demo(db, seed=7, years=1, end=date(2026, 11, 20))
    subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--json", "--db", str(db)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return db


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "JSW_DB": str(db), "JSW_STALE_DAYS": "100000"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"streamlit did not start, see {log}")


def browser_reader(
    url: str, stop: threading.Event, waits: list[float], failures: list[str]
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        round_no = 0
        while not stop.is_set():
            path = PAGE_PATHS[round_no % len(PAGE_PATHS)]
            round_no += 1
            started = time.monotonic()
            try:
                page.goto(url + path, wait_until="domcontentloaded", timeout=60_000)
                page.wait_for_selector("h1", timeout=60_000)
                page.wait_for_timeout(500)
                if page.get_by_test_id("stException").count():
                    failures.append(f"browser {path}: exception element")
            except Exception as exc:  # noqa: BLE001 - counted as a failed render
                failures.append(f"browser {path}: {exc.__class__.__name__}: {str(exc)[:200]}")
            waits.append(time.monotonic() - started)
        browser.close()


def apptest_reader(
    db: Path, stop: threading.Event, waits: list[float], failures: list[str]
) -> None:
    from streamlit.testing.v1 import AppTest

    pages = [
        "pages/ringkasan.py",
        "pages/kabupaten.py",
        "pages/komoditas.py",
        "pages/kesehatan_data.py",
    ]
    os.environ["JSW_DB"] = str(db)
    os.environ["JSW_STALE_DAYS"] = "100000"
    round_no = 0
    while not stop.is_set():
        page = pages[round_no % len(pages)]
        round_no += 1
        started = time.monotonic()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page(page).run()
        waits.append(time.monotonic() - started)
        if at.exception or at.error:
            failures.append(f"apptest {page}: {[e.value for e in at.exception][:1]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--browsers", type=int, default=2)
    parser.add_argument("--db", type=Path, help="warehouse to copy (default: build one)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jsw-stress-"))
    db = folder / "warehouse.duckdb"
    if args.db:
        shutil.copyfile(args.db, db)
    else:
        build_warehouse(folder)
    server, url = start_server(db, folder / "streamlit.log")
    stop = threading.Event()
    browser_waits: list[float] = []
    app_waits: list[float] = []
    failures: list[str] = []
    readers = [
        threading.Thread(target=browser_reader, args=(url, stop, browser_waits, failures))
        for _ in range(args.browsers)
    ]
    readers.append(threading.Thread(target=apptest_reader, args=(db, stop, app_waits, failures)))
    try:
        with CliWriters(db, folder) as writers:
            for reader in readers:
                reader.start()
            time.sleep(args.minutes * 60)
            stop.set()
            for reader in readers:
                reader.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    runs = writers.results
    integrity = check_warehouse(db)
    print(
        f"duration            {args.minutes:.1f} min, {args.browsers} browser session(s) + AppTest"
    )
    print(
        f"writer runs         {len(runs)} ({sum(r[0] == 'ingest' for r in runs)} ingest, "
        f"{sum(r[0] == 'forecasting' for r in runs)} forecasting), failed {len(writers.failures)}"
    )
    for label, waits in (("browser renders", browser_waits), ("AppTest renders", app_waits)):
        if waits:
            print(
                f"{label:<19} {len(waits)}, median {statistics.median(waits):.2f} s, worst {max(waits):.2f} s"
            )
    print(f"failed renders      {len(failures)}")
    for failure in failures[:10]:
        print(f"  ! {failure}")
    print(f"warehouse integrity {'ok' if integrity.ok else integrity.problems}")
    return 0 if not failures and not writers.failures and integrity.ok else 1


if __name__ == "__main__":
    sys.exit(main())
