"""Build the weekly export tables (detail and summaries) from the warehouse.

The formulas are documented column by column in ``docs/weekly_export.md``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import pandas as pd

from reports import settings
from reports.summary import commodity_summary, regency_summary
from reports.weeks import IsoWeek, last_complete_week
from warehouse import cover, levels
from warehouse.reference import province_code, province_label
from warehouse.reference_rule import ReferenceBook
from warehouse.report_queries import (
    WeeklyInputs,
    weekly_inputs,
)
from warehouse.report_queries import data_as_of as read_data_as_of

# Statuses computed up to this many days after the week's Sunday still describe that week
# (the Monday meeting and the following days use them).
STATUS_GRACE_DAYS = 7


class NoData(RuntimeError):
    """The warehouse has no facts at all, or none in the requested week."""


class StaleData(RuntimeError):
    """The newest data is older than the staleness limit."""

    def __init__(self, message: str, data_as_of: dt.date, age_days: int, limit_days: int):
        super().__init__(message)
        self.data_as_of = data_as_of
        self.age_days = age_days
        self.limit_days = limit_days


@dataclass
class WeeklyExport:
    """The three tables of one weekly export and what they were built from."""

    week: IsoWeek
    price_days: tuple[int, ...]
    data_as_of: dt.date
    stale: bool
    age_days: int
    status_run_id: str | None
    detail: pd.DataFrame
    commodities: pd.DataFrame
    regencies: pd.DataFrame
    regions: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Name -> table, in file order."""
        return {"detail": self.detail, "commodities": self.commodities, "regencies": self.regencies}


def stale_message(data_as_of: dt.date, today: dt.date, limit: int) -> str:
    """The bilingual message shown when the data is too old."""
    age = (today - data_as_of).days
    return (
        f"Data terbaru bertanggal {data_as_of.isoformat()}, sudah {age} hari sebelum "
        f"{today.isoformat()} (batas {limit} hari). Perbarui data dulu (python -m ingest ...), "
        "atau jalankan ulang dengan --allow-stale untuk ekspor bertanda 'stale'. / "
        f"Newest data is from {data_as_of.isoformat()}, {age} days before {today.isoformat()} "
        f"(limit {limit} days). Refresh the data first, or re-run with --allow-stale to export "
        "files flagged as stale."
    )


def build_weekly(
    path: str | os.PathLike[str] | None = None,
    week: IsoWeek | None = None,
    *,
    today: dt.date | None = None,
    price_days: tuple[int, ...] | None = None,
    stale_days: int | None = None,
    allow_stale: bool = False,
) -> WeeklyExport:
    """Build the weekly export for ``week`` (default: last complete ISO week of the data).

    Raises :class:`NoData` on an empty warehouse and :class:`StaleData` when the newest data
    is older than the staleness limit relative to ``today`` (unless ``allow_stale``).
    """
    days = price_days or settings.price_days_setting()
    limit = settings.stale_days_setting(stale_days)
    today = today or dt.date.today()
    if isinstance(today, dt.datetime):  # also pandas Timestamps
        today = today.date()
    as_of = read_data_as_of(path)
    if as_of is None:
        raise NoData(
            "Gudang data belum berisi data harga/stok. Impor data dulu. / "
            "The warehouse holds no price or stock data yet. Import data first."
        )
    age = (today - as_of).days
    stale = age > limit
    if stale and not allow_stale:
        raise StaleData(stale_message(as_of, today, limit), as_of, age, limit)
    week = week or last_complete_week(as_of)
    inputs = weekly_inputs(
        path,
        price_start=week.shifted(-4).monday,
        stock_start=week.monday - dt.timedelta(days=settings.COVER_WINDOW_DAYS),
        end=week.sunday,
        status_cutoff=week.sunday + dt.timedelta(days=STATUS_GRACE_DAYS),
    )
    as_of = inputs.data_as_of or as_of  # the snapshot the tables were read from
    if not has_data_in_week(inputs, week):
        raise NoData(
            f"Tidak ada data harga atau stok untuk minggu {week.label} ({week.monday} s.d. "
            f"{week.sunday}). Pilih minggu lain (--week). / No price or stock data for week "
            f"{week.label}; choose another week."
        )
    detail = detail_table(inputs, week, days)
    detail["data_as_of"] = as_of.isoformat()
    detail["stale"] = int(stale)
    notes = []
    if week.sunday > as_of:
        notes.append(f"week {week.label} is not complete in the data (newest {as_of.isoformat()})")
    export = WeeklyExport(
        week=week,
        price_days=days,
        data_as_of=as_of,
        stale=stale,
        age_days=age,
        status_run_id=inputs.status_run_id,
        detail=detail,
        commodities=commodity_summary(detail, inputs.prices, week, days),
        regencies=regency_summary(detail, inputs.prices, inputs.commodities, week, days),
        regions=inputs.regions,
        notes=notes,
    )
    for table in (export.commodities, export.regencies):
        table["data_as_of"] = as_of.isoformat()
        table["stale"] = int(stale)
    return export


