"""Historical replay: the alerts as the live engine would have raised them on past dates.

For each replay date ``d`` (every ``step`` days) the engine (``forecasting.engine``, the same
code the live run uses for its statuses) reads only what its run would have known: facts
dated on or before ``d``, in the version seen by the end of the next day (the run of a day is
made once its reports are in; ``forecasting.data.load_vintages``, ``engine.vintage_on``).
Alerts are fired and de-duplicated with the live rules and written in one transaction as
origin ``replay``; the live alert list is untouched. On every 7th replay date it also
simulates the stock-out probabilities and scores them against what happened
(``stockout_calibration``, the reliability table).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Sequence

import pandas as pd

from forecasting import alerting, engine, stockout
from forecasting.batch import new_run_id
from forecasting.data import NoDataError, load_reference, load_vintages
from warehouse.db import write_transaction

PathLike = str | os.PathLike[str] | None
METHOD = engine.METHOD
CALIBRATION_EVERY_DAYS = 7  # stock-out probabilities scored weekly (they are slow to simulate)


def replay_dates(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """``first``, ``first + step``, ... up to ``last``."""
    if step < 1:
        raise ValueError("--replay-step must be at least 1 day")
    days = (last - first).days
    return [first + dt.timedelta(days=k) for k in range(0, days + 1, step)]


def run_replay(
    path: PathLike,
    date_from: dt.date,
    date_to: dt.date | None = None,
    step: int = 1,
    regions: Sequence[str] | None = None,
    commodities: Sequence[str] | None = None,
) -> dict:
    """Replay the alert system over past dates and store the replay's alerts."""
    started = time.monotonic()
    vintages = load_vintages(path, regions, commodities)
    if vintages.empty:
        raise NoDataError()
    reference = load_reference(path)
    last = vintages["date"].max().date()
    date_to = min(date_to or last, last)
    if date_from > date_to:
        raise ValueError(f"--replay-from {date_from} is after the last data date {date_to}")
    replay_id = new_run_id("replay")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    state = alerting.empty_state()
    alerts, events, probabilities = [], [], []
    dates = replay_dates(date_from, date_to, step)
    for as_of, panel, levels in engine.panels_as_known(vintages, reference, dates):
        if (as_of - date_from).days % CALIBRATION_EVERY_DAYS == 0:
            probabilities.append(engine.probabilities_on(panel, levels, as_of, reference))
        statuses = engine.statuses_on(panel, levels, as_of, reference, alerting.ALERT_MIN_LEVEL)
        if statuses.empty:
            continue
        fired = alerting.firings(statuses)
        writes, state = alerting.dedup(fired, state, "replay", replay_id, now)
        writes.events["run_id"] = f"{replay_id}@{as_of.isoformat()}"
        alerts.append(writes.alerts)
        events.append(writes.events)
    all_alerts = _concat(alerts, alerting.ALERT_COLUMNS)
    all_events = _concat(events, alerting.EVENT_COLUMNS)
    calibration = stockout.calibration(
        _concat(probabilities, stockout.PROBABILITY_COLUMNS),
        engine.final_cover_below(engine.current_values(vintages), reference),
    ).assign(replay_id=replay_id)
    with write_transaction(path) as con:
        con.execute(
            "INSERT INTO replays (replay_id, created_at, date_from, date_to, step_days, n_dates,"
            " method) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [replay_id, now, date_from, date_to, step, len(dates), METHOD],
        )
        alerting.insert_writes(con, alerting.AlertWrites(all_alerts, all_events))
        stockout.insert_calibration(con, calibration)
    return {
        "replay_id": replay_id,
        "status": "success",
        "dates": len(dates),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "alerts": len(all_alerts),
        "firings": len(all_events),
        "seconds": round(time.monotonic() - started, 2),
    }


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return (
        pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    )
