"""Display tables: formatted for people (Rupiah, dates, units) and coloured by status level."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from ui.format import date_label, number, percent, rupiah
from ui.i18n import text
from warehouse.levels import LEVELS, NOT_ASSESSED, label
from warehouse.province_settings import HET_FROM_SETTINGS

STATUS_COLUMNS = (
    "region",
    "commodity",
    "status",
    "reason",
    "price",
    "reference",
    "disparity",
    "days_cover",
    "stockout",
)


def _text_colour(background: str) -> str:
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * red + 0.587 * green + 0.114 * blue) > 150 else "#ffffff"


def level_css(level_label: str, lang: str) -> str:
    """CSS for a status cell: the level colour from ``warehouse.levels``."""
    for item in (NOT_ASSESSED, *LEVELS):
        if label(item.value, lang) == level_label:
            return f"background-color: {item.colour}; color: {_text_colour(item.colour)}"
    return ""


def _cover_text(value: float | None, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return text("days_value", lang, value=number(value, 1, lang))


def reference_text(value: object, commodity: object, lang: str) -> str:
    """The reference price, or "HET belum diatur" where the province has not set one."""
    if (value is None or pd.isna(value)) and commodity in HET_FROM_SETTINGS:
        return text("het_not_set", lang)
    return rupiah(value, lang)


def status_rows(statuses: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One display row per region × commodity, worst first, headers in ``lang``."""
    columns = {key: text(f"col_{key}", lang) for key in STATUS_COLUMNS}
    name_col = "commodity_id_name" if lang == "id" else "commodity_en_name"
    reason_col = "reason_id" if lang == "id" else "reason_en"
    ordered = statuses.sort_values(
        ["level", "region_code", "sort_order"], ascending=[False, True, True]
    )
    frame = pd.DataFrame(
        {
            columns["region"]: ordered["region_name"],
            columns["commodity"]: ordered[name_col],
            columns["status"]: [label(v, lang) for v in ordered["level"]],
            columns["reason"]: ordered[reason_col],
            columns["price"]: [
                f"{rupiah(p, lang)} /{u.split('/')[-1]}" if pd.notna(p) else "–"
                for p, u in zip(ordered["price"], ordered["price_unit"], strict=True)
            ],
            columns["reference"]: [
                reference_text(v, c, lang)
                for v, c in zip(ordered["reference_price"], ordered["commodity"], strict=True)
            ],
            columns["disparity"]: [percent(v, 1, lang) for v in ordered["disparity_pct"]],
            columns["days_cover"]: [_cover_text(v, lang) for v in ordered["days_cover"]],
            columns["stockout"]: [
                date_label(v, lang) if pd.notna(v) else "–" for v in ordered["stockout_date"]
            ],
        }
    )
    return frame.reset_index(drop=True)


def coloured_by_level(frame: pd.DataFrame, lang: str) -> Styler:
    """``frame`` with its status column coloured by level.

    A frame of formatted text (every display table here) shows each cell as it is, so only
    the coloured cells carry an id and a display value: Streamlit then copies the display
    values of one column instead of every cell (the same table, a fraction of the work).
    """
    as_text = all(pd.api.types.is_string_dtype(dtype) for dtype in frame.dtypes)
    return Styler(frame, cell_ids=not as_text).map(
        lambda v: level_css(v, lang), subset=[text("col_status", lang)]
    )


def status_table(statuses: pd.DataFrame, lang: str) -> Styler:
    """``status_rows`` with the status column coloured by level."""
    return coloured_by_level(status_rows(statuses, lang), lang)