def has_data_in_week(inputs: WeeklyInputs, week: IsoWeek) -> bool:
    """True when any price or stock/distribution value falls inside the week."""
    for frame in (inputs.prices, inputs.stocks):
        days = pd.to_datetime(frame["date"])
        if days.between(pd.Timestamp(week.monday), pd.Timestamp(week.sunday)).any():
            return True
    return False


# ---------------------------------------------------------------- detail table


def detail_table(inputs: WeeklyInputs, week: IsoWeek, days: tuple[int, ...]) -> pd.DataFrame:
    """One row per regency x commodity: every regency (also one without any report) and
    every commodity with at least one price or stock value in the province in the window
    read (the week, the four weeks before it, and the cover window)."""
    reported = set(inputs.prices["commodity"].unique()) | set(inputs.stocks["commodity"].unique())
    listed = inputs.commodities[inputs.commodities["commodity"].isin(reported)]
    grid = with_province(inputs)[["region_code", "region_name"]].merge(
        listed[["commodity", "commodity_name", "price_unit", "stock_unit"]], how="cross"
    )
    grid.insert(0, "schema_version", settings.SCHEMA_VERSION)
    grid.insert(1, "week", week.label)
    grid.insert(2, "week_start", week.monday.isoformat())
    grid.insert(3, "week_end", week.sunday.isoformat())
    grid.insert(4, "price_days", settings.price_days_label(days))
    keys = ["region_code", "commodity"]
    current = window_prices(inputs.prices, week, days)
    previous = window_prices(inputs.prices, week.shifted(-1), days)
    earlier = window_prices(inputs.prices, week.shifted(-4), days)
    table = grid.merge(current, on=keys, how="left")
    table = table.merge(
        previous[keys + ["mean_price"]].rename(columns={"mean_price": "prev_week_mean_price"}),
        on=keys,
        how="left",
    )
    table = table.merge(
        earlier[keys + ["mean_price"]].rename(columns={"mean_price": "mean_price_4w_ago"}),
        on=keys,
        how="left",
    )
    table["change_wow_pct"] = pct_change(table["mean_price"], table["prev_week_mean_price"])
    table["change_4w_pct"] = pct_change(table["mean_price"], table["mean_price_4w_ago"])
    table = table.merge(
        reference_in_force(inputs.references, grid, week, days), on=keys, how="left"
    )
    table["vs_reference_pct"] = pct_change(table["mean_price"], table["reference_price"])
    table = table.merge(stock_and_cover(inputs.stocks, week), on=keys, how="left")
    table = table.merge(status_columns(inputs.statuses), on=keys, how="left")
    alerts = inputs.open_alerts.astype({"open_alerts": "int64"})
    table = table.merge(alerts, on=keys, how="left")
    table["open_alerts"] = table["open_alerts"].fillna(0).astype("int64")
    table["days_reported"] = table["days_reported"].fillna(0).astype("int64")
    table["days_in_window"] = len(days)
    table["sources"] = table["sources"].fillna("")
    table = table.rename(columns={"price_unit": "unit"})
    return table[DETAIL_COLUMNS].reset_index(drop=True)


