"""Small Streamlit building blocks shared by pages."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ui.format import date_label, number, percent, rupiah
from ui.i18n import t
from ui.tables import COVERAGE_METRICS, coverage_rows
from warehouse.health_queries import COVERAGE_GAP_DAYS
from warehouse.levels import label, level


def status_message(value: int, reason: str, lang: str) -> str:
    """``Status: Siaga — reason``, without repeating the level when the reason starts with it."""
    name = label(value, lang)
    body = reason if reason.strip().lower().startswith(name.lower()) else f"{name} — {reason}"
    return f"Status: {body}"


def status_banner(value: int, message: str) -> None:
    """A coloured box for a status level: green Aman, amber Waspada/Siaga, red Awas."""
    boxes = {-1: st.info, 0: st.success, 1: st.warning, 2: st.warning, 3: st.error}
    icon = {-1: ":material/help:", 0: ":material/circle:"}.get(value, ":material/warning:")
    boxes[level(value).value](message, icon=icon)


def status_panel(status: dict[str, Any], price_unit: str, stock_unit: str, lang: str) -> None:
    """Status banner with its reason, price/reference/stock/cover metrics and the cover basis."""
    value = int(status["level"])
    reason = status["reason_id" if lang == "id" else "reason_en"]
    status_banner(value, status_message(value, reason, lang))
    # units sit in the labels so the values stay short enough never to be cut off
    has_stock = status["stock"] == status["stock"] and status["stock"] is not None
    columns = st.columns(4 if has_stock else 2)
    columns[0].metric(f"{t('metric_price')} ({price_unit})", rupiah(status["price"], lang))
    columns[1].metric(
        f"{t('metric_reference')} ({price_unit})", rupiah(status["reference_price"], lang)
    )
    if not has_stock:
        st.caption(t("no_stock_reports"))
        return
    columns[2].metric(t("metric_stock_unit", unit=stock_unit), number(status["stock"], 0, lang))
    columns[3].metric(t("days_unit"), number(status["days_cover"], 1, lang))
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


def summary_kpis(summary: dict[str, Any], province: str, lang: str) -> None:
    """Ringkasan's four KPIs: regencies in alert, the province's own status, commodities above
    their reference price and the lowest days of cover (or that no stock is reported yet)."""
    kpi_alert, kpi_province, kpi_price, kpi_cover = st.columns([1, 1, 1.35, 1])
    total = summary["regions_total"]
    kpi_alert.metric(
        t("kpi_regions_alert"),
        f"{summary['regions_alert']} / {total}" if total else "–",
        help=t("kpi_regions_alert_help", n=total),
        border=True,
    )
    province_level = summary["province_level"]
    kpi_province.metric(
        t("kpi_province_status", province=province),
        label(province_level, lang) if province_level is not None else "–",
        help=t("kpi_province_help", n=summary["province_alerts"]),
        border=True,
    )
    kpi_price.metric(
        t("kpi_above_reference"),
        summary["above_reference"],
        help=t("kpi_above_reference_help", pairs=summary["above_reference_pairs"]),
        border=True,
    )
    lowest = summary["lowest_cover"]
    if lowest is None:
        kpi_cover.metric(t("kpi_lowest_cover"), "–", help=t("no_stock_reports"), border=True)
        kpi_cover.caption(t("no_stock_reports"))
        return
    name = lowest["commodity_id_name" if lang == "id" else "commodity_en_name"]
    kpi_cover.metric(
        t("kpi_lowest_cover"),
        t("days_value", value=number(lowest["days_cover"], 1, lang)),
        help=t(
            "kpi_lowest_cover_help",
            commodity=name,
            region=lowest["region_name"],
            window=lowest["cover_window_days"],
        ),
        border=True,
    )
    kpi_cover.caption(f"{name} — {lowest['region_name']}")


def commodity_kpis(view: dict[str, Any], province: str, lang: str) -> None:
    """Komoditas's KPIs: the province's latest price and 7-day change, regencies above the
    reference, the largest 7-day rise and today's dispersion (only with two regencies or more).

    Price changes use ``delta_color="inverse"``: for prices, up is bad (red).
    """
    ranking, dispersion, own = view["ranking"], view["dispersion"], view["province"]
    province_col, above_col, rise_col, cv_col = st.columns(4)
    if own is not None:
        change = own["change_pct"]
        province_col.metric(
            t("kpi_province_price", province=province),
            rupiah(own["price"], lang),
            percent(change, 1, lang) if change == change else None,
            delta_color="inverse" if abs(change) >= 0.05 else "off",
            delta_arrow="auto" if abs(change) >= 0.05 else "off",
            help=t("kpi_province_price_help", date=date_label(own["date"], lang)),
            border=True,
        )
    if not ranking.empty:
        above = int((ranking["gap_pct"] > 0).sum())
        above_col.metric(t("kpi_regions_above"), f"{above} / {len(ranking)}", border=True)
        rising = ranking.dropna(subset=["change_pct"]).sort_values("change_pct", ascending=False)
        if not rising.empty:
            top = rising.iloc[0]
            rise_col.metric(
                t("kpi_biggest_rise"),
                top["region_name"],
                percent(top["change_pct"], 1, lang),
                delta_color="inverse",
                border=True,
            )
    if len(dispersion) and dispersion["n_regions"].iloc[-1] >= 2:
        cv_col.metric(
            t("kpi_cv_now"),
            percent(dispersion["cv_pct"].iloc[-1], 1, lang, signed=False),
            help=t("dispersion_help"),
            border=True,
        )


def coverage_section(
    coverage: pd.DataFrame, places: dict[str, str], commodities: dict[str, str], lang: str
) -> None:
    """Kesehatan Data's coverage: series counts per metric and one row per region ×
    commodity × metric (sources, first/last date, gaps), or that nothing is imported yet."""
    st.subheader(t("coverage_title"))
    st.caption(t("coverage_help", gap=COVERAGE_GAP_DAYS))
    if coverage.empty:
        st.info(t("coverage_empty"))
        return
    counts = coverage["metric"].value_counts()
    st.caption(t("coverage_summary", **{m: int(counts.get(m, 0)) for m in COVERAGE_METRICS}))
    st.dataframe(
        coverage_rows(coverage, places, commodities, lang), hide_index=True, width="stretch"
    )
