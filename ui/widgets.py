"""Small Streamlit building blocks shared by pages."""

from __future__ import annotations

import streamlit as st

from warehouse.levels import level


def status_banner(value: int, message: str) -> None:
    """A coloured box for a status level: green Aman, amber Waspada/Siaga, red Awas."""
    box = {0: st.success, 1: st.warning, 2: st.warning, 3: st.error}[level(value).value]
    box(message, icon=":material/circle:" if value == 0 else ":material/warning:")
