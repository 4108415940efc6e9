"""Cached calls to the named warehouse queries, with designed busy/missing states.

Results are cached by (query name, warehouse path, data version, arguments). The data version
changes with every new ingest/forecast run and every write (the file is replaced), so a new
run invalidates the cache while switching pages stays instant. Connections are never cached.

What pages build from those results (plotly figures, display tables) is cached the same way
by ``derived``: a rerun that changes one select box rebuilds only what depends on it. Pages
run their widget-driven part as an ``st.fragment`` that calls ``follow_data_changes`` first,
so a new run or upload still shows on the next click, sidebar included.
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
        snapshot = snapshots.pin(live)
        st.session_state[SNAPSHOT_KEY] = (live, str(snapshot), _stamp(snapshot))
    except (WarehouseMissing, FileNotFoundError):
        st.session_state.pop(SNAPSHOT_KEY, None)


def _stamp(path: str | os.PathLike[str]) -> tuple[int, int, int]:
    """Which version of a file this is: inode, modification time and size."""
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def data_changed() -> bool:
    """True when the live warehouse is no longer the version this session last pinned (a new
    run, upload or alert step was written since), or none is pinned."""
    live = warehouse_path()
    pinned = st.session_state.get(SNAPSHOT_KEY)
    if not pinned or pinned[0] != live:
        return True
    try:
        return _stamp(live) != pinned[2]
    except FileNotFoundError:
        return True


def follow_data_changes() -> None:
    """Call first in a page fragment: when the data changed since the page was drawn, rerun
    the whole app (fresh snapshot, sidebar freshness and all) instead of only the fragment."""
    if data_changed() and os.path.exists(warehouse_path()):
        st.rerun()


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


@st.cache_resource(show_spinner=False, max_entries=256)
def _built(name: str, path: str, version: str, selection: tuple, _build: Callable[[], T]) -> T:
    return _build()


def render_version() -> tuple[str, str]:
    """(snapshot path, data version) this render reads: hand it to work done outside the
    script thread (``query_at``, ``derived_at``) so it reads the same data."""
    path = _render_path()
    return path, data_version(path)


def query_at(at: tuple[str, str], query: Callable[..., T], *args: Any) -> T:
    """``query(*args)`` on the data version ``at``, through the same cache as ``load``."""
    path, version = at
    return _cached_call(query, query.__name__, path, version, args, ())


def derived_at(at: tuple[str, str], name: str, selection: tuple, build: Callable[[], T]) -> T:
    """``derived`` for the data version ``at`` (see ``render_version``)."""
    path, version = at
    return _built(name, path, version, selection, build)


def derived(name: str, selection: tuple, build: Callable[[], T]) -> T:
    """``build()`` (a figure, a display table) cached by data version and ``selection``.

    ``selection`` must hold everything ``build`` depends on besides the data (the chosen
    region and commodity, the language...). The object is shared between sessions, so it is
    only ever read (``st.plotly_chart`` and ``st.dataframe`` do not change what they show).
    """
    return derived_at(render_version(), name, selection, build)


def cached_chart(key: str, selection: tuple, build: Callable[[], Any]) -> None:
    """``st.plotly_chart`` of the figure ``build()`` makes, cached like ``derived``; ``key``
    names both the cache entry and the chart element."""
    st.plotly_chart(derived(key, selection, build), key=key)


def stale_days() -> int:
    """Days after which data counts as stale (``JSW_STALE_DAYS``, default 3)."""
    try:
        return int(os.environ.get("JSW_STALE_DAYS", "3"))
    except ValueError:
        return 3
