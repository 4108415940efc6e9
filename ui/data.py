"""Cached calls to the named warehouse queries, with designed busy/missing states.

Results are cached by (query name, warehouse path, data version, arguments). The data version
changes with every new ingest/forecast run and every write (the file is replaced), so a new
run invalidates the cache while switching pages stays instant. Connections are never cached.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from ui.i18n import t
from warehouse import queries, snapshots
from warehouse.db import WarehouseBusy, WarehouseMissing, db_path

T = TypeVar("T")
SNAPSHOT_KEY = "data_snapshot"


def warehouse_path() -> str:
    """The warehouse file in use (``JSW_DB`` or the default)."""
    return str(db_path())


@st.cache_data(show_spinner=False, max_entries=64)
def _version(path: str, mtime_ns: int, size: int) -> str:
    return queries.data_version(path)


def data_version(path: str) -> str:
    """The current data version; the run-id query runs only when the file changed."""
    stat = os.stat(path)
    return _version(path, stat.st_mtime_ns, stat.st_size)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(
    _query: Callable[..., Any], name: str, path: str, version: str, args: tuple, kwargs: tuple
) -> Any:
    return _query(*args, path=path, **dict(kwargs))


def pin_snapshot() -> None:
    """Pin the warehouse version this render reads; call once at the top of every run.

    Every ``load`` of the render then reads that one version, even if a writer replaces the
    file meanwhile (no render mixes two runs' data).
    """
    live = warehouse_path()
    try:
        st.session_state[SNAPSHOT_KEY] = (live, str(snapshots.pin(live)))
    except (WarehouseMissing, FileNotFoundError):
        st.session_state.pop(SNAPSHOT_KEY, None)


def _render_path() -> str:
    """The pinned snapshot of this render, or a fresh pin when none is usable."""
    live = warehouse_path()
    pinned = st.session_state.get(SNAPSHOT_KEY)
    if not pinned or pinned[0] != live or not os.path.exists(pinned[1]):
        pin_snapshot()
        pinned = st.session_state.get(SNAPSHOT_KEY)
    return pinned[1] if pinned else live


def load(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``query(*args, path=..., **kwargs)`` through the cache, or stop the page politely."""
    path = warehouse_path()
    try:
        path = _render_path()
        version = data_version(path)
        return _cached_call(
            query, query.__name__, path, version, args, tuple(sorted(kwargs.items()))
        )
    except FileNotFoundError:
        st.warning(t("missing_warehouse", path=path))
    except WarehouseMissing:
        st.warning(t("missing_warehouse", path=path))
    except WarehouseBusy:
        st.info(t("busy"))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; keeps type checkers honest


def stale_days() -> int:
    """Days after which data counts as stale (``JSW_STALE_DAYS``, default 3)."""
    try:
        return int(os.environ.get("JSW_STALE_DAYS", "3"))
    except ValueError:
        return 3
