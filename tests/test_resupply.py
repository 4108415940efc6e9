"""The resupply-trend rule on constructed depots (forecasting/resupply.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting import resupply, signals
from forecasting.alerting import firings

DAYS = 260
DEMAND = 100.0
TARGET_DAYS = 20.0
SIAGA = 11.0
LIMITS = np.array([[14.0], [SIAGA], [7.0]])


def depot(
    *,
    cut_from: int | None = None,
    delivered_share: float = 1.0,
    surge_from: int | None = None,
    surge: float = 0.0,
    every: tuple[int, ...] = (1, 2, 3),
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One depot refilled to ``TARGET_DAYS`` of demand on a 1–3 day schedule (order-up-to).

    From ``cut_from`` only ``delivered_share`` of the planned demand of each gap arrives; from
    ``surge_from`` demand is ``1 + surge`` times the plan. Returns stock, distribution, delivery.
    """
    rng = np.random.default_rng(seed)
    stock = np.zeros(DAYS)
    distribution = np.zeros(DAYS)
    delivery = np.zeros(DAYS)
    level = TARGET_DAYS * DEMAND
    day = 0
    next_delivery = 0
    while day < DAYS:
        demand = DEMAND * (1 + 0.05 * rng.standard_normal())
        if surge_from is not None and day >= surge_from:
            demand *= 1 + surge
        if day == next_delivery:
            gap = int(rng.choice(every))
            if cut_from is not None and day >= cut_from:
                quantity = delivered_share * DEMAND * gap
            else:
                quantity = max(TARGET_DAYS * DEMAND - level, 0.0)
            quantity *= 1 + 0.03 * rng.standard_normal()
            delivery[day] = max(round(quantity), 0.0)
            next_delivery = day + gap
        available = level + delivery[day]
        distribution[day] = min(demand, available)
        level = available - distribution[day]
        stock[day] = level
        day += 1
    return stock, distribution, delivery


