"""The forecasting batch: read the warehouse, fit outside the lock, write one run.

``run_batch`` reads ``daily_values`` (read-only), forecasts every series in a process pool,
projects stock, computes statuses, signals and alerts, then writes everything in ONE
``write_transaction``.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from forecasting import alerting, signals, stockout
from forecasting.data import NoDataError, Reference, load_reference, load_values, series_of
from forecasting.series import (
    FLOW_TRAIN_DAYS,
    PRICE_FREQ,
    REFIT_DAYS,
    SeriesResult,
    SeriesTask,
    StoredFit,
    flow_task,
    price_task,
    refit_due,
    run_chunk,
)
from forecasting.status import (
    STATUS_FIELDS,
    StatusInputs,
    Thresholds,
    compute_status,
)
from warehouse.db import read_df, write_transaction
from warehouse.reference_rule import ReferenceBook

PathLike = str | os.PathLike[str] | None
Progress = Callable[[int, int], None]
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
FORECAST_COLUMNS = [
    "run_id", "region_code", "commodity", "metric", "date", "horizon",
    "mean", "lo80", "hi80", "lo95", "hi95", "model",
]  # fmt: skip
STATUS_COLUMNS = [
    "run_id", "as_of", "region_code", "commodity", "level", "rule", "reason_id", "reason_en",
    "price", "reference_price", "disparity_pct", "stock", "avg_distribution",
    "cover_window_days", "days_cover", "stockout_date", "projected_cover",
    "p_stockout_7", "p_stockout_14", "p_stockout_21",
]  # fmt: skip


@dataclass
class RunOutcome:
    """Everything one run computed, ready to be written."""

    run_id: str
    data_as_of: dt.date | None
    results: list[SeriesResult]
    forecasts: pd.DataFrame
    statuses: pd.DataFrame
    signals: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: alerting.AlertWrites = field(default_factory=alerting.AlertWrites)
    seconds: float = 0.0

    @property
    def n_fallback(self) -> int:
        return sum(1 for r in self.results if r.fallback_reason)

    @property
    def n_refitted(self) -> int:
        return sum(1 for r in self.results if r.refitted)

    def summary(self, status: str = "success") -> dict:
        return {
            "run_id": self.run_id,
            "status": status,
            "n_series": len(self.results),
            "n_fallback": self.n_fallback,
            "n_refitted": self.n_refitted,
            "seconds": round(self.seconds, 2),
            "data_as_of": self.data_as_of.isoformat() if self.data_as_of else None,
        }


def new_run_id(prefix: str = "fc") -> str:
    """A sortable unique run id: ``fc-20261120T101500-1a2b3c``."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{prefix}-{stamp}-{secrets.token_hex(3)}"