def with_province(inputs: WeeklyInputs) -> pd.DataFrame:
    """The regencies, preceded by the province itself when it has its own (province-level)
    prices or stock in the window read."""
    code = province_code()
    reported = set(inputs.prices["region_code"].astype(str).unique()) | set(
        inputs.stocks["region_code"].astype(str).unique()
    )
    if code not in reported:
        return inputs.regions
    row = pd.DataFrame(
        [{"region_code": code, "region_name": province_label("id"), "type": "provinsi"}]
    )
    return pd.concat([row, inputs.regions], ignore_index=True)


DETAIL_COLUMNS = [
    "schema_version",
    "week",
    "week_start",
    "week_end",
    "price_days",
    "region_code",
    "region_name",
    "commodity",
    "commodity_name",
    "unit",
    "mean_price",
    "prev_week_mean_price",
    "change_wow_pct",
    "mean_price_4w_ago",
    "change_4w_pct",
    "reference_kind",
    "reference_price",
    "reference_valid_from",
    "reference_changed_in_week",
    "reference_price_before_change",
    "vs_reference_pct",
    "stock",
    "stock_unit",
    "stock_date",
    "days_of_cover",
    "status_level",
    "status",
    "status_rule",
    "status_reason",
    "open_alerts",
    "days_reported",
    "days_in_window",
    "sources",
]


def empty_frame(numeric: list[str], text: list[str] = ()) -> pd.DataFrame:
    """An empty per region x commodity frame with text keys (merges need matching dtypes)."""
    columns = {"region_code": pd.Series([], dtype="str"), "commodity": pd.Series([], dtype="str")}
    columns |= {name: pd.Series([], dtype="float64") for name in numeric}
    columns |= {name: pd.Series([], dtype="str") for name in text}
    return pd.DataFrame(columns)


def pct_change(value: pd.Series, base: pd.Series) -> pd.Series:
    """``(value / base - 1) * 100`` rounded to 2 decimals; empty when either is missing."""
    value = pd.to_numeric(value, errors="coerce").astype("float64")
    base = pd.to_numeric(base, errors="coerce").astype("float64")
    result = (value / base.where(base > 0) - 1.0) * 100.0
    return result.round(2)


def counted_prices(prices: pd.DataFrame, week: IsoWeek, days: tuple[int, ...]) -> pd.DataFrame:
    """The daily prices of one week that fall on the counted weekdays."""
    wanted = set(week.days(days))
    dates = pd.to_datetime(prices["date"]).dt.date
    return prices[dates.isin(wanted)]


def window_prices(prices: pd.DataFrame, week: IsoWeek, days: tuple[int, ...]) -> pd.DataFrame:
    """Mean price, number of days reported and sources per region x commodity for one week."""
    rows = counted_prices(prices, week, days)
    if rows.empty:
        return empty_frame(["mean_price", "days_reported"], ["sources"])
    grouped = rows.groupby(["region_code", "commodity"], sort=True)
    result = grouped.agg(
        mean_price=("value", "mean"),
        days_reported=("date", "nunique"),
        sources=("source", lambda s: ", ".join(sorted(set(s)))),
    ).reset_index()
    result["mean_price"] = result["mean_price"].round(2)
    return result