def ranking_rows(ranking: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Latest price per region with reference gap and 7-day change, formatted."""
    levels = ranking["level"] if "level" in ranking else pd.Series([None] * len(ranking))
    return pd.DataFrame(
        {
            text("col_region", lang): ranking["region_name"],
            text("col_status", lang): [label(int(v), lang) if pd.notna(v) else "–" for v in levels],
            text("col_price", lang): [rupiah(v, lang) for v in ranking["price"]],
            text("col_reference", lang): [
                reference_text(v, c, lang)
                for v, c in zip(
                    ranking["reference_price"],
                    ranking.get("commodity", pd.Series([None] * len(ranking))),
                    strict=True,
                )
            ],
            text("col_disparity", lang): [percent(v, 1, lang) for v in ranking["gap_pct"]],
            text("col_price_week_ago", lang): [rupiah(v, lang) for v in ranking["price_week_ago"]],
            text("col_change", lang): [percent(v, 1, lang) for v in ranking["change_pct"]],
            text("col_date", lang): [date_label(v, lang) for v in ranking["date"]],
        }
    ).reset_index(drop=True)


def ranking_table(ranking: pd.DataFrame, lang: str) -> Styler:
    """``ranking_rows`` with the status column coloured by level."""
    return coloured_by_level(ranking_rows(ranking, lang), lang)


def _when(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    stamp = pd.Timestamp(value)
    return f"{date_label(stamp, lang)} {stamp:%H:%M}"


def source_rows(sources: pd.DataFrame, stale_days: int, lang: str) -> pd.DataFrame:
    """Per source: last run, status, last success, failures since, newest data and its age."""
    ages = sources["age_days"]
    fresh = [
        text("fresh_no_data", lang)
        if pd.isna(age)
        else text("fresh_ok", lang)
        if age <= stale_days
        else text("fresh_stale", lang)
        for age in ages
    ]
    return pd.DataFrame(
        {
            text("col_source", lang): sources["source"],
            text("col_freshness", lang): fresh,
            text("col_latest_data", lang): [
                date_label(v, lang) for v in sources["latest_fact_date"]
            ],
            text("col_age_days", lang): [
                "–" if pd.isna(v) else text("days_value", lang, value=int(v)) for v in ages
            ],
            text("col_last_run", lang): [_when(v, lang) for v in sources["last_run_at"]],
            text("col_run_status", lang): sources["last_status"].fillna("–"),
            text("col_failures", lang): sources["failures_since_success"].fillna(0).astype(int),
            text("col_message", lang): sources["last_message"].fillna(""),
        }
    )


def run_rows(runs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Recent ingest runs, newest first."""
    return pd.DataFrame(
        {
            text("col_run", lang): runs["run_id"],
            text("col_source", lang): runs["source"],
            text("col_started", lang): [_when(v, lang) for v in runs["started_at"]],
            text("col_run_status", lang): runs["status"],
            text("col_rows_read", lang): runs["rows_read"],
            text("col_rows_loaded", lang): runs["rows_loaded"],
            text("col_rows_rejected", lang): runs["rows_rejected"],
            text("col_message", lang): runs["message"].fillna(""),
        }
    )


def rejected_rows(rejected: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rejected rows with the reason in the chosen language."""
    reason = "reason_id" if lang == "id" else "reason_en"
    return pd.DataFrame(
        {
            text("col_run", lang): rejected["run_id"],
            text("col_source", lang): rejected["source"],
            text("col_row", lang): rejected["row_number"],
            text("col_reason", lang): rejected[reason],
            text("col_raw", lang): rejected["raw"],
        }
    )


def accuracy_rows(
    accuracy: pd.DataFrame, commodity_names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Backtest accuracy per commodity × metric: median MASE/MAPE, interval coverage."""
    return pd.DataFrame(
        {
            text("col_commodity", lang): [commodity_names.get(c, c) for c in accuracy["commodity"]],
            text("col_metric", lang): [text(f"metric_name_{m}", lang) for m in accuracy["metric"]],
            text("col_series", lang): accuracy["n_series"],
            "MASE": [number(v, 2, lang) for v in accuracy["mase"]],
            "MAPE": [percent(v, 1, lang, signed=False) for v in accuracy["mape"]],  # already in %
            text("col_coverage80", lang): [
                percent(v * 100, 0, lang, signed=False) for v in accuracy["coverage80"]
            ],
            text("col_coverage95", lang): [
                percent(v * 100, 0, lang, signed=False) for v in accuracy["coverage95"]
            ],
        }
    )


def forecast_run_rows(runs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Recent forecasting runs."""
    return pd.DataFrame(
        {
            text("col_run", lang): runs["run_id"],
            text("col_started", lang): [_when(v, lang) for v in runs["created_at"]],
            text("col_data_as_of", lang): [date_label(v, lang) for v in runs["data_as_of"]],
            text("col_run_status", lang): runs["status"],
            text("col_series", lang): runs["n_series"],
            text("col_fallback", lang): runs["n_fallback"],
            text("col_seconds", lang): [number(v, 0, lang) for v in runs["seconds"]],
        }
    )


def signal_rows(signals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Signals of one region × commodity: name (with its class, e.g. ALPS Stress), level, why."""
    names = [
        text(f"signal_{name}", lang) + (f" ({tag})" if isinstance(tag, str) and tag else "")
        for name, tag in zip(signals["signal"], signals["label"], strict=True)
    ]
    return pd.DataFrame(
        {
            text("col_signal", lang): names,
            text("col_status", lang): [label(int(v), lang) for v in signals["level"]],
            text("col_explanation", lang): signals[f"explanation_{lang}"].tolist(),
        }
    )


def signal_table(signals: pd.DataFrame, lang: str) -> Styler:
    """``signal_rows`` with the level column coloured."""
    return coloured_by_level(signal_rows(signals, lang), lang)


def state_label(state: str, lang: str) -> str:
    """Alert lifecycle state in the chosen language."""
    return text(f"state_{state}", lang)


def alert_rows(listing: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Alerts: level, region, commodity, kind, dates, state and the latest reason."""
    names = listing["commodity_name_id" if lang == "id" else "commodity_name_en"]
    reasons = listing["reason_id" if lang == "id" else "reason_en"]
    return pd.DataFrame(
        {
            text("col_status", lang): [label(int(v), lang) for v in listing["level"]],
            text("col_region", lang): listing["region_name"],
            text("col_commodity", lang): names,
            text("col_kind", lang): [text(f"kind_{k}", lang) for k in listing["kind"]],
            text("col_first_seen", lang): [date_label(v, lang) for v in listing["first_as_of"]],
            text("col_last_seen", lang): [date_label(v, lang) for v in listing["last_as_of"]],
            text("col_state", lang): [state_label(s, lang) for s in listing["state"]],
            text("col_reason", lang): reasons,
        }
    ).reset_index(drop=True)


def alert_table(listing: pd.DataFrame, lang: str) -> Styler:
    """``alert_rows`` with the level column coloured."""
    return coloured_by_level(alert_rows(listing, lang), lang)


def alert_labels(listing: pd.DataFrame, lang: str) -> dict[str, str]:
    """Alert id -> "Sarolangun · LPG 3 kg · Stok · 28 Nov 2026" (stable while the alert is handled)."""
    names = listing["commodity_name_id" if lang == "id" else "commodity_name_en"]
    return {
        row.alert_id: f"{row.region_name} · {name} · {text(f'kind_{row.kind}', lang)} · "
        f"{date_label(row.first_as_of, lang)}"
        for row, name in zip(listing.itertuples(), names, strict=True)
    }


def history_rows(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every event of one alert: firings as computed then and the officers' steps."""
    reasons = history["reason_id" if lang == "id" else "reason_en"]
    return pd.DataFrame(
        {
            text("col_when", lang): [_when(v, lang) for v in history["created_at"]],
            text("col_event", lang): [text(f"event_{e}", lang) for e in history["event"]],
            text("col_status", lang): [
                label(int(v), lang) if pd.notna(v) else "" for v in history["level"]
            ],
            text("col_user", lang): history["user_name"].fillna(""),
            text("col_note", lang): [
                note
                if isinstance(note, str) and note
                else (reason if isinstance(reason, str) else "")
                for note, reason in zip(history["note"], reasons, strict=True)
            ],
        }
    )


def scenario_rows(
    summary: pd.DataFrame, commodity_names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Baseline vs scenario per region: stock-out dates, lowest cover, unmet demand."""
    never = text("no_stockout", lang)
    return pd.DataFrame(
        {
            text("col_region", lang): summary["region_name"],
            text("col_commodity", lang): [commodity_names.get(c, c) for c in summary["commodity"]],
            text("col_stockout_baseline", lang): [
                date_label(v, lang, never) for v in summary["baseline_stockout"]
            ],
            text("col_stockout_scenario", lang): [
                date_label(v, lang, never) for v in summary["scenario_stockout"]
            ],
            text("col_cover_baseline", lang): [
                _cover_text(v, lang) for v in summary["baseline_min_cover"]
            ],
            text("col_cover_scenario", lang): [
                _cover_text(v, lang) for v in summary["scenario_min_cover"]
            ],
            text("col_unmet", lang): [
                f"{number(b, 0, lang)} → {number(s, 0, lang)} {u}"
                for b, s, u in zip(
                    summary["baseline_unmet"],
                    summary["scenario_unmet"],
                    summary["unit"],
                    strict=True,
                )
            ],
        }
    )


def transfer_rows(
    transfers: pd.DataFrame, commodity_names: dict[str, str], lang: str
) -> pd.DataFrame:
    """Suggested transfers in the chosen language."""
    return pd.DataFrame(
        {
            text("col_commodity", lang): [
                commodity_names.get(c, c) for c in transfers["commodity"]
            ],
            text("col_from", lang): transfers["from_name"],
            text("col_to", lang): transfers["to_name"],
            text("col_amount", lang): [
                f"{number(a, 0, lang)} {u}"
                for a, u in zip(transfers["amount"], transfers["unit"], strict=True)
            ],
            text("col_distance", lang): [
                f"{number(d, 0, lang)} km" for d in transfers["distance_km"]
            ],
        }
    )


def comparison_rows(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Saved scenarios side by side: stock-out date per region × commodity and scenario."""
    if comparison.empty:
        return pd.DataFrame()
    never = text("no_stockout", lang)
    frame = comparison.assign(
        column=[
            text("legend_baseline", lang) if v == "baseline" else n
            for v, n in zip(comparison["variant"], comparison["name"], strict=True)
        ],
        shown=[date_label(v, lang, never) for v in comparison["stockout_date"]],
    )
    wide = frame.pivot_table(
        index=["region_name", "commodity"], columns="column", values="shown", aggfunc="first"
    )
    return wide.reset_index().rename(
        columns={"region_name": text("col_region", lang), "commodity": text("col_commodity", lang)}
    )


def reference_rows(current: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Reference prices in force: commodity, where, kind, value with unit, since, source."""
    names = current["name_id" if lang == "id" else "name_en"]
    return pd.DataFrame(
        {
            text("col_commodity", lang): names,
            text("col_region", lang): current["region_name"].fillna(text("province_wide", lang)),
            text("reference_kind", lang): current["kind"],
            text("reference_value", lang): [
                f"{rupiah(v, lang)} /{u.split('/')[-1]}"
                for v, u in zip(current["value"], current["unit"], strict=True)
            ],
            text("valid_from", lang): [date_label(v, lang) for v in current["valid_from"]],
            text("reference_source", lang): current["source"],
        }
    )


COVERAGE_METRICS = ("price", "stock", "distribution", "delivery")


def coverage_rows(
    coverage: pd.DataFrame, places: dict[str, str], commodities: dict[str, str], lang: str
) -> pd.DataFrame:
    """One row per region × commodity × metric: sources, first/last date, days, gaps."""
    days = lambda v: text("days_value", lang, value=number(v, 0, lang))  # noqa: E731
    return pd.DataFrame(
        {
            text("col_place", lang): [places.get(c, c) for c in coverage["region_code"]],
            text("col_commodity", lang): [commodities.get(c, c) for c in coverage["commodity"]],
            text("col_metric", lang): [
                text(f"metric_name_{m}", lang) if m in COVERAGE_METRICS else m
                for m in coverage["metric"]
            ],
            text("col_source", lang): coverage["sources"],
            text("col_first_date", lang): [date_label(v, lang) for v in coverage["first_date"]],
            text("col_last_date", lang): [date_label(v, lang) for v in coverage["last_date"]],
            text("col_days_reported", lang): [number(v, 0, lang) for v in coverage["n_days"]],
            text("col_gaps", lang): [number(v, 0, lang) for v in coverage["n_gaps"]],
            text("col_longest_gap", lang): [days(v) for v in coverage["longest_gap_days"]],
            text("col_behind", lang): [days(v) for v in coverage["days_behind"]],
        }
    )
