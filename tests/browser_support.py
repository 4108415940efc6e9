"""Shared pieces of the browser tests and browser benchmarks: a Streamlit server on a free
local port, headless chromium flags, and a watch for console errors and outside requests."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEEP_LINK_PROBES = ("/_stcore/health", "/_stcore/host-config")
# every drawn plotly chart whose axis labels or legend pushed a margin past what the figure
# set (plotly then draws it a second time), and every y tick label drawn outside its chart
PUSHED_OR_CLIPPED_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(g => {
  const set = g.layout.margin || {}, size = g._fullLayout._size, box = g.getBoundingClientRect();
  const pushed = ['l', 'r', 'b'].filter(side => Math.abs(size[side] - (set[side] ?? 0)) > 1)
    .map(side => `${side}: set ${set[side]}, drawn ${size[side]}`);
  const clipped = Array.from(g.querySelectorAll('g[class$="tick"] text')).filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1);
  }).map(t => `label ${t.textContent} outside the chart`);
  return pushed.concat(clipped);
})"""


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    """Wait for ``/_stcore/health`` to answer 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit at {url} did not become healthy")


@contextlib.contextmanager
def streamlit_server(
    script: Path, env: dict[str, str], log: Path
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run script`` on a free port of 127.0.0.1; yields (base URL, process)."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with open(log, "w") as handle:
        process = subprocess.Popen(
            command, cwd=script.parent, env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


class Watch:
    """Console errors and outside requests seen by one page."""

    def __init__(self, page, base_url: str) -> None:
        self.base_url = base_url
        self.console_errors: list[str] = []
        self.outside_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        location = (message.location or {}).get("url", "")
        probe = "404" in message.text and location.endswith(DEEP_LINK_PROBES)
        if not probe:
            self.console_errors.append(f"{message.text} @ {location}")

    def _on_request(self, request) -> None:
        url = request.url
        if not url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:", "data:", "blob:")):
            self.outside_requests.append(url)

    def assert_clean(self) -> None:
        assert not self.console_errors, self.console_errors
        assert not self.outside_requests, self.outside_requests


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def click_map_region(tab, warehouse: Path) -> str:
    """Click the marker of the worst-status kab/kota on the Ringkasan map; its BPS code.

    The map is a WebGL canvas, so the marker's pixel is computed from the figure's centre and
    zoom (Web Mercator, 512-pixel world at zoom 0), as the page builds it.
    """
    import math

    from ui.geo import status_map
    from warehouse import queries

    statuses = queries.latest_statuses(warehouse)
    figure = status_map(statuses, queries.regions(warehouse), "id")
    centre, zoom = figure.layout.map.center, figure.layout.map.zoom
    worst = statuses.groupby("region_code").agg(
        level=("level", "max"), lat=("lat", "first"), lon=("lon", "first")
    )
    region = worst.sort_values(["level"], kind="stable").index[-1]
    canvas = tab.locator("[data-testid='stPlotlyChart'] canvas.maplibregl-canvas").first
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()
    tab.wait_for_timeout(1500)  # the map finishes its first render
    box = canvas.bounding_box()

    def mercator(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    scale = 512 * 2**zoom
    lat, lon = worst.loc[region, "lat"], worst.loc[region, "lon"]
    x = box["x"] + box["width"] / 2 + (lon - centre.lon) / 360 * scale
    y = (
        box["y"]
        + box["height"] / 2
        - (mercator(lat) - mercator(centre.lat)) / (2 * math.pi) * scale
    )
    tab.mouse.click(x, y)
    return str(region)
