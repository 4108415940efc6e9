"""Small Streamlit building blocks shared by pages."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.format import date_label, number, rupiah
from ui.i18n import t
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


def status_panel(status: dict[str, Any], price_unit: str, stock_unit: str, lang: str) -> None:
    """Status banner with its reason, price/reference/stock/cover metrics and the cover basis."""
    value = int(status["level"])
    reason = status["reason_id" if lang == "id" else "reason_en"]
    status_banner(value, status_message(value, reason, lang))
    price_col, reference_col, stock_col, cover_col = st.columns(4)
    price_col.metric(f"{t('metric_price')} ({price_unit})", rupiah(status["price"], lang))
    reference_col.metric(
        f"{t('metric_reference')} ({price_unit})", rupiah(status["reference_price"], lang)
    )
    stock_col.metric(t("metric_stock"), f"{number(status['stock'], 0, lang)} {stock_unit}")
    cover_col.metric(
        t("metric_days_cover"), t("days_value", value=number(status["days_cover"], 1, lang))
    )
    st.caption(
        t(
            "cover_basis",
            stock=f"{number(status['stock'], 0, lang)} {stock_unit}",
            dist=f"{number(status['avg_distribution'], 1, lang)} {stock_unit}",
            window=status["cover_window_days"],
            stockout=date_label(status["stockout_date"], lang, t("no_stockout")),
        )
    )


def latest_report_note(report: dict[str, Any] | None, lang: str) -> None:
    """ "Latest stock report: 12.345 tabung on 21 Nov 2026 (source: officer)"."""
    if report is None:
        return
    st.caption(
        t(
            "latest_stock_report",
            value=f"{number(report['value'], 0, lang)} {report['unit']}",
            date=date_label(report["date"], lang),
            source=report["source"],
        )
    )