def weekly_prices(values: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """``W-MON`` weekly mean prices of every region × commodity, in one grouped pass (the
    same bins as ``resample``: weeks ending on Monday, labelled by that Monday)."""
    prices = values[(values["metric"] == "price") & values["value"].notna()]
    if prices.empty:
        return {}
    grouper = pd.Grouper(key="date", freq=PRICE_FREQ)
    means = prices.groupby(["region_code", "commodity", grouper], sort=True)["value"].mean()
    return {
        (str(region), str(commodity)): group.droplevel([0, 1]).astype(float)
        for (region, commodity), group in means.groupby(level=[0, 1], sort=True)
    }


def flow_tails(values: pd.DataFrame, metric: str) -> dict[tuple[str, str], pd.Series]:
    """The reported values of ``metric`` a flow task reads, per region × commodity: the last
    ``FLOW_TRAIN_DAYS`` days up to each series' last report, and the last report before them
    (a gap at the start of the window is interpolated from it, as on the full history)."""
    flows = values[(values["metric"] == metric) & values["value"].notna()]
    if flows.empty:
        return {}
    keys = ["region_code", "commodity"]
    last = flows.groupby(keys, sort=False)["date"].transform("max")
    inside = flows["date"] > last - pd.Timedelta(days=FLOW_TRAIN_DAYS)
    before = flows["date"].where(~inside)
    newest_before = before.groupby([flows[k] for k in keys], sort=False).transform("max")
    tail = flows[inside | (flows["date"] == newest_before)]
    return {
        (str(region), str(commodity)): pd.Series(
            group["value"].to_numpy(dtype=float),
            index=pd.DatetimeIndex(group["date"], name="date"),
            name="value",
        )
        for (region, commodity), group in tail.groupby(keys, sort=True)
    }


def build_tasks(values: pd.DataFrame) -> list[SeriesTask]:
    """Price (weekly) and distribution/delivery (daily) tasks for every series present."""
    tasks: list[SeriesTask] = []
    for (region, commodity), weekly in weekly_prices(values).items():
        tasks.append(price_task(region, commodity, weekly, weekly=True))
    for metric in ("distribution", "delivery"):
        for (region, commodity), series in flow_tails(values, metric).items():
            tasks.append(flow_task(region, commodity, metric, series))
    return tasks


TASK_METRICS = ("price", "distribution", "delivery")  # the order ``build_tasks`` returns


def task_order(task: SeriesTask | SeriesResult) -> tuple[int, str, str]:
    """The position of a series in ``build_tasks`` (metric, region, commodity)."""
    return (TASK_METRICS.index(task.metric), task.region, task.commodity)


def task_batches(values: pd.DataFrame) -> Iterator[list[SeriesTask]]:
    """``build_tasks`` one commodity at a time, so the workers fit the first commodity while
    the next is built (the same tasks; ``task_order`` sorts them back).

    The facts are split into one copy per commodity before the first batch is built: the
    batches never read ``values`` itself, which the statuses thread reads meanwhile.
    """
    wanted = values[values["metric"].isin(TASK_METRICS)]
    parts = [part for _, part in wanted.groupby("commodity", sort=True, observed=True)]
    return (build_tasks(part) for part in parts)


STORED_FITS_SQL = """
    SELECT s.region_code, s.commodity, s.metric, s.model, s.params, s.fitted_on,
           s.fallback_reason, s.run_id
    FROM forecast_series s JOIN forecast_runs r ON r.run_id = s.run_id
    WHERE r.status = 'success' AND s.fitted_on IS NOT NULL
      AND s.fitted_on >= ?
    QUALIFY row_number() OVER (
        PARTITION BY s.region_code, s.commodity, s.metric ORDER BY r.created_at DESC) = 1
"""
STORED_OVERALL_SQL = """
    SELECT b.run_id, b.region_code, b.commodity, b.metric, b.model,
           b.mase, b.mape, b.coverage80, b.coverage95
    FROM backtest_results b
    WHERE b.horizon IS NULL AND b.run_id IN (SELECT unnest(?::VARCHAR[]))
"""
HAS_PARAMS_SQL = (
    "SELECT count(*) FROM information_schema.columns"
    " WHERE table_name = 'forecast_series' AND column_name = 'fitted_on'"
)


def load_stored_fits(path: PathLike, as_of: dt.date) -> dict[tuple[str, str, str], StoredFit]:
    """The newest stored fit per series estimated in the ``REFIT_DAYS`` days before ``as_of``."""
    if int(read_df(HAS_PARAMS_SQL, path=path).iloc[0, 0]) == 0:
        return {}  # a warehouse from before parameters were stored: everything is estimated
    low = as_of - dt.timedelta(days=REFIT_DAYS)
    rows = read_df(STORED_FITS_SQL, [low], path=path)
    if rows.empty:
        return {}
    evidence = read_df(STORED_OVERALL_SQL, [sorted(set(rows["run_id"]))], path=path)
    overall: dict[tuple[str, str, str, str], dict[str, dict[str, float]]] = {}
    metrics = ["mase", "mape", "coverage80", "coverage95"]
    for row in evidence.itertuples(index=False):
        key = (row.run_id, row.region_code, row.commodity, row.metric)
        overall.setdefault(key, {})[row.model] = {
            m: float(getattr(row, m)) for m in metrics if pd.notna(getattr(row, m))
        }
    fits = {}
    for row in rows.itertuples(index=False):
        params = row.params
        fits[(row.region_code, row.commodity, row.metric)] = StoredFit(
            model=row.model,
            params=np.asarray(params, dtype=float) if _is_list(params) else None,
            fitted_on=pd.Timestamp(row.fitted_on).date(),
            reason=row.fallback_reason if isinstance(row.fallback_reason, str) else "",
            overall=overall.get((row.run_id, row.region_code, row.commodity, row.metric), {}),
        )
    return fits


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def attach_stored_fits(
    tasks: Sequence[SeriesTask], fits: dict[tuple[str, str, str], StoredFit], as_of: dt.date
) -> int:
    """Give each task not due for re-estimation its stored fit; returns how many got one."""
    attached = 0
    for task in tasks:
        stored = fits.get(task.key)
        task.stored = None if refit_due(task, stored, as_of) else stored
        attached += task.stored is not None
    return attached


def _chunks(tasks: Sequence[SeriesTask], size: int) -> Iterable[list[SeriesTask]]:
    for start in range(0, len(tasks), size):
        yield list(tasks[start : start + size])


def run_tasks(
    tasks: Sequence[SeriesTask], workers: int = 1, progress: Progress | None = None
) -> list[SeriesResult]:
    """Run the tasks, in a spawned process pool when ``workers > 1``."""
    results: list[SeriesResult] = []
    total = len(tasks)
    if workers <= 1 or total <= 1:
        for task in tasks:
            results.extend(run_chunk([task]))
            if progress:
                progress(len(results), total)
        return results
    results = run_in_pool([tasks], workers, progress)
    order = {(t.region, t.commodity, t.metric): i for i, t in enumerate(tasks)}
    return sorted(results, key=lambda r: order[(r.region, r.commodity, r.metric)])


def run_in_pool(
    batches: Iterable[Sequence[SeriesTask]], workers: int, progress: Progress | None = None
) -> list[SeriesResult]:
    """Run batches of tasks in a spawned process pool, submitting each batch as soon as it is
    built (building the next overlaps the fitting); results in completion order."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"  # inherited by the spawned workers before numpy loads
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    results: list[SeriesResult] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures, total = [], 0
        for batch in batches:
            size = max(1, min(8, len(batch) // (workers * 4) or 1))
            futures += [pool.submit(run_chunk, chunk) for chunk in _chunks(batch, size)]
            total += len(batch)
        for future in as_completed(futures):
            results.extend(future.result())
            if progress:
                progress(len(results), total)
    return results


def _result_map(results: Iterable[SeriesResult]) -> dict[tuple[str, str, str], SeriesResult]:
    return {(r.region, r.commodity, r.metric): r for r in results}


def project_stock(
    last_stock: float,
    as_of: dt.date,
    distribution: pd.DataFrame,
    delivery: pd.DataFrame,
    horizon: int,
) -> pd.DataFrame:
    """Projected stock = last stock + cumulative (delivery − distribution) forecasts.

    Intervals combine the two flows' forecast variances (read off their 95% bands) as the
    variance of a cumulative sum (``stockout.cumulative_sd``: a shock to a flow's level stays
    in every later day); the flows are independent of each other. The projected mean is left
    unclipped so a negative value marks the stock-out.
    """
    dates = pd.date_range(pd.Timestamp(as_of) + pd.Timedelta(days=1), periods=horizon, freq="D")

    def aligned(frame: pd.DataFrame) -> pd.DataFrame:
        if frame is None or frame.empty:
            return pd.DataFrame(0.0, index=dates, columns=["mean", "lo95", "hi95"])
        indexed = frame.set_index(pd.DatetimeIndex(frame["ds"]))[["mean", "lo95", "hi95"]]
        return indexed.reindex(dates).ffill().bfill().fillna(0.0)

    dist, deliv = aligned(distribution), aligned(delivery)
    mean = float(last_stock) + np.cumsum(deliv["mean"].to_numpy() - dist["mean"].to_numpy())
    sd_dist = (dist["hi95"] - dist["lo95"]).to_numpy() / (2 * 1.959963984540054)
    sd_del = (deliv["hi95"] - deliv["lo95"]).to_numpy() / (2 * 1.959963984540054)
    sd = np.sqrt(stockout.cumulative_sd(sd_dist) ** 2 + stockout.cumulative_sd(sd_del) ** 2)
    frame = pd.DataFrame({"ds": dates, "horizon": np.arange(1, horizon + 1), "mean": mean})
    for level, z in ((80, 1.2815515655446004), (95, 1.959963984540054)):
        frame[f"lo{level}"] = np.clip(mean - z * sd, 0, None)
        frame[f"hi{level}"] = np.clip(mean + z * sd, 0, None)
    return frame


def _forecast_rows(run_id: str, results: list[SeriesResult]) -> list[pd.DataFrame]:
    """The series' forecast rows as one frame (keys repeated per row; one concat)."""
    kept = [result for result in results if not result.forecast.empty]
    if not kept:
        return []
    frame = pd.concat([r.forecast for r in kept], ignore_index=True)
    frame = frame.rename(columns={"ds": "date"})
    lengths = [len(r.forecast) for r in kept]
    frame["run_id"] = run_id
    for column, attribute in (("region_code", "region"), ("commodity", "commodity"),
                              ("metric", "metric")):  # fmt: skip
        frame[column] = pd.Series(
            np.repeat([getattr(r, attribute) for r in kept], lengths), dtype="str"
        )
    return [frame]


def pair_statuses(
    values: pd.DataFrame,
    reference: Reference,
    as_of: dt.date,
    projections: dict[tuple[str, str], pd.Series],
) -> pd.DataFrame:
    """One status row per region × commodity present in ``values``."""
    known = status_window(values, as_of, ("price", "stock", "distribution"))
    metric_series = {m: series_of(known, m) for m in ("price", "stock", "distribution")}
    keys = values[["region_code", "commodity"]].drop_duplicates()
    pairs = sorted(zip(keys["region_code"], keys["commodity"], strict=True))
    thresholds = reference.thresholds.set_index("commodity")
    commodities = reference.commodities.set_index("code")
    book = ReferenceBook(reference.references)
    limits = {c: Thresholds.from_row(thresholds.loc[c]) for c in thresholds.index.unique()}
    units = {
        c: (str(commodities.loc[c, "price_unit"]), str(commodities.loc[c, "stock_unit"]))
        for c in commodities.index.unique()
    }
    empty = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    rows = []
    for region, commodity in pairs:
        if commodity not in limits:
            continue
        price_unit, stock_unit = units.get(commodity, ("", ""))
        found = book.on(region, commodity, as_of)
        inputs = StatusInputs(
            region=region,
            commodity=commodity,
            as_of=as_of,
            price=metric_series["price"].get((region, commodity), empty),
            stock=metric_series["stock"].get((region, commodity), empty),
            distribution=metric_series["distribution"].get((region, commodity), empty),
            thresholds=limits[commodity],
            reference=None if found is None else (found.value, found.kind),
            price_unit=price_unit,
            stock_unit=stock_unit,
            projected_stock=projections.get((region, commodity)),
        )
        rows.append(compute_status(inputs))
    return pd.DataFrame(rows, columns=list(STATUS_FIELDS))


STATUS_LOOKBACK_DAYS = 31  # longer than every window ``compute_status`` reads (7 and 14 days)


def status_window(values: pd.DataFrame, as_of: dt.date, metrics: Sequence[str]) -> pd.DataFrame:
    """The facts ``compute_status`` can read on ``as_of``: reported values of the last
    ``STATUS_LOOKBACK_DAYS`` days, and each series' last reported value (its last stock may be
    older). It reads nothing else, so its numbers and words are those of the full history."""
    day = pd.Timestamp(as_of)
    known = values[
        values["metric"].isin(metrics) & values["value"].notna() & (values["date"] <= day)
    ]
    newest = known.groupby(["region_code", "commodity", "metric"])["date"].transform("max")
    recent = known["date"] > day - pd.Timedelta(days=STATUS_LOOKBACK_DAYS)
    return known[recent | (known["date"] == newest)]


def run_statuses(
    values: pd.DataFrame, reference: Reference, as_of: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statuses and signal rows on ``as_of``: the engine's levels, rules and numbers (the code
    the replay runs), with the words of ``compute_status`` where no rule is raised."""
    from forecasting import engine

    statuses = pair_statuses(values, reference, as_of, {})
    signal_rows = signals.run_signals(values, reference, statuses, as_of)
    statuses = engine.adopt(statuses, engine.live_statuses(values, reference, as_of))
    statuses = signals.kind_reasons(statuses, signal_rows)
    composites = pd.DataFrame(signals.regency_composites(statuses))
    if not composites.empty:
        signal_rows = pd.concat([signal_rows, composites], ignore_index=True)
    return statuses, signal_rows


def _fit_and_judge(
    batches: Iterable[Sequence[SeriesTask]],
    workers: int,
    scheduler: str | None,
    progress: Progress | None,
    statuses: Callable[[], tuple[pd.DataFrame, pd.DataFrame]],
) -> tuple[list[SeriesResult], tuple[pd.DataFrame, pd.DataFrame]]:
    """Fit the series and compute the statuses (which read the facts, not the forecasts).

    When the fitting runs in worker processes (or on a cluster) the statuses are computed in
    a thread of this process meanwhile, so both cores work; local workers get each batch of
    tasks as soon as it is built. A serial run does one after the other (the fits capture
    warnings, which a second thread here could mix into them).
    """
    from forecasting.distributed import execute

    if workers <= 1 and not scheduler:
        tasks = [task for batch in batches for task in batch]
        return execute(tasks, workers, scheduler, progress), statuses()
    with ThreadPoolExecutor(max_workers=1) as thread:
        pending = thread.submit(statuses)
        if scheduler:
            tasks = [task for batch in batches for task in batch]
            results = execute(tasks, workers, scheduler, progress)
        else:
            results = run_in_pool(batches, workers, progress)  # compute_run sorts them
        return results, pending.result()


def compute_run(
    path: PathLike = None,
    regions: Sequence[str] | None = None,
    commodities: Sequence[str] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    scheduler: str | None = None,
    as_of: dt.date | None = None,
    refit: bool = False,
) -> RunOutcome:
    """Everything a run computes, without writing (the slow part, outside any lock).

    ``scheduler`` (a Dask address) fans the series out over a cluster instead of local workers.
    ``as_of`` runs on what was known at the end of that past day (the replay's vintage).
    Series whose stored parameters are recent re-filter them; ``refit`` re-estimates all.
    """
    started = time.monotonic()
    run_id = new_run_id()
    vintage = as_of is not None  # a past day re-estimates: stored fits may know later data
    if as_of is None:
        values = load_values(path, regions, commodities)
    else:
        from forecasting.data import load_vintages
        from forecasting.engine import vintage_on

        values = vintage_on(load_vintages(path, regions, commodities), as_of)
    reference = load_reference(path)
    if values.empty:
        return RunOutcome(run_id, None, [], pd.DataFrame(), pd.DataFrame())
    as_of = as_of or values["date"].max().date()
    fits = {} if refit or vintage else load_stored_fits(path, as_of)

    def with_fits(batch: list[SeriesTask]) -> list[SeriesTask]:
        attach_stored_fits(batch, fits, as_of)
        return batch

    batches = (with_fits(batch) for batch in task_batches(values))  # split here, built lazily
    results, (statuses, signal_rows) = _fit_and_judge(
        batches, workers, scheduler, progress, lambda: run_statuses(values, reference, as_of)
    )
    results.sort(key=task_order)
    for result in results:
        if result.refitted:
            result.fitted_on = as_of
    by_key = _result_map(results)
    forecast_parts = _forecast_rows(run_id, results)
    projections: dict[tuple[str, str], pd.Series] = {}
    for (region, commodity), stock in series_of(values, "stock").items():
        dist = by_key.get((region, commodity, "distribution"))
        deliv = by_key.get((region, commodity, "delivery"))
        if dist is None or dist.forecast.empty:
            continue
        frame = project_stock(
            float(stock.dropna().iloc[-1]),
            as_of,
            dist.forecast,
            deliv.forecast if deliv is not None else None,
            len(dist.forecast),
        )
        projections[(region, commodity)] = frame.set_index("ds")["mean"]
        frame = frame.rename(columns={"ds": "date"})
        frame["mean"] = frame["mean"].clip(lower=0.0)
        frame["model"] = f"projection({dist.model}/{deliv.model if deliv else 'none'})"
        frame["run_id"], frame["region_code"], frame["commodity"] = run_id, region, commodity
        frame["metric"] = "stock"
        forecast_parts.append(frame)
    forecasts = (
        pd.concat(forecast_parts, ignore_index=True)[FORECAST_COLUMNS]
        if forecast_parts
        else pd.DataFrame(columns=FORECAST_COLUMNS)
    )
    statuses["run_id"] = run_id
    outcome = RunOutcome(run_id, as_of, results, forecasts, statuses, signal_rows)
    outcome.seconds = time.monotonic() - started
    return outcome


def backtest_rows(run_id: str, results: list[SeriesResult]) -> pd.DataFrame:
    """Backtest metrics per series and model: by horizon and overall (horizon NULL)."""
    parts = []
    for r in results:
        key = {"run_id": run_id, "region_code": r.region, "commodity": r.commodity}
        if not r.by_horizon.empty:
            parts.append(r.by_horizon.assign(**key, metric=r.metric))
        if r.overall:
            parts.append(
                pd.DataFrame([{**key, "metric": r.metric, "model": model, "horizon": None,
                               **metrics} for model, metrics in r.overall.items()])
            )  # fmt: skip
    if not parts:
        return pd.DataFrame()
    frame = pd.concat(parts, ignore_index=True)
    chosen = {(r.region, r.commodity, r.metric): r.model for r in results}
    frame["chosen"] = [
        chosen.get((a, b, c)) == m
        for a, b, c, m in zip(
            frame["region_code"], frame["commodity"], frame["metric"], frame["model"], strict=True
        )
    ]
    return frame


def series_rows(run_id: str, results: list[SeriesResult]) -> pd.DataFrame:
    """forecast_series rows: chosen model, n_obs, fallback reason and captured warnings."""
    return pd.DataFrame(
        [
            {
                "run_id": run_id,
                "region_code": r.region,
                "commodity": r.commodity,
                "metric": r.metric,
                "model": r.model,
                "n_obs": r.n_obs,
                "fallback_reason": r.fallback_reason or None,
                "warnings": "\n".join(r.warnings) or None,
                "params": None if r.params is None else [float(v) for v in r.params],
                "fitted_on": r.fitted_on,
            }
            for r in results
        ],
        columns=[
            "run_id", "region_code", "commodity", "metric", "model", "n_obs",
            "fallback_reason", "warnings", "params", "fitted_on",
        ],
    )  # fmt: skip


def _insert(con, table: str, frame: pd.DataFrame, columns: Sequence[str]) -> None:
    if frame is None or frame.empty:
        return
    names = ", ".join(columns)
    con.register("frame", frame[list(columns)])
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM frame")  # noqa: S608
    con.unregister("frame")


def write_run(path: PathLike, outcome: RunOutcome) -> None:
    """Write the whole run (and its alerts) in one transaction."""
    with write_transaction(path) as con:
        outcome.alerts = alerting.update_alerts_live(con, outcome)
        con.execute(
            "INSERT INTO forecast_runs (run_id, created_at, data_as_of, status, n_series,"
            " n_fallback, seconds, message, n_alerts) VALUES (?, ?, ?, 'success', ?, ?, ?, ?, ?)",
            [
                outcome.run_id,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                outcome.data_as_of,
                len(outcome.results),
                outcome.n_fallback,
                round(outcome.seconds, 3),
                f"{len(outcome.statuses)} statuses, {len(outcome.forecasts)} forecast rows,"
                f" {outcome.n_refitted} of {len(outcome.results)} series re-estimated",
                outcome.alerts.n_touched,
            ],
        )
        _insert(con, "forecasts", outcome.forecasts, FORECAST_COLUMNS)
        frame = series_rows(outcome.run_id, outcome.results)
        _insert(con, "forecast_series", frame, list(frame.columns))
        _insert(con, "statuses", outcome.statuses, STATUS_COLUMNS)
        backtests = backtest_rows(outcome.run_id, outcome.results)
        backtest_columns = [
            "run_id", "region_code", "commodity", "metric", "model", "horizon",
            "mase", "mape", "coverage80", "coverage95", "n", "chosen",
        ]  # fmt: skip
        if not backtests.empty:
            for column in backtest_columns:
                if column not in backtests.columns:
                    backtests[column] = None
        _insert(con, "backtest_results", backtests, backtest_columns)
        if not outcome.signals.empty:
            sig = outcome.signals.assign(run_id=outcome.run_id)
            _insert(con, "signals", sig, signals.SIGNAL_COLUMNS)


def run_batch(
    path: PathLike = None,
    regions: Sequence[str] | None = None,
    commodities: Sequence[str] | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    scheduler: str | None = None,
    as_of: dt.date | None = None,
    refit: bool = False,
) -> RunOutcome:
    """Compute a run outside the lock, then write it in one transaction."""
    started = time.monotonic()
    outcome = compute_run(path, regions, commodities, workers, progress, scheduler, as_of, refit)
    if outcome.data_as_of is None:
        raise NoDataError()
    outcome.seconds = time.monotonic() - started
    write_run(path, outcome)
    outcome.seconds = time.monotonic() - started
    return outcome