def frames(depots: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> list[pd.DataFrame]:
    dates = pd.date_range("2025-01-01", periods=DAYS, freq="D")
    columns = pd.MultiIndex.from_tuples(
        [(f"15{k:02d}", "lpg_3kg") for k in range(1, len(depots) + 1)],
        names=["region_code", "commodity"],
    )
    return [
        pd.DataFrame(np.column_stack([d[i] for d in depots]), index=dates, columns=columns)
        for i in range(3)
    ]


def first_day(mask: pd.Series) -> int | None:
    hits = np.flatnonzero(mask.to_numpy())
    return int(hits[0]) if len(hits) else None


def cover_of(stock: pd.DataFrame, distribution: pd.DataFrame) -> pd.DataFrame:
    return stock / distribution.rolling(resupply.COVER_WINDOW_DAYS, min_periods=1).mean()


def test_steady_refills_never_raise_the_rule():
    stock, dist, deliv = frames([depot(seed=s) for s in range(5)])
    panel = resupply.resupply_panel(stock, dist, deliv)
    levels = resupply.resupply_levels(panel, np.repeat(LIMITS, 5, axis=1))
    assert (levels.to_numpy() == 0).all()
    assert panel["resupply_slide"].iloc[120:].abs().max().max() < resupply.MIN_SLIDE


def test_a_local_quota_cut_is_flagged_days_before_cover_crosses_siaga():
    cut = 200
    depots = [depot(seed=s) for s in range(4)]
    depots.append(depot(cut_from=cut, delivered_share=0.4, seed=9))
    stock, dist, deliv = frames(depots)
    panel = resupply.resupply_panel(stock, dist, deliv)
    levels = resupply.resupply_levels(panel, np.repeat(LIMITS, 5, axis=1))
    pair = stock.columns[-1]
    raised = first_day(levels[pair] >= 2)
    breach = first_day((cover_of(stock, dist)[pair] < SIAGA) & (stock.index >= stock.index[cut]))
    assert raised is not None and breach is not None
    assert cut <= raised and breach - raised >= 5
    assert (levels[pair] <= resupply.MAX_LEVEL).all()
    assert (levels[stock.columns[:-1]].to_numpy() == 0).all()


def test_a_demand_surge_the_deliveries_do_not_follow_is_flagged():
    surge_at = 200
    depots = [depot(seed=s) for s in range(4)]
    depots.append(depot(cut_from=surge_at, delivered_share=1.0, surge_from=surge_at, surge=0.6))
    stock, dist, deliv = frames(depots)
    levels = resupply.resupply_levels(
        resupply.resupply_panel(stock, dist, deliv), np.repeat(LIMITS, 5, axis=1)
    )
    raised = first_day(levels[stock.columns[-1]] >= 2)
    assert raised is not None and surge_at <= raised <= surge_at + 10


def test_a_stopped_supply_counts_today_once_the_longest_usual_gap_has_passed():
    stop = 200
    depots = [depot(seed=s) for s in range(4)]
    depots.append(depot(cut_from=stop, delivered_share=0.0, seed=4))
    stock, dist, deliv = frames(depots)
    pair = stock.columns[-1]
    deliveries = deliv[pair].to_numpy()
    last = int(np.flatnonzero(deliveries[:stop] > 0)[-1])
    panel = resupply.resupply_panel(stock, dist, deliv)
    overdue = panel["resupply_overdue_days"][pair]
    usual = panel["resupply_usual_gap"][pair].iloc[last + 1]
    assert usual == 3  # the schedule's longest gap
    first_overdue = first_day(overdue.notna() & (stock.index > stock.index[last]))
    assert first_overdue == last + 3
    assert overdue.iloc[first_overdue] == 3
    slide = panel["resupply_slide"][pair]
    assert slide.iloc[first_overdue] < -resupply.MIN_SLIDE
    assert slide.iloc[first_overdue] < slide.iloc[first_overdue - 1] - 0.2  # today counts


def test_a_province_wide_draw_down_is_not_a_local_supply_problem():
    depots = [depot(cut_from=200, delivered_share=0.6, seed=s) for s in range(5)]
    stock, dist, deliv = frames(depots)
    panel = resupply.resupply_panel(stock, dist, deliv)
    own_slopes = resupply._slide(  # every depot slides on its own...
        cover_of(stock, dist).to_numpy(),
        (deliv > 0).to_numpy(),
        np.zeros(stock.shape, dtype=bool),
    )
    window = slice(200, 240)
    own_active = int((own_slopes[window] < -resupply.MIN_SLIDE).sum())
    active = int(panel["resupply_active"].iloc[window].to_numpy().sum())
    assert own_active > 80  # depot-days sliding on their own...
    assert active <= own_active // 20  # ...but together, so the rule stays (almost) quiet


def test_weekly_supplied_stock_is_not_read():
    depots = [depot(every=(7,), seed=s) for s in range(3)]
    depots.append(depot(every=(7,), cut_from=200, delivered_share=0.0, seed=5))
    stock, dist, deliv = frames(depots)
    panel = resupply.resupply_panel(stock, dist, deliv)
    assert not panel["resupply_active"].to_numpy().any()


def test_each_day_uses_data_up_to_that_day_only():
    depots = [depot(seed=s) for s in range(4)]
    depots.append(depot(cut_from=200, delivered_share=0.3, seed=8))
    full = resupply.resupply_panel(*frames(depots))
    cut = 210
    early = resupply.resupply_panel(*(f.iloc[: cut + 1] for f in frames(depots)))
    for key in ("resupply_slide", "resupply_projected", "resupply_overdue_days"):
        a = full[key].iloc[: cut + 1].to_numpy(dtype=float)
        b = early[key].to_numpy(dtype=float)
        assert np.allclose(a, b, equal_nan=True), key


def test_the_reason_states_the_rule_and_its_numbers():
    numbers = {"resupply_slide": -0.62, "resupply_projected": 8.4,
               "resupply_overdue_days": 5.0, "resupply_usual_gap": 3.0}  # fmt: skip
    reason_id, reason_en = resupply.explain(numbers, 2, 11.0)
    assert "turun 0,6 hari per hari" in reason_id and "8,4 hari dalam 14 hari" in reason_id
    assert "belum ada pengiriman selama 5 hari (biasanya paling lama 3 hari)" in reason_id
    assert "Siaga 11 hari" in reason_id
    assert "falling 0.6 days of cover per day" in reason_en and "8.4 days in 14 days" in reason_en
    quiet = {**numbers, "resupply_projected": -3.0, "resupply_overdue_days": float("nan")}
    quiet_id, _ = resupply.explain(quiet, 2, 11.0)
    assert "belum ada pengiriman" not in quiet_id and "0,0 hari dalam 14 hari" in quiet_id


def long_values(stock: pd.DataFrame, dist: pd.DataFrame, deliv: pd.DataFrame) -> pd.DataFrame:
    parts = []
    for metric, frame in (("stock", stock), ("distribution", dist), ("delivery", deliv)):
        long = frame.stack(["region_code", "commodity"], future_stack=True).rename("value")
        long = long.reset_index().rename(columns={"level_0": "date"})
        parts.append(long.assign(metric=metric))
    return pd.concat(parts, ignore_index=True)


@pytest.fixture
def thresholds() -> pd.DataFrame:
    return pd.DataFrame(
        {"waspada_cover_days": [14.0], "siaga_cover_days": [SIAGA], "awas_cover_days": [7.0]},
        index=pd.Index(["lpg_3kg"], name="commodity"),
    )


def test_the_live_run_raises_the_stock_level_and_a_stock_alert(thresholds):
    depots = [depot(seed=s) for s in range(4)]
    depots.append(depot(cut_from=200, delivered_share=0.3, seed=8))
    stock, dist, deliv = frames(depots)
    as_of = stock.index[212].date()
    values = long_values(stock, dist, deliv)
    rows = pd.DataFrame(signals.supply_signals(values[values["date"] <= str(as_of)], thresholds,
                                               as_of))  # fmt: skip
    assert list(rows["region_code"]) == ["1505"]
    assert rows.iloc[0]["level"] == 2 and rows.iloc[0]["signal"] == "resupply_trend"
    statuses = pd.DataFrame(
        [
            {"as_of": as_of, "region_code": code, "commodity": "lpg_3kg", "level": 0,
             "rule": "none", "reason_id": "Aman: stok cukup", "reason_en": "Safe: enough",
             "cover_level": 0, "price_level": 0}
            for code in ("1501", "1505")
        ]
    )  # fmt: skip
    raised = signals.apply_signal_levels(statuses, rows.assign(period=as_of))
    target = raised[raised["region_code"] == "1505"].iloc[0]
    assert target["cover_level"] == 2 and target["anomaly_level"] == 0
    assert target["rule"] == "resupply_trend" and "Pasokan tidak mengimbangi" in target["reason_id"]
    assert raised[raised["region_code"] == "1501"].iloc[0]["level"] == 0
    fired = firings(raised)
    assert list(zip(fired["region_code"], fired["kind"], fired["rule"], strict=True)) == [
        ("1505", "stock", "resupply_trend")
    ]


def test_resupply_panel_without_stock_pairs_is_empty_not_an_error():
    """Price-only warehouses have no stock columns: the panel is empty, not an IndexError."""
    import pandas as pd

    from forecasting.resupply import resupply_panel

    dates = pd.date_range("2023-01-01", periods=5, freq="D")
    columns = pd.MultiIndex.from_tuples([], names=["region_code", "commodity"])
    empty = pd.DataFrame(index=dates, columns=columns, dtype=float)
    panel = resupply_panel(empty, empty, empty)
    assert panel["resupply_active"].shape == (5, 0)
    none = pd.DataFrame(index=pd.DatetimeIndex([]), columns=columns, dtype=float)
    assert resupply_panel(none, none, none)["resupply_slide"].empty
