"""The demo warehouse: determinism, stock consistency, realism and planted incidents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from demo.build import DemoRefused, build_demo, main
from demo.profiles import DEMO_COMMODITIES
from warehouse.db import write_transaction

ROOT = Path(__file__).resolve().parents[1]
END = date(2026, 11, 20)
COVER_WINDOW = 14


def _df(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


@pytest.fixture(scope="module")
def facts(demo_warehouse) -> pd.DataFrame:
    return _df(
        demo_warehouse,
        "SELECT * FROM facts ORDER BY region_code, commodity, metric, date",
    )


@pytest.fixture(scope="module")
def wide(facts) -> pd.DataFrame:
    """One row per series and day with price (NaN when unreported) and the stock metrics."""
    table = facts.pivot_table(
        index=["region_code", "commodity", "date"], columns="metric", values="value"
    )
    table = table.reset_index().sort_values(["region_code", "commodity", "date"])
    grouped = table.groupby(["region_code", "commodity"])["distribution"]
    mean = grouped.transform(lambda s: s.rolling(COVER_WINDOW, min_periods=1).mean())
    table["cover"] = table["stock"] / mean
    table["date"] = pd.to_datetime(table["date"])
    return table.reset_index(drop=True)


@pytest.fixture(scope="module")
def incidents(demo_warehouse) -> pd.DataFrame:
    return _df(demo_warehouse, "SELECT * FROM incidents ORDER BY incident_id")


@pytest.fixture(scope="module")
def thresholds(demo_warehouse) -> pd.DataFrame:
    return _df(demo_warehouse, "SELECT * FROM thresholds").set_index("commodity")


@pytest.fixture(scope="module")
def priced(demo_warehouse) -> pd.DataFrame:
    """Reported prices joined to the reference price in force (regency rows win)."""
    return _df(
        demo_warehouse,
        """
        SELECT f.date, f.region_code, f.commodity, f.value,
               coalesce(rr.value, rp.value) AS reference
        FROM facts f
        LEFT JOIN reference_prices rp
          ON rp.commodity = f.commodity AND rp.scope = 'province'
         AND f.date BETWEEN rp.valid_from AND coalesce(rp.valid_to, DATE '9999-12-31')
        LEFT JOIN reference_prices rr
          ON rr.commodity = f.commodity AND rr.scope = 'regency' AND rr.region_code = f.region_code
         AND f.date BETWEEN rr.valid_from AND coalesce(rr.valid_to, DATE '9999-12-31')
        WHERE f.metric = 'price'
        """,
    )


def _incident_window_mask(wide: pd.DataFrame, incidents: pd.DataFrame, pad: int) -> pd.Series:
    mask = pd.Series(False, index=wide.index)
    for row in incidents.itertuples():
        mask |= (
            (wide["region_code"] == row.region_code)
            & (wide["commodity"] == row.commodity)
            & (wide["date"] >= pd.Timestamp(row.cause_date))
            & (wide["date"] <= pd.Timestamp(row.end_date) + pd.Timedelta(days=pad))
        )
    return mask


# ------------------------------------------------------------------ determinism


@pytest.mark.slow
def test_same_seed_gives_identical_tables(demo_warehouse, tmp_path, facts, incidents):
    again = tmp_path / "again.duckdb"
    build_demo(again, seed=7, years=3, end=END)
    facts_again = _df(again, "SELECT * FROM facts ORDER BY region_code, commodity, metric, date")
    pd.testing.assert_frame_equal(facts, facts_again)
    incidents_again = _df(again, "SELECT * FROM incidents ORDER BY incident_id")
    pd.testing.assert_frame_equal(incidents, incidents_again)


@pytest.mark.slow
def test_different_seed_gives_different_data(tmp_path):
    first, second = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build_demo(first, seed=1, years=1, end=END, regions=3, commodities=3)
    build_demo(second, seed=2, years=1, end=END, regions=3, commodities=3)
    sql = "SELECT value FROM facts WHERE metric = 'stock' ORDER BY region_code, commodity, date"
    a, b = _df(first, sql)["value"], _df(second, sql)["value"]
    assert len(a) == len(b)
    assert (a.to_numpy() != b.to_numpy()).mean() > 0.5


def test_run_recorded_and_facts_carry_its_id(demo_warehouse):
    runs = _df(demo_warehouse, "SELECT * FROM ingest_runs")
    assert len(runs) == 1
    run = runs.iloc[0]
    assert run["source"] == "demo" and run["status"] == "success"
    ids = _df(demo_warehouse, "SELECT DISTINCT run_id, source FROM facts")
    assert ids["run_id"].tolist() == [run["run_id"]]
    assert ids["source"].tolist() == ["demo"]
    assert run["rows_loaded"] == _df(demo_warehouse, "SELECT count(*) AS n FROM facts")["n"][0]


# ------------------------------------------------------------------ completeness and invariants


def test_every_region_commodity_metric_present(facts):
    regions = {f"{c}" for c in (1501, 1502, 1503, 1504, 1505, 1506, 1507, 1508, 1509, 1571, 1572)}
    combos = facts.groupby(["region_code", "commodity", "metric"]).size()
    expected = pd.MultiIndex.from_product(
        [sorted(regions), sorted(DEMO_COMMODITIES), ["delivery", "distribution", "price", "stock"]]
    )
    assert set(combos.index) == set(expected)
    n_days = (END - date(2023, 11, 20)).days + 1
    stock_counts = facts[facts["metric"] != "price"].groupby(["region_code", "commodity", "metric"])
    assert (stock_counts.size() == n_days).all()
    assert facts["date"].min() == pd.Timestamp("2023-11-20")
    assert facts["date"].max() == pd.Timestamp(END)


def test_stock_balance_holds_exactly(wide):
    previous = wide.groupby(["region_code", "commodity"])["stock"].shift(1)
    has_previous = previous.notna()
    recomputed = (previous + wide["delivery"]) - wide["distribution"]
    assert has_previous.sum() > 90_000
    assert np.array_equal(
        recomputed[has_previous].to_numpy(), wide.loc[has_previous, "stock"].to_numpy()
    )


def test_distribution_never_exceeds_available_stock(wide):
    previous = wide.groupby(["region_code", "commodity"])["stock"].shift(1)
    available = previous + wide["delivery"]
    checked = available.notna()
    assert (wide.loc[checked, "distribution"] <= available[checked]).all()


def test_no_negative_values(facts):
    assert (facts["value"] >= 0).all()
    assert (facts.loc[facts["metric"] == "price", "value"] > 0).all()
    assert (facts.loc[facts["metric"] == "distribution", "value"] > 0).all()


def test_units_match_commodity_table(facts, demo_warehouse):
    units = _df(demo_warehouse, "SELECT code, price_unit, stock_unit FROM commodities")
    units = units.set_index("code")
    for (commodity, metric), group in facts.groupby(["commodity", "metric"]):
        column = "price_unit" if metric == "price" else "stock_unit"
        assert set(group["unit"]) == {units.loc[commodity, column]}, (commodity, metric)


def test_deliveries_come_in_lumps(wide):
    share_with_delivery = (wide["delivery"] > 0).groupby(wide["commodity"]).mean()
    assert share_with_delivery["beras_medium"] < 0.25  # about weekly
    assert 0.4 < share_with_delivery["lpg_3kg"] < 0.9  # every 1-3 days
    assert 0.4 < share_with_delivery["pertalite"] < 0.9


# ------------------------------------------------------------------ realism


def test_price_gaps_exist_but_are_few_and_cluster_on_sundays(facts):
    prices = facts[facts["metric"] == "price"]
    days = facts[facts["metric"] == "stock"]
    share_missing = 1 - len(prices) / len(days)
    assert 0.03 < share_missing < 0.12
    weekday_of = pd.to_datetime(days["date"]).dt.day_of_week
    reported_weekday = pd.to_datetime(prices["date"]).dt.day_of_week
    sunday_missing = 1 - (reported_weekday == 6).sum() / (weekday_of == 6).sum()
    tuesday_missing = 1 - (reported_weekday == 1).sum() / (weekday_of == 1).sum()
    assert sunday_missing > 2 * tuesday_missing


def test_price_level_sits_around_the_reference(priced):
    priced = priced[priced["reference"].notna()].copy()
    priced["disparity"] = priced["value"] / priced["reference"] - 1
    median = priced.groupby("commodity")["disparity"].median()
    assert -0.10 < median["beras_medium"] < 0.0
    assert -0.10 < median["beras_premium"] < 0.0
    assert 0.0 < median["lpg_3kg"] < 0.06
    administered = priced[priced["commodity"].isin(["pertalite", "biosolar"])]
    assert (administered["disparity"] == 0).mean() > 0.99
    assert abs(median["pertamax"]) < 0.05


def test_prices_in_realistic_rupiah_ranges(facts):
    prices = facts[facts["metric"] == "price"].groupby("commodity")["value"]
    low, high = prices.quantile(0.05), prices.quantile(0.95)
    assert 17_000 <= low["lpg_3kg"] and high["lpg_3kg"] <= 22_500
    assert 16_500 <= low["gula_pasir"] and high["gula_pasir"] <= 19_800
    assert 14_500 <= low["minyak_goreng"] and high["minyak_goreng"] <= 19_500
    assert 12_000 <= low["pertamax"] and high["pertamax"] <= 13_600


def test_rice_price_follows_het_step(facts):
    rice = facts[(facts["metric"] == "price") & (facts["commodity"] == "beras_medium")]
    dates = pd.to_datetime(rice["date"])
    before = rice.loc[(dates >= "2025-07-01") & (dates < "2025-08-20"), "value"].mean()
    after = rice.loc[(dates >= "2025-09-20") & (dates < "2025-11-10"), "value"].mean()
    assert 0.03 < after / before - 1 < 0.10  # HET 13,100 -> 14,000 is +6.9 %


def test_remote_regions_are_dearer_and_kota_jambi_largest(facts):
    rice = facts[(facts["metric"] == "price") & (facts["commodity"] == "beras_medium")]
    mean_price = rice.groupby("region_code")["value"].mean()
    assert mean_price["1501"] > mean_price["1571"]
    assert mean_price["1572"] > mean_price["1571"]
    demand = facts[(facts["metric"] == "distribution") & (facts["commodity"] == "lpg_3kg")]
    assert demand.groupby("region_code")["value"].mean().idxmax() == "1571"


def test_lebaran_raises_lpg_demand(wide):
    lpg = wide[(wide["commodity"] == "lpg_3kg") & (wide["region_code"] == "1571")].set_index("date")
    before = lpg.loc["2025-01-15":"2025-02-15", "distribution"].mean()
    pre_lebaran = lpg.loc["2025-03-17":"2025-03-30", "distribution"].mean()
    assert pre_lebaran > before * 1.08


def test_typical_days_of_cover(wide):
    median = wide.groupby("commodity")["cover"].median()
    assert 25 <= median["pertalite"] <= 31
    assert 15 <= median["lpg_3kg"] <= 21
    assert 45 <= median["beras_medium"] <= 90
    assert 45 <= median["gula_pasir"] <= 90


def test_few_false_alarms_outside_incidents(wide, incidents, thresholds):
    outside = wide[~_incident_window_mask(wide, incidents, pad=30)]
    waspada = outside["commodity"].map(thresholds["waspada_cover_days"])
    assert (outside["cover"] < waspada).mean() < 0.02


def test_few_price_alarms_outside_incidents(priced, incidents, thresholds):
    priced = priced[priced["reference"].notna()].copy()
    priced["date"] = pd.to_datetime(priced["date"])
    outside = priced[~_incident_window_mask(priced, incidents, pad=30)]
    waspada = 1 + outside["commodity"].map(thresholds["waspada_price_pct"]) / 100
    above = outside["value"] > outside["reference"] * waspada
    assert above.groupby(outside["commodity"]).mean().max() < 0.05


# ------------------------------------------------------------------ incidents


def test_incidents_many_kinds_and_cause_first(incidents):
    assert len(incidents) >= 8
    assert incidents["kind"].nunique() >= 6
    assert (incidents["cause_date"] <= incidents["start_date"]).all()
    assert (incidents["start_date"] <= incidents["end_date"]).all()
    lead = (incidents["start_date"] - incidents["cause_date"]).dt.days
    assert lead.between(7, 20).all(), lead.tolist()
    # English first, then Bahasa Indonesia, separated by " | ".
    halves = incidents["description"].str.split(" | ", regex=False)
    assert halves.str.len().eq(2).all()
    assert halves.str[0].str.len().gt(30).all() and halves.str[1].str.len().gt(30).all()


def test_stock_incidents_really_breach_siaga_at_start(wide, incidents, thresholds, priced):
    checked_stock = checked_price = 0
    for row in incidents.itertuples():
        series = wide[
            (wide["region_code"] == row.region_code) & (wide["commodity"] == row.commodity)
        ]
        series = series.set_index("date")
        start, cause = pd.Timestamp(row.start_date), pd.Timestamp(row.cause_date)
        siaga_cover = thresholds.loc[row.commodity, "siaga_cover_days"]
        siaga_price = 1 + thresholds.loc[row.commodity, "siaga_price_pct"] / 100
        if series.loc[start, "cover"] < siaga_cover:
            checked_stock += 1
            # Not yet below Siaga between cause and start: the lead is real.
            assert (series.loc[cause : start - pd.Timedelta(days=1), "cover"] >= siaga_cover).all()
            continue
        price = series.loc[start, "price"]
        reference = priced[
            (priced["region_code"] == row.region_code)
            & (priced["commodity"] == row.commodity)
            & (pd.to_datetime(priced["date"]) == start)
        ]["reference"]
        if reference.notna().any():
            limit = float(reference.iloc[0]) * siaga_price
        else:
            before = series.loc[cause - pd.Timedelta(days=28) : cause - pd.Timedelta(days=1)]
            limit = before["price"].median() * siaga_price
        assert price > limit, row.incident_id
        checked_price += 1
    assert checked_stock >= 4 and checked_price >= 3


def test_at_least_two_incidents_ongoing_at_end(wide, incidents, thresholds):
    ongoing = incidents[incidents["end_date"] == pd.Timestamp(END)]
    assert len(ongoing) >= 2
    for row in ongoing.itertuples():
        last = wide[
            (wide["region_code"] == row.region_code)
            & (wide["commodity"] == row.commodity)
            & (wide["date"] == pd.Timestamp(END))
        ]
        assert float(last["cover"].iloc[0]) < thresholds.loc[row.commodity, "siaga_cover_days"]
    past = incidents[incidents["end_date"] < pd.Timestamp(END)]
    assert past["start_date"].dt.year.nunique() >= 2


def test_some_incidents_around_lebaran(incidents):
    from seasons import idul_fitri_dates

    fitri = [pd.Timestamp(d) for d in idul_fitri_dates(date(2023, 11, 20), END)]
    near = [
        any(abs((pd.Timestamp(row.start_date) - f).days) <= 30 for f in fitri)
        for row in incidents.itertuples()
    ]
    assert sum(near) >= 2


# ------------------------------------------------------------------ refusal, scale, CLI


def _warehouse_with_officer_fact(path: Path) -> None:
    with write_transaction(path, fresh=True) as con:
        con.execute(
            "INSERT INTO facts (date, region_code, commodity, metric, source, value, unit, run_id)"
            " VALUES (DATE '2026-11-01', '1571', 'lpg_3kg', 'price', 'officer', "
            "19000, 'Rp/tabung', 'officer-1')"
        )


def test_refuses_to_replace_real_data_without_force(tmp_path):
    path = tmp_path / "real.duckdb"
    _warehouse_with_officer_fact(path)
    with pytest.raises(DemoRefused, match="--force"):
        build_demo(path, seed=7, years=1, end=END, regions=2, commodities=2)
    kept = _df(path, "SELECT count(*) AS n FROM facts WHERE source = 'officer'")["n"][0]
    assert kept == 1
    build_demo(path, seed=7, years=1, end=END, regions=2, commodities=2, force=True)
    sources = _df(path, "SELECT DISTINCT source FROM facts")["source"].tolist()
    assert sources == ["demo"]


def test_replaces_a_previous_demo_warehouse(tmp_path):
    path = tmp_path / "demo.duckdb"
    build_demo(path, seed=3, years=1, end=END, regions=2, commodities=2)
    build_demo(path, seed=4, years=1, end=END, regions=3, commodities=2)
    regions = _df(path, "SELECT DISTINCT region_code FROM facts")["region_code"]
    assert len(regions) == 3
    assert _df(path, "SELECT count(*) AS n FROM ingest_runs")["n"][0] == 1


@pytest.mark.slow
def test_national_scale_adds_real_kabkota_of_other_provinces(tmp_path):
    path = tmp_path / "scale.duckdb"
    summary = build_demo(path, seed=7, years=1, end=END, regions=14, commodities=10)
    assert summary.regions == 14 and summary.commodities == 10
    regions = _df(path, "SELECT * FROM regions")
    assert len(regions) == 14
    beyond = regions[~regions["bps_code"].str.startswith("15")].sort_values("bps_code")
    assert beyond["bps_code"].tolist() == ["1101", "1102", "1103"]  # BPS: Simeulue, Aceh Singkil…
    assert beyond["kemendagri_code"].tolist() == ["11.09", "11.10", "11.01"]
    assert beyond["name"].tolist() == ["Simeulue", "Aceh Singkil", "Aceh Selatan"]
    assert beyond["lat"].notna().all()
    combos = _df(path, "SELECT count(DISTINCT (region_code, commodity)) AS n FROM facts")["n"][0]
    assert combos == 14 * 10
    extra = _df(path, "SELECT code FROM commodities WHERE code LIKE 'komoditas_%'")["code"]
    assert sorted(extra) == ["komoditas_09", "komoditas_10"]
    thresholds = _df(path, "SELECT commodity FROM thresholds")["commodity"]
    assert {"komoditas_09", "komoditas_10"} <= set(thresholds)
    lpg_het = _df(
        path,
        "SELECT count(*) AS n FROM reference_prices WHERE commodity = 'lpg_3kg' AND scope = 'regency'",
    )
    assert lpg_het["n"][0] == 14


@pytest.mark.slow
def test_adding_regions_keeps_existing_series(tmp_path):
    small, large = tmp_path / "small.duckdb", tmp_path / "large.duckdb"
    build_demo(small, seed=5, years=1, end=END, regions=3, commodities=2)
    build_demo(large, seed=5, years=1, end=END, regions=13, commodities=2)
    sql = (
        "SELECT date, value FROM facts WHERE region_code = '1502' AND commodity = 'beras_premium' "
        "AND metric = 'stock' ORDER BY date"
    )
    pd.testing.assert_frame_equal(_df(small, sql), _df(large, sql))


@pytest.mark.slow
def test_cli_progress_json(tmp_path):
    path = tmp_path / "cli.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "demo", "--db", str(path), "--end", "2026-11-20",
         "--years", "1", "--seed", "9", "--progress-json"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    steps, summary = lines[:-1], lines[-1]["summary"]
    assert len(steps) >= 5
    assert all(set(s) == {"step", "done", "total"} for s in steps)
    assert [s["done"] for s in steps] == list(range(1, len(steps) + 1))
    assert steps[-1]["done"] == steps[-1]["total"]
    assert summary["end"] == "2026-11-20" and summary["start"] == "2025-11-20"
    assert summary["regions"] == 11 and summary["commodities"] == 8
    stored = _df(path, "SELECT count(*) AS n FROM facts")["n"][0]
    assert summary["facts"] == stored
    assert summary["incidents"] == _df(path, "SELECT count(*) AS n FROM incidents")["n"][0]


def test_cli_refusal_and_bad_date_give_clear_messages(tmp_path, capsys):
    path = tmp_path / "real.duckdb"
    _warehouse_with_officer_fact(path)
    code = main(["--db", str(path), "--end", "2026-11-20", "--progress-json"])
    captured = capsys.readouterr()
    assert code == 2
    assert "--force" in json.loads(captured.out.strip().splitlines()[-1])["error"]
    assert "--force" in captured.err
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(path), "--end", "20-11-2026"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_unreadable_file_is_refused_and_kept(tmp_path):
    path = tmp_path / "not-a-warehouse.duckdb"
    path.write_text("officer notes, not a database", encoding="utf-8")
    with pytest.raises(DemoRefused, match="could not be read"):
        build_demo(path, seed=7, years=1, end=END, regions=1, commodities=1)
    assert path.read_text(encoding="utf-8") == "officer notes, not a database"


def test_every_option_is_documented(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    options = {o for o in capsys.readouterr().out.split() if o.startswith("--")} - {"--help"}
    options = {o.strip("[],") for o in options}
    assert {"--seed", "--years", "--end", "--db", "--force", "--progress-json"} <= options
    doc = (ROOT / "docs" / "demo_data.md").read_text(encoding="utf-8")
    assert "python -m ingest demo" in doc
    assert not sorted(o for o in options if f"`{o}" not in doc)
