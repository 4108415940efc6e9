"""Summaries of the weekly detail table: per commodity and per regency.

* Per commodity: how many regencies rose / fell / held (hold = |week-on-week change| < 0.5 %)
  and the regency with the highest rise.
* Per regency: a weekly price-change indicator = the unweighted mean of the week-on-week
  changes of the commodities reported in both weeks (the official IPH weighting is not
  published), the commodities driving it ("KOMODITAS(value)", value = change / n in
  percentage points), the most volatile commodity (coefficient of variation of the counted
  daily prices of this week and the week before), and whether the regency is in alert
  (a status of Siaga or Awas).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reports import settings
from reports.weeks import IsoWeek
from warehouse import levels
from warehouse.reference import province_code

MAX_DRIVERS = 3
ALERT_LEVEL = 2


def movement(change: float) -> str | None:
    """``rise`` / ``fall`` / ``hold`` for a week-on-week change in %; None when unknown."""
    if change is None or pd.isna(change):
        return None
    if abs(change) < settings.HOLD_THRESHOLD_PCT:
        return "hold"
    return "rise" if change > 0 else "fall"


def commodity_summary(
    detail: pd.DataFrame, prices: pd.DataFrame, week: IsoWeek, days: tuple[int, ...]
) -> pd.DataFrame:
    """One row per commodity: counts of regencies that rose / fell / held, top riser.

    The province's own row (province-level prices) is not a regency: it is left out here and
    listed in the detail and per-region tables.
    """
    records = []
    regencies = detail[detail["region_code"].astype(str) != province_code()]
    for commodity, rows in regencies.groupby("commodity", sort=False):
        moves = rows["change_wow_pct"].map(movement)
        risers = rows[moves == "rise"].sort_values(
            ["change_wow_pct", "region_code"], ascending=[False, True]
        )
        top = risers.iloc[0] if not risers.empty else None
        changes = rows["change_wow_pct"].dropna()
        records.append(
            {
                "schema_version": settings.SCHEMA_VERSION,
                "week": week.label,
                "price_days": settings.price_days_label(days),
                "commodity": commodity,
                "commodity_name": rows["commodity_name"].iloc[0],
                "unit": rows["unit"].iloc[0],
                "regencies_compared": int(changes.size),
                "regencies_rose": int((moves == "rise").sum()),
                "regencies_fell": int((moves == "fall").sum()),
                "regencies_held": int((moves == "hold").sum()),
                "regencies_without_change": int(moves.isna().sum()),
                "mean_change_pct": round(float(changes.mean()), 2) if changes.size else np.nan,
                "top_rise_region_code": None if top is None else top["region_code"],
                "top_rise_region_name": None if top is None else top["region_name"],
                "top_rise_pct": np.nan if top is None else float(top["change_wow_pct"]),
                "regencies_in_alert": int((rows["status_level"].fillna(0) >= ALERT_LEVEL).sum()),
            }
        )
    return pd.DataFrame.from_records(records)


def driver_text(changes: pd.DataFrame, indicator: float, decimal: str = ".") -> str:
    """``"LPG 3 KG(1.25), BERAS MEDIUM(0.40)"``: commodities pushing the indicator its way.

    ``changes`` holds commodity_name, change_wow_pct and sort_order of the commodities in the
    indicator. Each value is the commodity's share of the indicator (its change / number of
    commodities), in percentage points; only shares with the indicator's sign are listed,
    largest first, at most three.
    """
    if pd.isna(indicator) or indicator == 0 or changes.empty:
        return ""
    count = len(changes)
    shares = [
        (change / count, order, name)
        for name, change, order in zip(
            changes["commodity_name"], changes["change_wow_pct"], changes["sort_order"], strict=True
        )
    ]
    same_sign = [item for item in shares if np.sign(item[0]) == np.sign(indicator)]
    same_sign.sort(key=lambda item: (-abs(item[0]), item[1]))
    return ", ".join(
        f"{str(name).upper()}({f'{share:.2f}'.replace('.', decimal)})"
        for share, _, name in same_sign[:MAX_DRIVERS]
    )


def volatility(prices: pd.DataFrame, week: IsoWeek, days: tuple[int, ...]) -> pd.DataFrame:
    """Coefficient of variation (%, sample SD / mean) of counted daily prices, 2 weeks."""
    wanted = set(week.days(days)) | set(week.shifted(-1).days(days))
    rows = prices[pd.to_datetime(prices["date"]).dt.date.isin(wanted)]
    if rows.empty:
        return pd.DataFrame(
            {
                "region_code": pd.Series([], dtype="str"),
                "commodity": pd.Series([], dtype="str"),
                "cv_pct": pd.Series([], dtype="float64"),
            }
        )
    grouped = rows.groupby(["region_code", "commodity"])["value"]
    stats = grouped.agg(["std", "mean", "count"]).reset_index()
    stats = stats[stats["count"] >= 2]
    stats["cv_pct"] = (stats["std"] / stats["mean"] * 100.0).round(2)
    return stats[["region_code", "commodity", "cv_pct"]]


def _rows_by_region(rows: pd.DataFrame) -> dict[str, list[dict]]:
    """The detail rows as plain records grouped by region (sorted), in their original order.

    Plain records keep the per-regency loop cheap at national size (514 regencies).
    """
    columns = ["region_code", "region_name", "commodity_name", "change_wow_pct", "sort_order",
               "status_level", "open_alerts"]  # fmt: skip
    grouped: dict[str, list[dict]] = {}
    for record in rows[columns].to_dict("records"):
        grouped.setdefault(record["region_code"], []).append(record)
    return dict(sorted(grouped.items()))


def _level(record: dict) -> float:
    level = record["status_level"]
    return 0.0 if pd.isna(level) else float(level)


def _order(record: dict) -> float:
    order = record["sort_order"]
    return float("inf") if pd.isna(order) else float(order)


def regency_summary(
    detail: pd.DataFrame,
    prices: pd.DataFrame,
    commodities: pd.DataFrame,
    week: IsoWeek,
    days: tuple[int, ...],
) -> pd.DataFrame:
    """One row per regency: price-change indicator, drivers, most volatile commodity, alerts."""
    order = commodities.set_index("commodity")["sort_order"]
    rows_all = detail.assign(sort_order=detail["commodity"].map(order))
    cv = volatility(prices, week, days).merge(
        rows_all[["region_code", "commodity", "commodity_name", "sort_order"]],
        on=["region_code", "commodity"],
    )
    cv = cv.sort_values(["region_code", "cv_pct", "sort_order"], ascending=[True, False, True])
    most_volatile = cv.groupby("region_code").head(1).set_index("region_code")
    records = []
    for region_code, rows in _rows_by_region(rows_all).items():
        changes = pd.DataFrame(
            [r for r in rows if not pd.isna(r["change_wow_pct"])],
            columns=["commodity_name", "change_wow_pct", "sort_order"],
        )
        indicator = round(float(changes["change_wow_pct"].mean()), 2) if len(changes) else np.nan
        top = most_volatile.loc[region_code] if region_code in most_volatile.index else None
        alert_rows = sorted(
            (r for r in rows if _level(r) >= ALERT_LEVEL),
            key=lambda r: (-_level(r), _order(r)),
        )
        levels_seen = [_level(r) for r in rows if not pd.isna(r["status_level"])]
        max_level = int(max(levels_seen)) if levels_seen else None
        records.append(
            {
                "schema_version": settings.SCHEMA_VERSION,
                "week": week.label,
                "price_days": settings.price_days_label(days),
                "region_code": region_code,
                "region_name": rows[0]["region_name"],
                "price_change_indicator_pct": indicator,
                "commodities_compared": int(len(changes)),
                "drivers": driver_text(changes, indicator),
                "most_volatile_commodity": None if top is None else top["commodity_name"],
                "most_volatile_cv_pct": np.nan if top is None else float(top["cv_pct"]),
                "max_status_level": max_level,
                "max_status": None if max_level is None else levels.label(max_level, "id"),
                "in_alert": int(bool(alert_rows)),
                "alert_commodities": ", ".join(
                    f"{r['commodity_name']}({levels.label(int(_level(r)), 'id')})"
                    for r in alert_rows
                ),
                "open_alerts": int(
                    sum(r["open_alerts"] for r in rows if not pd.isna(r["open_alerts"]))
                ),
            }
        )
    frame = pd.DataFrame.from_records(records)
    frame["max_status_level"] = frame["max_status_level"].astype("Int64")
    return frame
