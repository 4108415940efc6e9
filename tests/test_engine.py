"""The early-warning engine: depots read the way they work, as-of data, one engine live/replay."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from forecasting import batch, deliveries, engine, stockout
from forecasting.data import load_reference, load_vintages, wide_daily
from tests.depot_helpers import DEMAND, START, as_values, quota_depot, reorder_depot
from tests.forecast_helpers import END, build_small_warehouse
from warehouse.db import init_warehouse, write_transaction

STOCK_RULES = ("days_of_cover", "projected_cover", "resupply_trend")
WARM_UP = 120  # days before the pattern is learnt


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return load_reference(init_warehouse(tmp_path_factory.mktemp("ref") / "w.duckdb"))


def stock_levels(values: pd.DataFrame, reference) -> pd.DataFrame:
    """Highest stock-rule level per date × region after the warm-up."""
    panel = engine.daily_panel(values, reference)
    levels = engine.panel_levels(panel, reference.thresholds)
    top = np.max([levels[rule].to_numpy() for rule in STOCK_RULES], axis=0)
    frame = pd.DataFrame(top, index=panel["stock"].index, columns=panel["stock"].columns)
    return frame.iloc[WARM_UP:].droplevel("commodity", axis=1)


def test_reorder_point_depots_without_incident_stay_quiet(reference):
    depots = {"1501": reorder_depot(400, 1), "1502": reorder_depot(400, 2),
              "1503": quota_depot(400, 3)}  # fmt: skip
    levels = stock_levels(as_values(depots), reference)
    assert (levels.max() < 2).all(), levels.max()
    # the old reading (deliveries at their 28-day mean) fired at the cycle bottoms: the depots
    # do reach their reorder bottoms, below the Waspada limit of 14 days
    panel = engine.daily_panel(as_values(depots), reference)
    assert (panel["days_cover"].iloc[WARM_UP:].min() < 15).all()


def test_missing_report_days_do_not_fire(reference):
    days = 400
    depots = {"1501": reorder_depot(days, 1), "1502": reorder_depot(days, 2),
              "1503": quota_depot(days, 3), "1504": reorder_depot(days, 4)}  # fmt: skip
    rng = np.random.default_rng(9)
    reported = {region: rng.random(days) > 0.15 for region in depots}
    every_third = np.zeros(days, dtype=bool)
    every_third[::3] = True
    reported["1504"] = every_third
    levels = stock_levels(as_values(depots, reported), reference)
    assert (levels.max() < 3).all(), levels.max()  # never Awas
    # at most one alert episode (Siaga days more than the 14-day cooldown apart) per pair-year
    episodes = sum(_episodes(levels[region] >= 2) for region in levels.columns)
    pair_years = levels.shape[1] * len(levels) / 365
    assert episodes <= pair_years, episodes


def _episodes(firing: pd.Series) -> int:
    days = firing[firing].index
    return int(sum(1 for i, day in enumerate(days) if i == 0 or (day - days[i - 1]).days > 14))


def test_reports_too_sparse_are_not_judged_and_say_so(reference):
    days = 300
    reported = np.zeros(days, dtype=bool)
    reported[::10] = True
    depot = reorder_depot(days, 5, stop_from=200)
    values = as_values({"1501": depot}, {"1501": reported})
    as_of = (START + pd.Timedelta(days=days - 1)).date()
    statuses = engine.live_statuses(values, reference, as_of)
    row = statuses.iloc[0]
    assert bool(row["too_sparse"]) and row["cover_level"] == 0
    words = batch.run_statuses(values, reference, as_of)[0].iloc[0]
    assert "laporan terlalu jarang" in words["reason_id"]
    assert "reports too sparse" in words["reason_en"]


def test_a_missed_expected_delivery_fires_before_cover_crosses_siaga(reference):
    days = 260
    missed_from = 200
    depots = {"1501": quota_depot(days, 3, missed_from=missed_from), "1502": quota_depot(days, 4),
              "1503": reorder_depot(days, 5)}  # fmt: skip
    values = as_values(depots)
    levels = stock_levels(values, reference)
    panel = engine.daily_panel(values, reference)
    cover = panel["days_cover"].droplevel("commodity", axis=1)["1501"]
    crossed = cover[cover < 11].index.min()
    fired = levels["1501"][levels["1501"] >= 2].index.min()
    assert levels["1501"].loc[: START + pd.Timedelta(days=missed_from - 1)].max() < 2
    assert fired is not pd.NaT and fired < crossed, (fired, crossed)
    assert bool(panel["delivery_missed"].loc[fired].droplevel("commodity")["1501"])
    assert levels[["1502", "1503"]].max().max() < 2


def test_a_quota_cut_in_every_regency_fires_before_cover_crosses_siaga(reference):
    # a province-wide cut: every regency's loads fall to 45 % of the quota from day 200; the
    # province-wide draw-down hold must not swallow it, and it fires before Siaga is crossed
    days, cut_from = 250, 200
    depots = {code: quota_depot(days, seed, cut_from=cut_from, cut=0.45)
              for seed, code in enumerate(("1501", "1502", "1503", "1504"), start=3)}  # fmt: skip
    values = as_values(depots)
    levels = stock_levels(values, reference)
    panel = engine.daily_panel(values, reference)
    cover = panel["days_cover"].droplevel("commodity", axis=1)
    cut_seen = panel["delivery_cut"].droplevel("commodity", axis=1)
    for region in depots:
        crossed = cover[region][cover[region] < 11].index.min()
        fired = levels[region][levels[region] >= 2].index.min()
        assert levels[region].loc[: START + pd.Timedelta(days=cut_from - 1)].max() < 2
        assert fired is not pd.NaT and fired < crossed, (region, fired, crossed)
        assert bool(cut_seen.at[fired, region])
    # the same depots uncut: no cut is read, nothing fires
    uncut = as_values({code: quota_depot(days, seed) for seed, code in enumerate(depots, 3)})
    assert not engine.daily_panel(uncut, reference)["delivery_cut"].iloc[WARM_UP:].any().any()
    assert (stock_levels(uncut, reference).max() < 2).all()


def _keyed_wrong(depot: pd.DataFrame, day: int) -> pd.DataFrame:
    """The depot with its stock report of ``day`` keyed 20 days of demand too high (an extra
    digit), the next report right again: read as one huge arrival, as in a real pattern window."""
    wrong = depot.copy()
    wrong.loc[day, "stock"] += 20 * DEMAND
    return wrong


def test_a_cut_is_read_at_its_first_load_past_a_keyed_wrong_stock_report(reference):
    # weekly quota depots; in 1501 a stock report keyed wrong on day 150 (a Saturday) is read as
    # a 20-day load that stays in its 180-day pattern window; from day 201 (a Monday) its loads
    # are 60 % of the quota. The outlier must not hide the cut: read at the first cut load, and
    # fired before the cover crosses Siaga; without the cut nothing is read and nothing fires
    days, wrong_on, cut_from = 240, 150, 201
    others = {"1502": quota_depot(days, 4), "1503": reorder_depot(days, 5)}
    cut = as_values({"1501": _keyed_wrong(quota_depot(days, 3, cut_from=cut_from, cut=0.6),
                                          wrong_on), **others})  # fmt: skip
    panel = engine.daily_panel(cut, reference)
    first_cut_load = START + pd.Timedelta(days=cut_from)
    assert first_cut_load.day_of_week == 0
    arrived, _ = deliveries.arrivals(*(
        wide_daily(cut, metric, panel["stock"].index)
        for metric in ("stock", "distribution", "delivery")
    ))  # fmt: skip
    outlier = arrived[("1501", "lpg_3kg")].iloc[wrong_on] / DEMAND
    assert outlier > 15, outlier  # the keyed-wrong report is in the window as a huge load
    cut_seen = panel["delivery_cut"].droplevel("commodity", axis=1)["1501"]
    assert not cut_seen.loc[: first_cut_load - pd.Timedelta(days=1)].iloc[WARM_UP:].any()
    assert bool(cut_seen.loc[first_cut_load])
    levels = stock_levels(cut, reference)
    cover = panel["days_cover"].droplevel("commodity", axis=1)["1501"]
    crossed = cover[cover < 11].index.min()
    fired = levels["1501"][levels["1501"] >= 2].index.min()
    assert levels["1501"].loc[: first_cut_load - pd.Timedelta(days=1)].max() < 2
    assert fired is not pd.NaT and fired < crossed, (fired, crossed)
    # the keyed-wrong report without a cut: no cut read, nothing fires
    uncut = as_values({"1501": _keyed_wrong(quota_depot(days, 3), wrong_on), **others})
    assert not engine.daily_panel(uncut, reference)["delivery_cut"].iloc[WARM_UP:].any().any()
    assert (stock_levels(uncut, reference).max() < 2).all()


def test_the_usual_spread_leaves_out_only_gross_outliers():
    rng = np.random.default_rng(1)
    steady = 7 * rng.lognormal(0, 0.03, 25)
    plain = lambda loads: float(loads.std() / loads.mean())  # noqa: E731
    # one keyed-wrong 29-day load, or one 18.6-day extra load, is left out
    for outlier in (29.2, 18.6):
        loads = np.append(steady, outlier)
        assert deliveries.usual_spread(loads) == pytest.approx(plain(steady))
        assert plain(loads) > 0.25
    # a large load is kept unless it is both: beyond the far-out fences of loads that vary
    # widely (refills every few days) though over twice their median ...
    varied = np.append(np.linspace(1.0, 3.0, 30), 4.5)
    assert 4.5 > 2 * np.median(varied) and deliveries.usual_spread(varied) == plain(varied)
    # ... or over twice the median: a one-off 11-day load among steady 7-day ones
    extra = np.append(steady, 11.0)
    assert plain(extra) > plain(steady) and deliveries.usual_spread(extra) == plain(extra)


def test_stockout_probability_rises_with_the_horizon_and_under_a_stop(reference):
    days = 260
    depots = {"1501": quota_depot(days, 3, missed_from=250), "1502": quota_depot(days, 4),
              "1503": reorder_depot(days, 5)}  # fmt: skip
    values = as_values(depots)
    as_of = (START + pd.Timedelta(days=253)).date()
    panel = engine.daily_panel(values, reference)
    levels = engine.panel_levels(panel, reference.thresholds)
    p = engine.probabilities_on(panel, levels, as_of, reference).set_index("region_code")
    assert (p["p_stockout_7"] <= p["p_stockout_14"]).all()
    assert (p["p_stockout_14"] <= p["p_stockout_21"]).all()
    assert p.loc["1501", "p_stockout_14"] > 0.9
    assert p.loc["1502", "p_stockout_14"] < 0.2


def test_calibration_bins_predictions_against_what_happened():
    dates = pd.date_range("2025-01-01", periods=40, freq="D")
    pairs = pd.MultiIndex.from_tuples([("1501", "lpg_3kg"), ("1502", "lpg_3kg")],
                                      names=["region_code", "commodity"])  # fmt: skip
    below = pd.DataFrame(0.0, index=dates, columns=pairs)
    below.loc[dates[20:], ("1501", "lpg_3kg")] = 1.0  # 1501 falls below Siaga on day 20
    rows = [{"as_of": d.date(), "region_code": r, "commodity": "lpg_3kg",
             "p_stockout_7": p, "p_stockout_14": p, "p_stockout_21": p}
            for d in dates[10:15] for r, p in (("1501", 0.9), ("1502", 0.02))]  # fmt: skip
    table = stockout.calibration(pd.DataFrame(rows), below)
    h14 = table[table["horizon_days"] == 14].set_index("bin_low")
    assert h14.loc[0.85, "observed"] == 1.0 and h14.loc[0.85, "n"] == 5
    assert h14.loc[0.0, "observed"] == 0.0
    h7 = table[table["horizon_days"] == 7].set_index("bin_low")
    # within 7 days only the dates from day 13 on see day 20
    assert h7.loc[0.85, "observed"] == pytest.approx(2 / 5)


def test_replay_reads_the_vintage_known_on_each_date(tmp_path):
    path = build_small_warehouse(tmp_path / "w.duckdb", days=150)
    late_day = pd.Timestamp(END) - pd.Timedelta(days=10)
    with write_transaction(path) as con:  # stock of late_day reported 3 days late, then revised
        con.execute("UPDATE facts SET known_at = date + INTERVAL 12 HOUR")
        con.execute(
            "UPDATE facts SET known_at = ? WHERE date = ? AND metric = 'stock'",
            [late_day + pd.Timedelta(days=3, hours=9), late_day],
        )
        con.execute(
            "INSERT INTO fact_revisions (date, region_code, commodity, metric, source, old_value,"
            " new_value, old_run_id, new_run_id, revised_at, old_known_at) SELECT date,"
            " region_code, commodity, metric, source, value * 2, value, run_id, 'rev', ?,"
            " date + INTERVAL 12 HOUR FROM facts WHERE date = ? AND metric = 'price'",
            [late_day + pd.Timedelta(days=5), late_day - pd.Timedelta(days=1)],
        )
        con.execute(  # as the loader does: the revised value is known from the revision on
            "UPDATE facts SET known_at = ? WHERE date = ? AND metric = 'price'",
            [late_day + pd.Timedelta(days=5), late_day - pd.Timedelta(days=1)],
        )
    vintages = load_vintages(path)
    at = lambda day, metric, offset: engine.vintage_on(vintages, day.date()).query(  # noqa: E731
        "metric == @metric and date == @offset"
    )["value"]
    assert at(late_day, "stock", late_day).empty  # not known yet that evening
    assert len(at(late_day + pd.Timedelta(days=3), "stock", late_day)) == 4
    before = at(late_day, "price", late_day - pd.Timedelta(days=1))
    after = at(late_day + pd.Timedelta(days=5), "price", late_day - pd.Timedelta(days=1))
    assert len(before) and np.allclose(before.to_numpy(), 2 * after.to_numpy())
    # the replay on late_day sees the earlier stock, as the live run did that evening
    reference = load_reference(path)
    ((as_of, panel, _),) = engine.panels_as_known(vintages, reference, [late_day.date()])
    stock_then = panel["stock"].loc[late_day]
    final = engine.daily_panel(engine.current_values(vintages), reference)["stock"]
    assert np.allclose(stock_then.to_numpy(), final.loc[late_day - pd.Timedelta(days=1)])


@pytest.mark.slow
def test_live_statuses_equal_the_replay_on_many_dates(tmp_path):
    """The live run's statuses (``run_statuses``, and ``run --as-of`` through the CLI) equal
    the replay's on every tested date: one engine."""
    path = build_small_warehouse(tmp_path / "w.duckdb", days=300)
    vintages = load_vintages(path)
    reference = load_reference(path)
    dates = [END - dt.timedelta(days=k) for k in range(0, 150, 11)]
    compared = 0
    for as_of, panel, levels in engine.panels_as_known(vintages, reference, dates):
        replayed = engine.statuses_on(panel, levels, as_of, reference, 0).set_index(
            ["region_code", "commodity"]
        )
        live, _ = batch.run_statuses(engine.vintage_on(vintages, as_of), reference, as_of)
        live = live.set_index(["region_code", "commodity"]).loc[replayed.index]
        for column in ("level", "rule", "cover_level", "price_level", "anomaly_level"):
            assert (live[column].to_numpy() == replayed[column].to_numpy()).all(), (as_of, column)
        assert np.allclose(live["projected_cover"].astype(float),
                           replayed["projected_cover"].astype(float), equal_nan=True)  # fmt: skip
        compared += len(replayed)
    assert compared >= 4 * len(dates)
    as_of = dates[3]
    run = subprocess.run(
        [sys.executable, "-m", "forecasting", "run", "--db", str(path), "--json", "--workers",
         "1", "--as-of", as_of.isoformat()],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1])["data_as_of"] == as_of.isoformat()
    from warehouse.db import read_df

    stored = read_df("SELECT region_code, commodity, level, rule FROM statuses", path=path)
    ((_, panel, levels),) = engine.panels_as_known(vintages, reference, [as_of])
    replayed = engine.statuses_on(panel, levels, as_of, reference, 0)
    merged = stored.merge(replayed, on=["region_code", "commodity"], suffixes=("", "_replay"))
    assert len(merged) == len(replayed)
    assert (merged["level"] == merged["level_replay"]).all()
    assert (merged["rule"] == merged["rule_replay"]).all()