def reference_in_force(
    references: pd.DataFrame, grid: pd.DataFrame, week: IsoWeek, days: tuple[int, ...]
) -> pd.DataFrame:
    """Reference price on the last counted day, and whether it changed during the counted days
    (the row in force follows warehouse/reference_rule.py)."""
    counted = week.days(days)
    book = ReferenceBook(references)
    records = []
    for region_code, commodity in grid[["region_code", "commodity"]].itertuples(index=False):
        per_day = [book.on(region_code, commodity, day) for day in counted]
        last = per_day[-1]
        values = [None if row is None else row.value for row in per_day]
        changed = len(set(values)) > 1
        first_known = next((v for v in values if v is not None), None)
        records.append(
            {
                "region_code": region_code,
                "commodity": commodity,
                "reference_kind": None if last is None else last.kind,
                "reference_price": None if last is None else last.value,
                "reference_valid_from": None if last is None else last.valid_from.isoformat(),
                "reference_changed_in_week": int(changed),
                "reference_price_before_change": first_known if changed else None,
            }
        )
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "region_code",
            "commodity",
            "reference_kind",
            "reference_price",
            "reference_valid_from",
            "reference_changed_in_week",
            "reference_price_before_change",
        ],
    )
    for column in ("reference_price", "reference_price_before_change"):
        frame[column] = frame[column].astype("float64")
    return frame


def stock_and_cover(stocks: pd.DataFrame, week: IsoWeek) -> pd.DataFrame:
    """Latest stock inside the week and days of cover (stock / mean daily distribution).

    The distribution denominator is the mean of the reported daily distributions over the
    ``COVER_WINDOW_DAYS`` days ending on the stock date.
    """
    empty = empty_frame(["stock", "days_of_cover"], ["stock_date"])
    if stocks.empty:
        return empty
    keys = ["region_code", "commodity"]
    frame = stocks.assign(day=pd.to_datetime(stocks["date"]))
    monday, sunday = pd.Timestamp(week.monday), pd.Timestamp(week.sunday)
    in_week = frame[(frame["metric"] == "stock") & frame["day"].between(monday, sunday)]
    if in_week.empty:
        return empty
    latest = in_week.sort_values("day").groupby(keys).tail(1)[keys + ["day", "value"]]
    distribution = frame[frame["metric"] == "distribution"][keys + ["day", "value"]]
    paired = latest.merge(distribution, on=keys, how="inner", suffixes=("", "_dist"))
    start = cover.window_start(paired["day"])
    paired = paired[(paired["day_dist"] >= start) & (paired["day_dist"] <= paired["day"])]
    mean_daily = paired.groupby(keys)["value_dist"].mean().rename("mean_distribution")
    result = latest.merge(mean_daily.reset_index(), on=keys, how="left")
    return (
        pd.DataFrame(
            {
                "region_code": result["region_code"],
                "commodity": result["commodity"],
                "stock": result["value"].astype("float64").round(3),
                "stock_date": result["day"].dt.strftime("%Y-%m-%d"),
                "days_of_cover": cover.days_of_cover(result["value"], result["mean_distribution"])
                .astype("float64")
                .round(1),
            }
        )
        .sort_values(keys)
        .reset_index(drop=True)
    )


def status_columns(statuses: pd.DataFrame) -> pd.DataFrame:
    """Level, Indonesian label, rule and reason of the chosen forecasting run."""
    if statuses.empty:
        return pd.DataFrame(
            {
                "region_code": pd.Series([], dtype="object"),
                "commodity": pd.Series([], dtype="object"),
                "status_level": pd.Series([], dtype="Int64"),
                "status": pd.Series([], dtype="object"),
                "status_rule": pd.Series([], dtype="object"),
                "status_reason": pd.Series([], dtype="object"),
            }
        )
    return pd.DataFrame(
        {
            "region_code": statuses["region_code"],
            "commodity": statuses["commodity"],
            "status_level": statuses["level"].astype("Int64"),
            "status": [levels.label(v, "id") for v in statuses["level"]],
            "status_rule": statuses["rule"],
            "status_reason": statuses["reason_id"],
        }
    )
