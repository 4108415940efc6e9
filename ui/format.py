"""Formatting for the dashboard: Indonesian numbers, money and dates (one home:
``warehouse/formats.py``, shared with forecasting reasons and the weekly brief) and plain text."""

from __future__ import annotations

from warehouse.formats import MONTHS, date_label, number, percent, rupiah

__all__ = ["MONTHS", "date_label", "number", "percent", "plain", "rupiah"]

MARKDOWN_SPECIALS = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: object) -> str:
    """``text`` with every Markdown/HTML special character escaped, so Streamlit shows it as
    typed: cell text from an upload never becomes a link, an image or formatting."""
    return "".join(f"\\{char}" if char in MARKDOWN_SPECIALS else char for char in str(text))