def test_the_loader_records_when_each_value_was_first_seen(tmp_path):
    from ingest.loader import RunLog, commit_run

    path = init_warehouse(tmp_path / "w.duckdb")

    def load(value: float, run_id: str) -> None:
        facts = pd.DataFrame([{"date": dt.date(2026, 6, 1), "region_code": "1571",
                               "commodity": "lpg_3kg", "metric": "stock", "value": value,
                               "unit": "tabung"}])  # fmt: skip
        started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        commit_run(RunLog(run_id, "officer", started), facts, [], path=str(path))

    load(1000.0, "r1")
    first = load_vintages(path)
    load(1200.0, "r2")  # a revision
    from warehouse.db import read_df

    fact = read_df("SELECT value, known_at FROM facts", path=path).iloc[0]
    revision = read_df("SELECT old_value, old_known_at, revised_at FROM fact_revisions",
                       path=path).iloc[0]  # fmt: skip
    assert fact["value"] == 1200.0 and revision["old_value"] == 1000.0
    assert revision["old_known_at"] <= revision["revised_at"] <= fact["known_at"]
    vintages = load_vintages(path)
    assert len(first) == 1 and len(vintages) == 2
    assert vintages["superseded_on"].notna().sum() == 1  # the first value, replaced


def test_a_warehouse_from_before_known_at_gets_it_from_the_loading_run(tmp_path):
    from ingest.loader import RunLog, commit_run
    from warehouse.db import init_warehouse, read_df, write_transaction

    path = tmp_path / "old.duckdb"
    init_warehouse(path)
    started = dt.datetime(2026, 3, 1, 8, 0)
    facts = pd.DataFrame(
        [[dt.date(2026, 2, 27), "1571", "lpg_3kg", "stock", 1000.0, "tabung"]],
        columns=["date", "region_code", "commodity", "metric", "value", "unit"],
    )
    commit_run(RunLog("officer-old", "officer", started), facts, [], path=path)
    with write_transaction(path) as con:  # as a warehouse built before the column existed
        con.execute("ALTER TABLE facts DROP COLUMN known_at")
    init_warehouse(path)  # the next write adds the column and fills it once
    known = read_df("SELECT known_at FROM facts", path=path)["known_at"]
    assert known.tolist() == [pd.Timestamp(started)]


