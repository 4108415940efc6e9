"""Kesehatan Data: the measured alert skill (latest ``forecasting score``) beside the old numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.data import load
from ui.format import date_label, number
from ui.i18n import text
from warehouse.skill_queries import latest_skill_score


def _range(pair: list, lang: str, decimals: int = 2) -> str:
    if not pair or pair[0] is None:
        return "–"
    return f"{number(pair[0], decimals, lang)} – {number(pair[1], decimals, lang)}"


def skill_rows(score: dict, lang: str) -> pd.DataFrame:
    """One display row per measure: value, its 90 % range and the old figure beside it."""
    skill, legacy = score["skill"], score["legacy"]
    rows = [
        (
            text("skill_pod", lang),
            f"{skill['detected']}/{skill['incidents']}",
            _range(skill["pod_interval"], lang),
            f"recall {number(legacy['recall'], 2, lang)}",
        )
    ]
    for kind, block in skill["pod_by_kind"].items():
        rows.append(
            (
                text("skill_pod_kind", lang, kind=kind.replace("_", " ")),
                f"{block['detected']}/{block['incidents']}",
                _range(block["pod_interval"], lang),
                "",
            )
        )
    rows.append(
        (
            text("skill_lead", lang),
            number(skill["median_lead_days"], 1, lang),
            _range(skill["median_lead_interval"], lang, 1),
            number(legacy["median_lead_days"], 1, lang),
        )
    )
    for kind, block in skill["false_alarms"].items():
        rows.append(
            (
                text("skill_false", lang, kind=text(f"skill_kind_{kind}", lang)),
                number(block["per_pair_year"], 3, lang),
                _range(block["per_pair_year_interval"], lang, 3),
                text("skill_old_fa", lang, v=number(legacy["false_alarm_rate"], 3, lang))
                if kind == "all"
                else "",
            )
        )
    precision = skill["warning_precision"]
    rows.append(
        (
            text("skill_precision", lang),
            number(precision["precision"], 2, lang),
            _range(precision["interval"], lang),
            "",
        )
    )
    columns = [text(f"skill_{k}", lang) for k in ("measure", "value", "interval", "old")]
    return pd.DataFrame(rows, columns=columns)


def skill_section(lang: str) -> None:
    """The section: latest stored score with intervals, or how to produce one."""
    st.subheader(text("skill_title", lang))
    st.caption(text("skill_help", lang))
    score = load(latest_skill_score)
    if score is None:
        st.info(text("skill_none", lang))
        return
    st.caption(
        text(
            "skill_source", lang,
            start=date_label(pd.Timestamp(score["date_from"]), lang),
            end=date_label(pd.Timestamp(score["date_to"]), lang),
            source=score["incidents_source"],
            when=date_label(pd.Timestamp(score["created_at"]), lang),
        )
    )  # fmt: skip
    st.dataframe(skill_rows(score, lang), hide_index=True, width="stretch")
