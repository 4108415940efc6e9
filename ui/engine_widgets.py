"""Small widgets for the early-warning engine: stock-out probability and its reliability."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui.format import date_label, number
from ui.i18n import t

HORIZON = 14


def stockout_note(status: dict[str, Any], lang: str) -> None:
    """ "Peluang stok di bawah batas Siaga dalam 14 hari: 35 %" under the status panel."""
    value = status.get(f"p_stockout_{HORIZON}")
    if value is None or pd.isna(value):
        return
    st.caption(
        t(
            "stockout_probability",
            days=HORIZON,
            pct=number(100 * float(value), 0, lang),
            p7=number(100 * float(status.get("p_stockout_7") or 0), 0, lang),
            p21=number(100 * float(status.get("p_stockout_21") or 0), 0, lang),
        )
    )


def reliability_section(table: pd.DataFrame, lang: str) -> None:
    """The reliability table of the stock-out probabilities (predicted vs observed)."""
    st.subheader(t("reliability_title"))
    if table.empty:
        st.caption(t("reliability_empty"))
        return
    first = table.iloc[0]
    st.caption(
        t(
            "reliability_caption",
            start=date_label(first["date_from"], lang),
            end=date_label(first["date_to"], lang),
        )
    )
    shown = pd.DataFrame(
        {
            t("reliability_horizon"): table["horizon_days"].astype(int),
            t("reliability_bin"): [
                f"{number(100 * lo, 0, lang)}–{number(100 * hi, 0, lang)} %"
                for lo, hi in zip(table["bin_low"], table["bin_high"], strict=True)
            ],
            t("reliability_n"): table["n"].astype(int),
            t("reliability_predicted"): [
                f"{number(100 * v, 1, lang)} %" for v in table["mean_predicted"]
            ],
            t("reliability_observed"): [f"{number(100 * v, 1, lang)} %" for v in table["observed"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
