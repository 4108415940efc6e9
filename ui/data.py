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
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import plotly.graph_objects as go
import streamlit as st

from ui.chart_style import browser_figure
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


def _read(fetch: Callable[[str, str], T]) -> T:
    """``fetch(snapshot path, data version)`` of this render, or stop the page politely."""
    path = warehouse_path()
    try:
        path = _render_path()
        return fetch(path, data_version(path))
    except (FileNotFoundError, WarehouseMissing):
        st.warning(t("missing_warehouse", path=path))
    except WarehouseBusy:
        st.info(t("busy"))
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; keeps type checkers honest


def load(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``query(*args, path=..., **kwargs)`` through the cache, or stop the page politely."""
    options = tuple(sorted(kwargs.items()))
    return _read(
        lambda path, version: _cached_call(query, query.__name__, path, version, args, options)
    )


class FrozenFigure(go.Figure):
    """A cached figure that turns itself into the browser's dict once (``browser_figure``).

    ``st.plotly_chart`` calls ``to_dict()`` on every render (a deep copy of every trace and
    its typed-array encoding); a figure shared through the cache never changes, so the first
    dict is kept and handed out again. Only ever read: Streamlit serializes it as it is.
    """

    _frozen_dict: dict | None = None
    _frozen_lock = threading.Lock()

    def to_dict(self) -> dict:
        if self._frozen_dict is None:
            with self._frozen_lock:
                if self._frozen_dict is None:
                    object.__setattr__(self, "_frozen_dict", browser_figure(self))
        return self._frozen_dict


def frozen(value: T) -> T:
    """``value``, with a plotly figure made a ``FrozenFigure`` (same figure, dict kept)."""
    if type(value) is go.Figure:
        value.__class__ = FrozenFigure
    return value


def load_shared(query: Callable[..., T], *args: Any) -> T:
    """``load`` for a result the page only reads (never changes): one object per data version
    and arguments, shared by reruns and sessions instead of a fresh copy on every rerun."""
    name = query.__name__

    def fetch(path: str, version: str) -> T:
        call = lambda: _cached_call(query, name, path, version, args, ())  # noqa: E731
        return _built(f"query:{name}", path, version, args, call)

    return _read(fetch)


@st.cache_resource(show_spinner=False, max_entries=256)
def _built(name: str, path: str, version: str, selection: tuple, _build: Callable[[], T]) -> T:
    return frozen(_build())


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


def show_chart(figure: go.Figure, key: str, **options: Any) -> Any:
    """``st.plotly_chart`` of ``figure`` in the house look (``ui.chart_style``): every chart
    of the dashboard is shown through here. Returns what ``st.plotly_chart`` returns (the
    selection, with ``on_select``)."""
    return st.plotly_chart(frozen(figure), key=key, theme=None, **options)


def cached_chart(key: str, selection: tuple, build: Callable[[], Any]) -> None:
    """``show_chart`` of the figure ``build()`` makes, cached like ``derived``; ``key``
    names both the cache entry and the chart element."""
    show_chart(derived(key, selection, build), key=key)


def stale_days() -> int:
    """Days after which data counts as stale (``JSW_STALE_DAYS``, default 3)."""
    try:
        return int(os.environ.get("JSW_STALE_DAYS", "3"))
    except ValueError:
        return 3
