"""Dashboard readiness in a real browser, as a ratio to a bare one-chart Streamlit page.

Two Streamlit servers run side by side: the dashboard (``app.py`` on ``--db``) and a bare
app holding one plotly line chart. Headless chromium (Playwright) opens each page in a fresh
browser context; a page is *ready* when the Streamlit script has finished and the page has
been quiet for ``QUIET_MS``; its readiness time is when the last plotly chart was drawn
(or, on a page without charts, the last change of the main area), measured from navigation
start. Bare and dashboard pages alternate, so machine load hits both alike.

Also measured: the rerun after a widget change (the Kabupaten commodity select box: from the
click on an option to the last chart redrawn), and the dashboard server's resident memory.

python bench/bench_dashboard.py --db WAREHOUSE [--repeat 3] [--reruns 12] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402

QUIET_MS = 1500
TIMEOUT_S = 120
BARE_APP = '''"""A bare Streamlit page with one plotly chart (the benchmark's yardstick)."""
import numpy as np
import pandas as pd
import plotly.express as px
import streamlit as st

st.set_page_config(layout="wide")
st.title("Bare page")
days = pd.date_range("2024-01-01", periods=365)
frame = pd.DataFrame({"date": days, "value": np.cumsum(np.random.default_rng(1).normal(size=365))})
st.plotly_chart(px.line(frame, x="date", y="value"), key="bare_chart")
'''
# Records, relative to navigation start, the last time a plotly chart drew and the last time
# anything in the main area changed.
WATCH_SCRIPT = """
(() => {
  window.__jsw = {lastChart: 0, lastChange: 0};
  const observer = new MutationObserver((records) => {
    const now = performance.now();
    window.__jsw.lastChange = now;
    for (const record of records) {
      const target = record.target;
      if (target.closest && target.closest('.js-plotly-plot')) { window.__jsw.lastChart = now; }
      for (const node of record.addedNodes) {
        if (node.nodeType === 1 && (node.classList.contains('main-svg') ||
            (node.querySelector && node.querySelector('.main-svg')))) {
          window.__jsw.lastChart = now;
        }
      }
    }
  });
  const start = () => observer.observe(document.documentElement,
      {childList: true, subtree: true, attributes: true});
  if (document.documentElement) { start(); } else { addEventListener('DOMContentLoaded', start); }
})();
"""
STATE_SCRIPT = """() => ({
  now: performance.now(),
  lastChart: window.__jsw.lastChart,
  lastChange: window.__jsw.lastChange,
  running: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'),
  charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  drawn: document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg').length,
  exception: !!document.querySelector('[data-testid="stException"]'),
  app: !!document.querySelector('[data-testid="stAppViewContainer"]'),
})"""


def wait_ready(tab, since_ms: float = 0.0) -> dict:
    """Poll until the script finished and the page has been quiet; return the last state."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        tab.wait_for_timeout(250)
        state = tab.evaluate(STATE_SCRIPT)
        drawn_all = state["drawn"] >= state["charts"]
        quiet = state["now"] - max(state["lastChange"], since_ms) >= QUIET_MS
        if state["app"] and not state["running"] and drawn_all and quiet:
            return state
    raise TimeoutError(f"{tab.url} not ready within {TIMEOUT_S} s: {state}")


def ready_ms(state: dict, since_ms: float = 0.0) -> float:
    """Readiness: last chart drawn, or last change on a page without charts."""
    mark = state["lastChart"] if state["charts"] else state["lastChange"]
    return max(mark, since_ms) - since_ms


def open_page(browser, url: str) -> tuple[float, dict]:
    """(readiness ms, final state) of ``url`` in a fresh browser context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    try:
        tab = context.new_page()
        tab.add_init_script(WATCH_SCRIPT)
        tab.goto(url, wait_until="commit")
        state = wait_ready(tab)
        return ready_ms(state), state
    finally:
        context.close()


def widget_reruns(browser, url: str, reruns: int) -> list[float]:
    """Milliseconds from picking another commodity to the last chart redrawn, per change."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
    times: list[float] = []
    try:
        tab = context.new_page()
        tab.add_init_script(WATCH_SCRIPT)
        tab.goto(url, wait_until="commit")
        wait_ready(tab)
        box = tab.get_by_test_id("stSelectbox").nth(1)  # region, then commodity
        for index in range(reruns):
            box.click()
            options = tab.get_by_role("option")
            options.first.wait_for()
            choice = options.nth((index + 1) % options.count())
            clicked = tab.evaluate("() => performance.now()")
            choice.click()
            state = wait_ready(tab, since_ms=clicked)
            times.append(ready_ms(state, since_ms=clicked))
    finally:
        context.close()
    return times


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, MB."""
    import psutil

    process = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [process, *process.children(recursive=True)]) / 1e6


def page_paths() -> list[str]:
    """URL paths of the dashboard's pages (those whose files exist)."""
    from ui.navigation import available_pages

    return [url for _, _, url in available_pages()]


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def run(db: Path, repeat: int, reruns: int, workdir: Path) -> dict:
    """Every measurement of this benchmark, as one dict."""
    from playwright.sync_api import sync_playwright

    bare = workdir / "bare_app.py"
    bare.write_text(BARE_APP)
    env = {**os.environ, "JSW_DB": str(db), "JSW_STALE_DAYS": "100000"}
    pages = page_paths()
    samples: dict[str, list[float]] = {path: [] for path in ["bare", *pages]}
    errors: dict[str, bool] = {}
    memory: list[float] = []
    with ExitStack() as stack:
        bare_url, _ = stack.enter_context(streamlit_server(bare, env, workdir / "bare.log"))
        app_url, app = stack.enter_context(
            streamlit_server(ROOT / "app.py", env, workdir / "app.log")
        )
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for path in pages:  # warm-up: first imports, caches, compiled scripts
            open_page(browser, f"{app_url}/{path}")
        open_page(browser, bare_url)
        memory.append(rss_mb(app.pid))
        for _ in range(repeat):
            for path in pages:
                samples["bare"].append(open_page(browser, bare_url)[0])
                elapsed, state = open_page(browser, f"{app_url}/{path}")
                samples[path].append(elapsed)
                errors[path] = errors.get(path, False) or state["exception"]
                memory.append(rss_mb(app.pid))
        region = _first_region(db)
        rerun_ms = widget_reruns(browser, f"{app_url}/kabupaten?region={region}", reruns)
        memory.append(rss_mb(app.pid))
    bare_ms = statistics.median(samples["bare"])
    rows = [
        {
            "page": path,
            "median_ms": statistics.median(samples[path]),
            "ratio": statistics.median(samples[path]) / bare_ms,
            "exception": errors.get(path, False),
        }
        for path in pages
    ]
    return {
        "db": str(db),
        "db_gb": db.stat().st_size / 1e9,
        "bare_ms": bare_ms,
        "pages": rows,
        "rerun_ms": rerun_ms,
        "rerun_p50_ms": statistics.median(rerun_ms),
        "rerun_p95_ms": p95(rerun_ms),
        "server_rss_mb": max(memory),
        "load_average": os.getloadavg()[0],
    }


def _first_region(db: Path) -> str:
    from warehouse.db import read_df

    frame = read_df("SELECT min(region_code) AS code FROM statuses", path=db)
    return str(frame["code"].iloc[0]) if frame["code"].notna().all() else "1571"


def table(result: dict) -> str:
    """Markdown table of one result."""
    lines = [
        f"warehouse {result['db_gb']:.2f} GB; bare one-chart page {result['bare_ms']:,.0f} ms "
        f"(median); load average {result['load_average']:.1f}",
        "",
        "| page | median ready ms | ratio to bare page | exception shown |",
        "|---|---:|---:|---|",
    ]
    for row in result["pages"]:
        lines.append(
            f"| {row['page']} | {row['median_ms']:,.0f} | {row['ratio']:.2f}x | "
            f"{'yes' if row['exception'] else 'no'} |"
        )
    lines.append(
        f"\nwidget change (Kabupaten commodity) rerun: p50 {result['rerun_p50_ms']:,.0f} ms, "
        f"p95 {result['rerun_p95_ms']:,.0f} ms over {len(result['rerun_ms'])} changes; "
        f"dashboard server resident memory (peak seen): {result['server_rss_mb']:,.0f} MB"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="warehouse with a forecast run")
    parser.add_argument("--repeat", type=int, default=3, help="visits per page (median)")
    parser.add_argument("--reruns", type=int, default=12, help="widget changes for the p95")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="jsw-dash-") as tmp:
        result = run(args.db, args.repeat, args.reruns, Path(tmp))
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
