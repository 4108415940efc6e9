"""Values held by the sanity guard: the list, and an officer's decision to load or discard."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.common import ServiceError
from ui.actions import decide_held_values
from ui.format import date_label, number, rupiah
from ui.i18n import t, text


def _value_text(value: float, metric: str, unit: str, lang: str) -> str:
    if metric == "price":
        return rupiah(value, lang)
    return f"{number(value, 1 if abs(value) < 100 else 0, lang)} {unit}"


def held_rows(
    held: pd.DataFrame, regions: dict[str, str], commodities: dict[str, str], lang: str
) -> pd.DataFrame:
    """One display row per held value: when, where, what, the value and its usual level."""
    return pd.DataFrame(
        {
            text("col_date", lang): [date_label(d, lang) for d in held["date"]],
            text("col_region", lang): [regions.get(r, r) for r in held["region_code"]],
            text("col_commodity", lang): [commodities.get(c, c) for c in held["commodity"]],
            text("col_metric", lang): [text(f"metric_name_{m}", lang) for m in held["metric"]],
            text("col_held_value", lang): [
                _value_text(v, m, u, lang)
                for v, m, u in zip(held["value"], held["metric"], held["unit"], strict=True)
            ],
            text("col_usual", lang): [
                _value_text(v, m, u, lang)
                for v, m, u in zip(held["typical_value"], held["metric"], held["unit"], strict=True)
            ],
            text("col_ratio", lang): [f"× {number(r, 1, lang)}" for r in held["ratio"]],
            text("col_source", lang): held["source"].tolist(),
        }
    )


def held_labels(held: pd.DataFrame, rows: pd.DataFrame) -> dict[str, str]:
    """hold_id -> "Bungo · LPG 3 kg · Harga · 20 Nov 2026: Rp 180.000" from ``held_rows``."""
    return {
        hold_id: " · ".join(str(v) for v in row[1:4]) + f" · {row[0]}: {row[4]}"
        for hold_id, row in zip(held["hold_id"], rows.itertuples(index=False), strict=True)
    }


def held_section(
    held: pd.DataFrame,
    regions: dict[str, str],
    commodities: dict[str, str],
    user: str | None,
    db: str,
    lang: str,
) -> None:
    """The held-values list; a logged-in officer can load (confirm) or discard them."""
    st.subheader(t("held_title"))
    st.caption(t("held_help"))
    if "kesehatan_held_flash" in st.session_state:
        st.success(st.session_state.pop("kesehatan_held_flash"))
    if held.empty:
        st.success(t("no_held"))
        return
    rows = held_rows(held, regions, commodities, lang)
    st.dataframe(rows, hide_index=True, width="stretch")
    if user is None:
        st.caption(t("login_to_decide_held"))
        return
    labels = held_labels(held, rows)
    with st.form("kesehatan_held_form"):
        chosen = st.multiselect(
            t("held_choose"), list(labels), format_func=labels.get, key="kesehatan_held_ids"
        )
        decision = st.radio(
            t("held_decision"),
            ["confirm", "discard"],
            format_func=lambda d: t(f"held_{d}"),
            horizontal=True,
            key="kesehatan_held_decision",
        )
        submitted = st.form_submit_button(t("held_submit"))
    if not submitted:
        return
    if not chosen:
        st.warning(t("held_none_chosen"))
        return
    try:
        decide_held_values(chosen, decision == "discard", db, user)
    except ServiceError as problem:
        st.error(t("held_failed", message=str(problem)))
        return
    st.session_state["kesehatan_held_flash"] = t(f"held_done_{decision}", n=len(chosen))
    st.rerun()
