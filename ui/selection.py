"""Carry a selected region between pages (map click, deep link ``?region=1505``)."""

from __future__ import annotations

import streamlit as st

REGION_KEY = "kabupaten_region"


def preselect_region(region_codes: list[str], default: str | None = None) -> None:
    """Make sure the region selectbox starts on a valid region.

    Order: a region already chosen (e.g. by clicking the map), then ``?region=``, then
    ``default`` (e.g. the first region with data), else the first.
    """
    if st.session_state.get(REGION_KEY) in region_codes:
        return
    wanted = st.query_params.get("region")
    fallback = default if default in region_codes else region_codes[0]
    st.session_state[REGION_KEY] = wanted if wanted in region_codes else fallback


def preset_from_query(widget_key: str, param: str) -> None:
    """Start a multiselect on ``?param=value`` (e.g. ``?region=1503``) the first time."""
    value = st.query_params.get(param)
    if value and widget_key not in st.session_state:
        st.session_state[widget_key] = [value]


def keep_valid(widget_key: str, options: list[str]) -> None:
    """Forget a widget's remembered choice when it is not among the current options (e.g. a
    commodity the newly chosen region has no data for), so the widget starts on the first."""
    if st.session_state.get(widget_key) not in options:
        st.session_state.pop(widget_key, None)
