"""Dashboard speed in a real browser, as a ratio to a bare Streamlit page, in one run.

Two Streamlit servers run side by side: the dashboard (``app.py`` on ``--db``) and a bare
app holding one select box and one plotly line chart. Headless chromium (Playwright) opens
each page in a fresh browser context; a page is *ready* when the Streamlit script has
finished and the page has been quiet for ``QUIET_MS``; its readiness time is when the last
plotly chart was drawn (or, on a page without charts, the last change of the main area),
measured from navigation start. Bare and dashboard pages alternate, so machine load hits
both alike.

Measured side by side:

* page ready: the bare page against the landing page (``/``), Komoditas (``--samples``
  visits each, p50/p95) and every other page (``--repeat`` visits, median);
* widget rerun: from the click on another option of a select box to the last chart redrawn,
  on the bare page (its one select box) and on Kabupaten/Kota (the commodity select box),
  ``--reruns`` changes each, alternating, p50/p95;
* what one widget change sends: the websocket messages the browser receives per change
  (median count and kB, and the time from the click to the last of them: the rest of the
  rerun time is the browser drawing) on both pages, and per element type on the last
  Kabupaten change;
* the load average (1 minute) at the start, in the middle and at the end, and the dashboard
  server's resident memory.

python bench/bench_dashboard.py --db WAREHOUSE [--repeat 3] [--samples 20] [--reruns 20]
    [--only widget] [--json]

``--only widget`` measures the widget changes alone (a few minutes instead of the full run):
both servers start, every dashboard page is opened once to warm it, then only the select
box changes are timed. ``--against DIR`` starts a third server from another checkout of the
dashboard (e.g. main's code) on a copy of the warehouse and times its commodity change in
the same loop, so both codes and the bare page share one load.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

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
choice = st.selectbox("Series", options=list(range(8)), key="bare_series")
days = pd.date_range("2024-01-01", periods=365)
values = np.cumsum(np.random.default_rng(choice).normal(size=365))
frame = pd.DataFrame({"date": days, "value": values})
st.plotly_chart(px.line(frame, x="date", y="value"), key="bare_chart")
'''
# Records, relative to navigation start, the last time a plotly chart drew and the last time
# anything in the main area changed.
WATCH_SCRIPT = """
(() => {
  window.__jsw = {lastChart: 0, lastChange: 0, lastMessage: 0};
  const NativeSocket = window.WebSocket;
  window.WebSocket = function (...args) {
    const socket = new NativeSocket(...args);
    socket.addEventListener('message', () => { window.__jsw.lastMessage = performance.now(); });
    return socket;
  };
  window.WebSocket.prototype = NativeSocket.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
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
  lastMessage: window.__jsw.lastMessage,
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


def message_kind(payload: bytes | str) -> str:
    """What one websocket message from Streamlit carries: the element type of a new element
    (``plotly_chart``, ``metric``...), else the message type (``add_block``, ``script_finished``)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return "text"
    message = ForwardMsg()
    message.ParseFromString(payload)
    kind = message.WhichOneof("type")
    if kind != "delta":
        return str(kind)
    delta = message.delta.WhichOneof("type")
    return message.delta.new_element.WhichOneof("type") if delta == "new_element" else str(delta)


def message_breakdown(frames: list[bytes | str]) -> dict[str, dict[str, float]]:
    """Count and kB of the messages per kind (see ``message_kind``), largest first."""
    rows: dict[str, dict[str, float]] = {}
    for payload in frames:
        row = rows.setdefault(message_kind(payload), {"n": 0, "kb": 0.0})
        row["n"] += 1
        row["kb"] += len(payload) / 1000
    return dict(sorted(rows.items(), key=lambda item: -item[1]["kb"]))


class SelectRerun:
    """One open page whose ``nth`` select box is changed again and again; the websocket
    messages the browser receives for each change are kept in ``frames``."""

    def __init__(self, browser, url: str, nth: int) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="id-ID")
        self.tab = self.context.new_page()
        self.frames: list[bytes | str] = []
        self.sent: list[tuple[int, float]] = []  # (messages, kB) per change
        self.answered: list[float] = []  # ms from the click to the last message received
        self.tab.on("websocket", self._watch)
        self.tab.add_init_script(WATCH_SCRIPT)
        self.tab.goto(url, wait_until="commit")
        wait_ready(self.tab)
        self.box = self.tab.get_by_test_id("stSelectbox").nth(nth)
        self.changes = 0

    def _watch(self, socket) -> None:
        socket.on("framereceived", lambda payload: self.frames.append(payload))

    def change(self) -> float:
        """Milliseconds from picking the next option to the last chart redrawn."""
        self.box.click()
        options = self.tab.get_by_role("option")
        options.first.wait_for()
        self.changes += 1
        choice = options.nth(self.changes % options.count())
        self.frames.clear()
        clicked = self.tab.evaluate("() => performance.now()")
        choice.click()
        state = wait_ready(self.tab, since_ms=clicked)
        if state["exception"]:
            raise RuntimeError(f"{self.tab.url}: exception shown after a widget change")
        self.sent.append((len(self.frames), sum(len(f) for f in self.frames) / 1000))
        self.answered.append(max(state["lastMessage"] - clicked, 0.0))
        return ready_ms(state, since_ms=clicked)

    def close(self) -> None:
        self.context.close()


def widget_reruns(
    browser, bare_url: str, page_url: str, reruns: int, against_url: str | None = None
) -> dict[str, Any]:
    """Rerun times of the bare page's select box and the Kabupaten commodity select box
    (and the same select box of a second dashboard at ``against_url``), alternating change by
    change so all run under the same load, with the messages each change sent (median count
    and kB; per kind on Kabupaten's last change)."""
    tabs = {"bare": SelectRerun(browser, bare_url, 0)}
    tabs["kabupaten"] = SelectRerun(browser, page_url, 1)  # region, then commodity
    if against_url:
        tabs["against"] = SelectRerun(browser, against_url, 1)
    times: dict[str, list[float]] = {name: [] for name in tabs}
    try:
        for _ in range(reruns):
            for name, tab in tabs.items():
                times[name].append(tab.change())
    finally:
        for tab in tabs.values():
            tab.close()
    page = tabs["kabupaten"]
    sent = {
        name: {
            "messages": statistics.median(n for n, _ in tab.sent),
            "kb": statistics.median(kb for _, kb in tab.sent),
            "answered_ms": statistics.median(tab.answered),
        }
        for name, tab in tabs.items()
    }
    return {**times, "sent": sent, "kabupaten_kinds": message_breakdown(page.frames)}


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


def load_average() -> float:
    """The 1-minute load average now."""
    return os.getloadavg()[0]


def spread(values: list[float]) -> dict[str, float]:
    """p50 and p95 of a sample."""
    return {"p50_ms": statistics.median(values), "p95_ms": p95(values), "n": len(values)}


LANDING = ""  # the app's root URL: redirects to Ringkasan


def run(
    db: Path,
    repeat: int,
    reruns: int,
    workdir: Path,
    samples_n: int = 20,
    only_widget: bool = False,
    against: Path | None = None,
) -> dict:
    """Every measurement of this benchmark, as one dict (``only_widget``: the page visits
    are skipped, so ``pages`` is empty and the page-ready figures are absent; ``against``:
    another checkout of the dashboard whose commodity change is timed in the same loop, on
    its own copy of ``db``)."""
    from playwright.sync_api import sync_playwright

    bare = workdir / "bare_app.py"
    bare.write_text(BARE_APP)
    env = {**os.environ, "JSW_DB": str(db), "JSW_STALE_DAYS": "100000"}
    pages = page_paths()
    focus = [LANDING, "komoditas"]
    samples: dict[str, list[float]] = {path: [] for path in ["bare", *focus, *pages]}
    errors: dict[str, bool] = {}
    memory: list[float] = []
    loads = [load_average()]
    with ExitStack() as stack:
        bare_url, _ = stack.enter_context(streamlit_server(bare, env, workdir / "bare.log"))
        app_url, app = stack.enter_context(
            streamlit_server(ROOT / "app.py", env, workdir / "app.log")
        )
        against_url = None
        if against is not None:
            copy = workdir / "against.duckdb"
            shutil.copyfile(db, copy)
            against_env = {**env, "JSW_DB": str(copy)}
            against_url, _ = stack.enter_context(
                streamlit_server(against / "app.py", against_env, workdir / "against.log")
            )
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        stack.callback(browser.close)
        for path in pages:  # warm-up: first imports, caches, compiled scripts
            open_page(browser, f"{app_url}/{path}")
        open_page(browser, bare_url)
        if against_url:
            open_page(browser, f"{against_url}/kabupaten")
        memory.append(rss_mb(app.pid))
        visits = [path for path in pages if path not in focus] * repeat
        visits += [path for _ in range(samples_n) for path in focus]
        if only_widget:
            visits = []
        for path in visits:
            samples["bare"].append(open_page(browser, bare_url)[0])
            elapsed, state = open_page(browser, f"{app_url}/{path}")
            samples[path].append(elapsed)
            errors[path] = errors.get(path, False) or state["exception"]
            memory.append(rss_mb(app.pid))
        loads.append(load_average())
        region = _first_region(db)
        rerun_ms = widget_reruns(
            browser,
            bare_url,
            f"{app_url}/kabupaten?region={region}",
            reruns,
            f"{against_url}/kabupaten?region={region}" if against_url else None,
        )
        memory.append(rss_mb(app.pid))
        loads.append(load_average())
    bare = spread(samples["bare"]) if visits else {"p50_ms": 0.0, "p95_ms": 0.0, "n": 0}
    rows = [
        {
            "page": path or "/ (landing)",
            **spread(samples[path]),
            "median_ms": statistics.median(samples[path]),
            "ratio": statistics.median(samples[path]) / bare["p50_ms"],
            "ratio_p95": p95(samples[path]) / bare["p95_ms"],
            "exception": errors.get(path, False),
        }
        for path in ([] if only_widget else [LANDING, *pages])
    ]
    bare_rerun, page_rerun = spread(rerun_ms["bare"]), spread(rerun_ms["kabupaten"])
    return {
        "db": str(db),
        "db_gb": db.stat().st_size / 1e9,
        "bare_ms": bare["p50_ms"],
        "bare_p95_ms": bare["p95_ms"],
        "bare_n": bare["n"],
        "pages": rows,
        "bare_rerun_ms": rerun_ms["bare"],
        "bare_rerun_p50_ms": bare_rerun["p50_ms"],
        "bare_rerun_p95_ms": bare_rerun["p95_ms"],
        "rerun_ms": rerun_ms["kabupaten"],
        "rerun_p50_ms": page_rerun["p50_ms"],
        "rerun_p95_ms": page_rerun["p95_ms"],
        "rerun_ratio": page_rerun["p50_ms"] / bare_rerun["p50_ms"],
        "rerun_ratio_p95": page_rerun["p95_ms"] / bare_rerun["p95_ms"],
        "rerun_sent": rerun_ms["sent"],
        **(_against(rerun_ms["against"], bare_rerun, against) if against else {}),
        "rerun_kinds": rerun_ms["kabupaten_kinds"],
        "server_rss_mb": max(memory),
        "load_averages": loads,
        "load_average": max(loads),
    }


def _against(times: list[float], bare: dict[str, float], against: Path) -> dict[str, Any]:
    """The second dashboard's commodity change, as a ratio to the same bare page."""
    mine = spread(times)
    return {
        "against": str(against),
        "against_rerun_ms": times,
        "against_rerun_p50_ms": mine["p50_ms"],
        "against_rerun_p95_ms": mine["p95_ms"],
        "against_ratio": mine["p50_ms"] / bare["p50_ms"],
        "against_ratio_p95": mine["p95_ms"] / bare["p95_ms"],
    }


def _first_region(db: Path) -> str:
    from warehouse.db import read_df

    frame = read_df("SELECT min(region_code) AS code FROM statuses", path=db)
    return str(frame["code"].iloc[0]) if frame["code"].notna().all() else "1571"


def table(result: dict) -> str:
    """Markdown table of one result."""
    loads = " / ".join(f"{value:.2f}" for value in result["load_averages"])
    lines = [
        f"warehouse {result['db_gb']:.2f} GB; load average (1 min) at start / middle / end: "
        f"{loads}",
    ]
    if result["pages"]:
        lines += _page_rows(result)
    lines += [
        "",
        "| widget change rerun | n | p50 ms | p95 ms | ratio p50 (p95) to bare page |",
        "|---|---:|---:|---:|---:|",
        f"| bare page select box | {len(result['bare_rerun_ms'])} | "
        f"{result['bare_rerun_p50_ms']:,.0f} | {result['bare_rerun_p95_ms']:,.0f} | 1.00x |",
        f"| Kabupaten/Kota commodity | {len(result['rerun_ms'])} | "
        f"{result['rerun_p50_ms']:,.0f} | {result['rerun_p95_ms']:,.0f} | "
        f"{result['rerun_ratio']:.2f}x ({result['rerun_ratio_p95']:.2f}x) |",
        *(
            [
                f"| Kabupaten/Kota commodity, {result['against']} | "
                f"{len(result['against_rerun_ms'])} | {result['against_rerun_p50_ms']:,.0f} | "
                f"{result['against_rerun_p95_ms']:,.0f} | {result['against_ratio']:.2f}x "
                f"({result['against_ratio_p95']:.2f}x) |"
            ]
            if "against" in result
            else []
        ),
        "",
        "| sent per widget change (median) | messages | kB | click to last message, ms |",
        "|---|---:|---:|---:|",
        *(
            f"| {name} | {sent['messages']:.0f} | {sent['kb']:.1f} | {sent['answered_ms']:,.0f} |"
            for name, sent in result["rerun_sent"].items()
        ),
        "",
        "Kabupaten/Kota's last change, per kind: "
        + ", ".join(
            f"{kind} {row['n']} ({row['kb']:.1f} kB)" for kind, row in result["rerun_kinds"].items()
        ),
        "",
        f"dashboard server resident memory (peak seen): {result['server_rss_mb']:,.0f} MB",
    ]
    return "\n".join(lines)


def _page_rows(result: dict) -> list[str]:
    """The page-ready table of a full run."""
    lines = [
        "",
        "| page ready | n | p50 ms | p95 ms | ratio p50 (p95) to bare page | exception shown |",
        "|---|---:|---:|---:|---:|---|",
        f"| bare page (select box + 1 chart) | {result['bare_n']} | {result['bare_ms']:,.0f} | "
        f"{result['bare_p95_ms']:,.0f} | 1.00x | no |",
    ]
    for row in result["pages"]:
        lines.append(
            f"| {row['page']} | {row['n']} | {row['p50_ms']:,.0f} | {row['p95_ms']:,.0f} | "
            f"{row['ratio']:.2f}x ({row['ratio_p95']:.2f}x) | "
            f"{'yes' if row['exception'] else 'no'} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="warehouse with a forecast run")
    parser.add_argument("--repeat", type=int, default=3, help="visits per other page (median)")
    parser.add_argument(
        "--samples", type=int, default=20, help="visits of the landing page and Komoditas"
    )
    parser.add_argument("--reruns", type=int, default=20, help="widget changes for the p95")
    parser.add_argument(
        "--only",
        choices=["widget"],
        help="measure only the widget changes (pages opened once to warm them, not timed)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout of the dashboard: its commodity change is timed in the same loop",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found: install Debian's chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="jsw-dash-") as tmp:
        result = run(
            args.db,
            args.repeat,
            args.reruns,
            Path(tmp),
            args.samples,
            args.only == "widget",
            args.against.resolve() if args.against else None,
        )
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
