"""Kesehatan Data: the measured alert skill (latest ``forecasting score``) beside the old numbers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.data import load
from ui.format import date_label, number
from warehouse.skill_queries import latest_skill_score

TEXT = {
    "title": {"id": "Ketepatan peringatan dini", "en": "Early-warning skill"},
    "help": {
        "id": "Diukur dengan memutar ulang peringatan pada tanggal-tanggal lalu terhadap kejadian "
        "yang tercatat. Terdeteksi = peringatan sejenis (stok/harga) di wilayah dan komoditas yang "
        "sama antara awal penyebab dan saat batas terlampaui. Rentang = selang kepercayaan 90 %.",
        "en": "Measured by replaying the alerts on past dates against recorded incidents. "
        "Detected = an alert of the same kind (stock/price), region and commodity between the "
        "cause and the breach. Ranges are 90 % intervals.",
    },
    "none": {
        "id": "Belum ada skor. Jalankan `python -m forecasting score`.",
        "en": "No score yet. Run `python -m forecasting score`.",
    },
    "source": {
        "id": "Putar ulang {start} – {end}; kejadian dari {source}; dihitung {when}.",
        "en": "Replay {start} – {end}; incidents from {source}; scored {when}.",
    },
    "measure": {"id": "Ukuran", "en": "Measure"},
    "value": {"id": "Nilai", "en": "Value"},
    "interval": {"id": "Rentang 90 %", "en": "90 % range"},
    "old": {"id": "Angka lama (rilis ini saja)", "en": "Old figure (this release only)"},
    "pod": {"id": "Deteksi: semua kejadian", "en": "Detection: all incidents"},
    "pod_kind": {"id": "Deteksi: {kind}", "en": "Detection: {kind}"},
    "lead": {"id": "Median jarak waktu (hari)", "en": "Median lead (days)"},
    "false": {
        "id": "Alarm palsu per wilayah × komoditas × tahun ({kind})",
        "en": "False-alarm episodes per region × commodity × year ({kind})",
    },
    "precision": {
        "id": "Presisi peringatan (sebelum batas terlampaui)",
        "en": "Warning precision (before the breach)",
    },
    "old_fa": {"id": "tingkat alarm palsu (hari) {v}", "en": "false-alarm rate (days) {v}"},
    "kind_all": {"id": "semua", "en": "all"},
    "kind_stock": {"id": "stok", "en": "stock"},
    "kind_price": {"id": "harga", "en": "price"},
}


def _t(key: str, lang: str, **values: object) -> str:
    return TEXT[key][lang].format(**values)


def _range(pair: list, lang: str, decimals: int = 2) -> str:
    if not pair or pair[0] is None:
        return "–"
    return f"{number(pair[0], decimals, lang)} – {number(pair[1], decimals, lang)}"


def skill_rows(score: dict, lang: str) -> pd.DataFrame:
    """One display row per measure: value, its 90 % range and the old figure beside it."""
    skill, legacy = score["skill"], score["legacy"]
    rows = [
        (
            _t("pod", lang),
            f"{skill['detected']}/{skill['incidents']}",
            _range(skill["pod_interval"], lang),
            f"recall {number(legacy['recall'], 2, lang)}",
        )
    ]
    for kind, block in skill["pod_by_kind"].items():
        rows.append(
            (
                _t("pod_kind", lang, kind=kind.replace("_", " ")),
                f"{block['detected']}/{block['incidents']}",
                _range(block["pod_interval"], lang),
                "",
            )
        )
    rows.append(
        (
            _t("lead", lang),
            number(skill["median_lead_days"], 1, lang),
            _range(skill["median_lead_interval"], lang, 1),
            number(legacy["median_lead_days"], 1, lang),
        )
    )
    for kind, block in skill["false_alarms"].items():
        rows.append(
            (
                _t("false", lang, kind=_t(f"kind_{kind}", lang)),
                number(block["per_pair_year"], 3, lang),
                _range(block["per_pair_year_interval"], lang, 3),
                _t("old_fa", lang, v=number(legacy["false_alarm_rate"], 3, lang))
                if kind == "all"
                else "",
            )
        )
    precision = skill["warning_precision"]
    rows.append(
        (
            _t("precision", lang),
            number(precision["precision"], 2, lang),
            _range(precision["interval"], lang),
            "",
        )
    )
    columns = [_t(k, lang) for k in ("measure", "value", "interval", "old")]
    return pd.DataFrame(rows, columns=columns)


def skill_section(lang: str) -> None:
    """The section: latest stored score with intervals, or how to produce one."""
    st.subheader(_t("title", lang))
    st.caption(_t("help", lang))
    score = load(latest_skill_score)
    if score is None:
        st.info(_t("none", lang))
        return
    st.caption(
        _t(
            "source", lang,
            start=date_label(pd.Timestamp(score["date_from"]), lang),
            end=date_label(pd.Timestamp(score["date_to"]), lang),
            source=score["incidents_source"],
            when=date_label(pd.Timestamp(score["created_at"]), lang),
        )
    )  # fmt: skip
    st.dataframe(skill_rows(score, lang), hide_index=True, width="stretch")
