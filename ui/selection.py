"""Carry a selected region between pages (map click, deep link ``?region=1505``)."""

from __future__ import annotations

import streamlit as st

REGION_KEY = "kabupaten_region"


def preselect_region(region_codes: list[str]) -> None:
    """Make sure the region selectbox starts on a valid region.

    Order: a region already chosen (e.g. by clicking the map), then ``?region=``, else the first.
    """
    if st.session_state.get(REGION_KEY) in region_codes:
        return
    wanted = st.query_params.get("region")
    st.session_state[REGION_KEY] = wanted if wanted in region_codes else region_codes[0]


def preset_from_query(widget_key: str, param: str) -> None:
    """Start a multiselect on ``?param=value`` (e.g. ``?region=1503``) the first time."""
    value = st.query_params.get(param)
    if value and widget_key not in st.session_state:
        st.session_state[widget_key] = [value]
