"""Small Streamlit building blocks shared by pages."""

from __future__ import annotations

import streamlit as st

from warehouse.levels import label, level


def status_message(value: int, reason: str, lang: str) -> str:
    """``Status: Siaga — reason``, without repeating the level when the reason starts with it."""
    name = label(value, lang)
    body = reason if reason.strip().lower().startswith(name.lower()) else f"{name} — {reason}"
    return f"Status: {body}"


def status_banner(value: int, message: str) -> None:
    """A coloured box for a status level: green Aman, amber Waspada/Siaga, red Awas."""
    box = {0: st.success, 1: st.warning, 2: st.warning, 3: st.error}[level(value).value]
    box(message, icon=":material/circle:" if value == 0 else ":material/warning:")
