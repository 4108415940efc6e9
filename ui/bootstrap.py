"""First start: build the demo warehouse and the first forecast when none exists yet.

Only at the default path (``data/warehouse.duckdb``) or when asked (``JSW_BUILD_DEMO=1``): a
``JSW_DB`` pointing at a missing file is a configuration mistake, and the first visitor must
not fill that path with demo data.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import streamlit as st

from ui.i18n import t
from ui.jobs import JobResult, progress_fraction, stream_cli
from warehouse.db import DEFAULT_DB

_BUILD_LOCK = threading.Lock()

# (module, args, label key, share of the progress bar)
BUILD_STEPS: tuple[tuple[str, tuple[str, ...], str, float], ...] = (
    ("ingest", ("demo", "--progress-json"), "bootstrap_demo", 0.25),
    ("forecasting", ("run", "--json"), "bootstrap_forecast", 0.75),
)


def _run_step(
    module: str,
    args: tuple[str, ...],
    db: Path,
    bar: object,
    start: float,
    share: float,
    label: str,
) -> JobResult:
    def on_line(item: dict) -> None:
        fraction = progress_fraction(item)
        if fraction is not None:
            text = f"{label} ({round(100 * (start + share * fraction))}%)"
            bar.progress(min(1.0, start + share * fraction), text=text)

    return stream_cli(module, [*args, "--db", str(db)], on_line, db=db)


def may_build_demo(db: str | Path, environ: dict[str, str] | None = None) -> bool:
    """True when a missing warehouse at ``db`` may be filled with demo data."""
    env = os.environ if environ is None else environ
    if env.get("JSW_BUILD_DEMO", "").strip().lower() in {"1", "true", "yes"}:
        return True
    return Path(db).resolve() == DEFAULT_DB.resolve()


def ensure_warehouse(db: str | Path) -> bool:
    """Build the warehouse with progress if it is missing; False (with a message) on failure."""
    target = Path(db)
    if target.exists():
        return True
    if not may_build_demo(target):
        st.error(t("warehouse_not_built", path=str(target)))
        return False
    with _BUILD_LOCK:
        if target.exists():
            return True
        st.info(t("bootstrap_title"))
        bar = st.progress(0.0, text=t("bootstrap_demo"))
        start = 0.0
        for module, args, label_key, share in BUILD_STEPS:
            result = _run_step(module, args, target, bar, start, share, t(label_key))
            if not result.ok:
                st.error(t("bootstrap_failed", message=result.message))
                return False
            start += share
        bar.progress(1.0, text=t("bootstrap_forecast"))
    return target.exists()
