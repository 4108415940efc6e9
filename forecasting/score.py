"""Alert skill against the incidents table, using a historical replay's alerts.

* An incident is **detected** when its region × commodity fired (any alert kind) on a replay
  date within ``[start_date − 30 days, end_date]``.
* **Lead** = start_date − the first such firing date (negative when the alert came late).
* **False-alarm rate** = share of alert-days (replay date × region × commodity that fired)
  that fall outside every incident window ``[start_date − 30 days, end_date]`` of that pair.
* Only incidents that start within the replayed period count.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pandas as pd

from forecasting.data import load_incidents
from warehouse.db import read_df

PathLike = str | os.PathLike[str] | None
EARLY_WINDOW_DAYS = 30
FIRING_EVENTS = ("raised", "repeated", "escalated")


def latest_replay(path: PathLike) -> pd.Series | None:
    """The most recent replay row, or None."""
    frame = read_df("SELECT * FROM replays ORDER BY created_at DESC LIMIT 1", path=path)
    return None if frame.empty else frame.iloc[0]


def replay_firings(path: PathLike, replay_id: str) -> pd.DataFrame:
    """Distinct alert-days of one replay: (as_of, region_code, commodity)."""
    frame = read_df(
        "SELECT DISTINCT e.as_of, a.region_code, a.commodity"
        " FROM alert_events e JOIN alerts a USING (alert_id)"
        " WHERE a.origin = 'replay' AND a.origin_id = ?"
        " AND e.event IN ('raised', 'repeated', 'escalated')",
        [replay_id],
        path,
    )
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def score_firings(
    firings: pd.DataFrame,
    incidents: pd.DataFrame,
    period: tuple[dt.date, dt.date],
    early_days: int = EARLY_WINDOW_DAYS,
) -> dict:
    """Recall, median lead and false-alarm rate of alert-days against incidents (pure)."""
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    in_period = incidents[(incidents["start_date"] >= start) & (incidents["start_date"] <= end)]
    windows = incidents.assign(window_start=incidents["start_date"] - pd.Timedelta(days=early_days))
    details, leads = [], []
    for inc in in_period.itertuples(index=False):
        hits = firings[
            (firings["region_code"] == inc.region_code)
            & (firings["commodity"] == inc.commodity)
            & (firings["as_of"] >= inc.start_date - pd.Timedelta(days=early_days))
            & (firings["as_of"] <= inc.end_date)
        ]
        first = hits["as_of"].min() if not hits.empty else None
        lead = int((inc.start_date - first).days) if first is not None else None
        if lead is not None:
            leads.append(lead)
        details.append(
            {
                "incident_id": inc.incident_id,
                "region_code": inc.region_code,
                "commodity": inc.commodity,
                "kind": inc.kind,
                "start_date": inc.start_date.date().isoformat(),
                "first_alert": first.date().isoformat() if first is not None else None,
                "lead_days": lead,
            }
        )
    inside = np.zeros(len(firings), dtype=bool)
    for w in windows.itertuples(index=False):
        inside |= (
            (firings["region_code"] == w.region_code).to_numpy()
            & (firings["commodity"] == w.commodity).to_numpy()
            & (firings["as_of"] >= w.window_start).to_numpy()
            & (firings["as_of"] <= w.end_date).to_numpy()
        )
    n_incidents = len(in_period)
    detected = len(leads)
    return {
        "incidents": n_incidents,
        "detected": detected,
        "recall": round(detected / n_incidents, 3) if n_incidents else None,
        "median_lead_days": float(np.median(leads)) if leads else None,
        "false_alarm_rate": round(float((~inside).mean()), 3) if len(firings) else 0.0,
        "alert_days": int(len(firings)),
        "false_alert_days": int((~inside).sum()),
        "details": details,
    }


def score(path: PathLike = None, replay_id: str | None = None) -> dict:
    """Score a stored replay (the latest unless ``replay_id`` is given)."""
    if replay_id is None:
        latest = latest_replay(path)
        if latest is None:
            raise ValueError(
                "no replay stored yet: run `python -m forecasting run --replay-from YYYY-MM-DD`"
            )
        replay_id = str(latest["replay_id"])
    row = read_df("SELECT * FROM replays WHERE replay_id = ?", [replay_id], path)
    if row.empty:
        raise ValueError(f"replay {replay_id} not found")
    period = (
        pd.Timestamp(row.iloc[0]["date_from"]).date(),
        pd.Timestamp(row.iloc[0]["date_to"]).date(),
    )
    result = score_firings(replay_firings(path, replay_id), load_incidents(path), period)
    return {"replay_id": replay_id, **result}