def test_projected_stock_bands_are_the_spread_of_a_cumulative_sum():
    # a local-level flow (ETS A,N,N): a shock to the level stays in every later day, so the
    # cumulative error spreads much faster than a sum of independent days
    sigma, alpha, horizon = 2.0, 0.4, 21
    sd = sigma * np.sqrt(1 + np.arange(horizon) * alpha**2)
    rng = np.random.default_rng(0)
    eps = rng.standard_normal((40000, horizon)) * sigma
    level = np.hstack([np.zeros((len(eps), 1)), alpha * np.cumsum(eps, axis=1)[:, :-1]])
    simulated = np.cumsum(eps + level, axis=1).std(axis=0)
    assert np.allclose(stockout.cumulative_sd(sd), simulated, rtol=0.03)
    assert stockout.cumulative_sd(sd)[-1] > 3 * np.sqrt(np.sum(sd**2))  # the old reading
    flat = stockout.cumulative_sd(np.full(9, 2.0))  # day errors that do not grow: independent
    assert np.allclose(flat, 2.0 * np.sqrt(np.arange(1, 10)))
    # project_stock's 95 % band is the cumulative spread of both flows
    as_of = dt.date(2025, 6, 1)
    days = pd.date_range("2025-06-02", periods=horizon, freq="D")
    z = 1.959963984540054
    flow = lambda mean, s: pd.DataFrame({"ds": days, "mean": mean, "lo95": mean - z * s,  # noqa: E731
                                         "hi95": mean + z * s})  # fmt: skip
    frame = batch.project_stock(1e6, as_of, flow(100.0, sd), flow(100.0, np.full(horizon, 3.0)),
                                horizon)  # fmt: skip
    expected = np.sqrt(stockout.cumulative_sd(sd) ** 2 + 9.0 * np.arange(1, horizon + 1))
    assert np.allclose((frame["hi95"] - frame["mean"]) / z, expected)


def test_the_live_panel_of_one_date_equals_the_full_panel_on_that_date(reference):
    # the live run learns the delivery pattern and ALPS/IPA for its own date only; every
    # number on that date must be the full panel's (cuts, missed deliveries, sparse reports)
    days = 250
    depots = {"1501": quota_depot(days, 3, cut_from=200, cut=0.45), "1502": reorder_depot(days, 4),
              "1503": reorder_depot(days, 5, stop_from=210)}  # fmt: skip
    every_day = np.ones(days, dtype=bool)
    reported = {"1501": every_day, "1502": np.arange(days) % 3 == 0, "1503": every_day}
    values = as_values(depots, reported)
    full = engine.daily_panel(values, reference)
    assert full["delivery_cut"].any().any() and full["delivery_missed"].astype(bool).any().any()
    for offset in (130, 205, 215, 228, days - 1):
        day = START + pd.Timedelta(days=offset)
        known = values[values["date"] <= day]
        whole = engine.daily_panel(known, reference, day.date())
        alone = engine.daily_panel(known, reference, day.date(), only=day.date())
        for key, frame in whole.items():
            pd.testing.assert_series_equal(
                frame.loc[day], alone[key].loc[day], check_names=False, obj=f"{key} {day}"
            )
