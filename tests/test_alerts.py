"""Alert de-duplication, cooldown, escalation and the lifecycle in the warehouse."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from forecasting import alerting
from warehouse import alerts as wa
from warehouse.db import init_warehouse, write_transaction

NOW = dt.datetime(2026, 11, 20, 8, 0)


def _fired(day: dt.date, level: int = 2, kind: str = "stock", region: str = "1501") -> pd.DataFrame:
    return pd.DataFrame(
        [[region, "lpg_3kg", kind, level, "days_of_cover", f"alasan {day}", f"reason {day}", day]],
        columns=alerting.FIRING_COLUMNS,
    )


def _replay(days_levels, cooldown=14):
    state = alerting.empty_state()
    alerts, events = [], []
    for day, level in days_levels:
        writes, state = alerting.dedup(
            _fired(day, level), state, "live", f"run-{day}", NOW, cooldown
        )
        alerts.append(writes.alerts)
        events.append(writes.events)
    return pd.concat(alerts), pd.concat(events), state


def test_firings_within_cooldown_are_one_alert_that_escalates():
    start = dt.date(2026, 11, 1)
    days = [(start, 2), (start + dt.timedelta(days=7), 3), (start + dt.timedelta(days=14), 3)]
    alerts, events, state = _replay(days)
    assert len(alerts) == 1
    assert list(events["event"]) == ["raised", "escalated", "repeated"]
    assert list(events["seq"]) == [1, 2, 3]
    assert state.iloc[0]["max_level"] == 3


def test_a_firing_after_the_cooldown_is_a_new_alert():
    start = dt.date(2026, 11, 1)
    alerts, events, _ = _replay([(start, 2), (start + dt.timedelta(days=15), 2)])
    assert len(alerts) == 2 and list(events["event"]) == ["raised", "raised"]
    alerts, _, _ = _replay([(start, 2), (start + dt.timedelta(days=15), 2)], cooldown=20)
    assert len(alerts) == 1


def test_kinds_and_regions_are_separate_alerts():
    state = alerting.empty_state()
    day = dt.date(2026, 11, 1)
    fired = pd.concat([_fired(day), _fired(day, kind="price"), _fired(day, region="1502")])
    writes, state = alerting.dedup(fired, state, "live", "run", NOW)
    assert len(writes.alerts) == 3 and len(state) == 3


def test_firings_need_siaga_or_worse():
    statuses = pd.DataFrame(
        [
            {"region_code": "1501", "commodity": "lpg_3kg", "level": 1, "rule": "days_of_cover",
             "reason_id": "x", "reason_en": "x", "as_of": dt.date(2026, 1, 1),
             "cover_level": 1, "price_level": 0},
            {"region_code": "1502", "commodity": "lpg_3kg", "level": 2, "rule": "price_vs_reference",
             "reason_id": "y", "reason_en": "y", "as_of": dt.date(2026, 1, 1),
             "cover_level": 0, "price_level": 2},
        ]
    )  # fmt: skip
    fired = alerting.firings(statuses)
    assert list(zip(fired.region_code, fired.kind, strict=True)) == [("1502", "price")]


@pytest.fixture
def stored_alert(tmp_db):
    init_warehouse(tmp_db)
    writes, _ = alerting.dedup(
        _fired(dt.date(2026, 11, 1)), alerting.empty_state(), "live", "run-1", NOW
    )
    with write_transaction(tmp_db) as con:
        alerting.insert_writes(con, writes)
    return tmp_db, writes.alerts.iloc[0]["alert_id"]


def test_lifecycle_new_acknowledged_action_closed(stored_alert):
    path, alert_id = stored_alert
    assert wa.list_alerts(path).iloc[0]["state"] == "new"
    wa.acknowledge_alert(path, alert_id, "petugas.kerinci", "diterima")
    wa.record_action(path, alert_id, "petugas.kerinci", "minta tambahan kuota 10%")
    listed = wa.list_alerts(path, state="action")
    assert list(listed["alert_id"]) == [alert_id]
    wa.close_alert(path, alert_id, "kepala.biro", "stok pulih")
    history = wa.alert_history(path, alert_id)
    assert list(history["event"]) == ["raised", "acknowledged", "action", "closed"]
    assert history.iloc[-1]["user_name"] == "kepala.biro"
    assert wa.list_alerts(path, state="new").empty
    with pytest.raises(wa.AlertError, match="Ditutup"):
        wa.acknowledge_alert(path, alert_id, "someone")


def test_lifecycle_checks_its_inputs(stored_alert):
    path, alert_id = stored_alert
    with pytest.raises(wa.AlertError, match="tidak ditemukan"):
        wa.acknowledge_alert(path, "AL-nope", "user")
    with pytest.raises(wa.AlertError, match="user name"):
        wa.acknowledge_alert(path, alert_id, " ")
    with pytest.raises(wa.AlertError, match="action"):
        wa.record_action(path, alert_id, "user", "")
    assert list(wa.alert_history(path, alert_id)["event"]) == ["raised"]


def test_closed_alert_is_not_joined_by_a_new_firing(stored_alert):
    path, alert_id = stored_alert
    wa.close_alert(path, alert_id, "kepala.biro")
    with write_transaction(path) as con:
        state = alerting.read_state(con, "live")
        writes, _ = alerting.dedup(_fired(dt.date(2026, 11, 3)), state, "live", "run-2", NOW)
        alerting.insert_writes(con, writes)
    assert len(writes.alerts) == 1 and writes.alerts.iloc[0]["alert_id"] != alert_id
    assert len(wa.list_alerts(path)) == 2
