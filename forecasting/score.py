"""Alert skill of a historical replay against ground-truth incidents.

**Skill** (``skill_scores``), the measure published since this release:

* An incident is **detected** when an alert of the incident's own kind (stock for supply
  incidents, price for price incidents) fired for its region × commodity between the cause and
  the breach: ``[cause_date, start_date]`` (without a cause date: the 30 days before the start).
  **Probability of detection** (POD) is reported per incident kind with a Clopper–Pearson exact
  90 % interval (a bootstrap of 10 detections out of 10 would give [1, 1]).
* **Lead** = start_date − the first such warning; median with a bootstrap 90 % interval.
* **False-alarm episodes**: an episode is one alert (firings within the alerting cooldown join
  it). It is false when none of its firing days falls in an incident window
  ``[cause_date, end_date + RECOVERY_DAYS]`` of the same region × commodity and kind. Counted
  per region × commodity × year of replay (pairs with data of the alert's kind), with a
  bootstrap 90 % interval that resamples region × commodity pairs.
* **Precision over the warning period**: alert-days before a breach only: alert-days in a
  warning window ``[cause_date, start_date)`` ÷ those plus alert-days outside every incident
  window (alert-days during a visible breach are not warnings and are left out).

**Legacy** (kept beside it for one release, ``legacy``): recall with any alert kind within
``[start_date − 30 days, end_date]``, lead from that window, and "false-alarm rate" = share of
alert-days outside every such window.

Only incidents that start within the replayed period count.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from forecasting.data import load_incidents
from forecasting.ground_truth import alert_kind_of
from warehouse.db import read_df, write_transaction

PathLike = str | os.PathLike[str] | None
EARLY_WINDOW_DAYS = 30
RECOVERY_DAYS = 7
CONFIDENCE = 0.90
BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 20261129
FIRING_EVENTS = ("raised", "repeated", "escalated")
DAYS_PER_YEAR = 365.25


def latest_replay(path: PathLike) -> pd.Series | None:
    """The most recent replay row, or None."""
    frame = read_df("SELECT * FROM replays ORDER BY created_at DESC LIMIT 1", path=path)
    return None if frame.empty else frame.iloc[0]


def replay_firings(path: PathLike, replay_id: str) -> pd.DataFrame:
    """Alert-days of one replay: (as_of, region_code, commodity, kind, alert_id)."""
    frame = read_df(
        "SELECT DISTINCT e.as_of, a.region_code, a.commodity, a.kind, a.alert_id"
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
    """Legacy recall, median lead and false-alarm rate of alert-days (pure)."""
    firings = firings.drop_duplicates(["as_of", "region_code", "commodity"])
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


def in_period(incidents: pd.DataFrame, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """Incidents that start within the replayed period, with their alert kind and windows."""
    start, end = pd.Timestamp(period[0]), pd.Timestamp(period[1])
    frame = incidents[(incidents["start_date"] >= start) & (incidents["start_date"] <= end)].copy()
    early = frame["start_date"] - pd.Timedelta(days=EARLY_WINDOW_DAYS)
    frame["cause_date"] = pd.to_datetime(frame["cause_date"]).fillna(early)
    frame["alert_kind"] = [alert_kind_of(k) for k in frame["kind"]]
    return frame.reset_index(drop=True)


def _pair_hits(firings: pd.DataFrame, inc, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    mask = (
        (firings["region_code"] == inc.region_code)
        & (firings["commodity"] == inc.commodity)
        & (firings["kind"] == inc.alert_kind)
        & (firings["as_of"] >= first)
        & (firings["as_of"] <= last)
    )
    return firings.loc[mask, "as_of"]


def incident_details(firings: pd.DataFrame, incidents: pd.DataFrame) -> list[dict]:
    """Per incident: the first warning between cause and breach, its lead, the first alert."""
    details = []
    recovery = pd.Timedelta(days=RECOVERY_DAYS)
    for inc in incidents.itertuples(index=False):
        warned = _pair_hits(firings, inc, inc.cause_date, inc.start_date)
        any_alert = _pair_hits(firings, inc, inc.cause_date, inc.end_date + recovery)
        first = warned.min() if not warned.empty else None
        details.append(
            {
                "incident_id": str(inc.incident_id),
                "region_code": str(inc.region_code),
                "commodity": str(inc.commodity),
                "kind": str(inc.kind),
                "alert_kind": inc.alert_kind,
                "cause_date": inc.cause_date.date().isoformat(),
                "start_date": inc.start_date.date().isoformat(),
                "end_date": inc.end_date.date().isoformat(),
                "first_warning": first.date().isoformat() if first is not None else None,
                "lead_days": int((inc.start_date - first).days) if first is not None else None,
                "first_alert": any_alert.min().date().isoformat() if not any_alert.empty else None,
            }
        )
    return details


def _day_classes(firings: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """Alert-days (pair × kind × day) marked as warning (before a breach) or in an incident."""
    days = firings.drop_duplicates(["as_of", "region_code", "commodity", "kind"]).copy()
    days["warning"] = False
    days["in_incident"] = False
    recovery = pd.Timedelta(days=RECOVERY_DAYS)
    for inc in incidents.itertuples(index=False):
        same = (
            (days["region_code"] == inc.region_code)
            & (days["commodity"] == inc.commodity)
            & (days["kind"] == inc.alert_kind)
        )
        days.loc[
            same & days["as_of"].between(inc.cause_date, inc.start_date, "left"), "warning"
        ] = True
        days.loc[
            same & days["as_of"].between(inc.cause_date, inc.end_date + recovery), "in_incident"
        ] = True
    return days


def false_episodes(days: pd.DataFrame) -> pd.DataFrame:
    """One row per alert (episode): pair, kind, first day, whether any day fell in an incident."""
    grouped = days.groupby("alert_id", sort=False).agg(
        region_code=("region_code", "first"),
        commodity=("commodity", "first"),
        kind=("kind", "first"),
        first_day=("as_of", "min"),
        true=("in_incident", "any"),
    )
    return grouped.reset_index()


def _interval(samples: np.ndarray) -> list[float | None]:
    samples = samples[~np.isnan(samples)]
    if not len(samples):
        return [None, None]
    tail = 100 * (1 - CONFIDENCE) / 2
    low, high = np.percentile(samples, [tail, 100 - tail])
    return [round(float(low), 3), round(float(high), 3)]


def _bootstrap(values: np.ndarray, statistic, rng: np.random.Generator) -> list[float | None]:
    """Percentile interval of ``statistic`` over resamples of the rows of ``values``."""
    if len(values) == 0:
        return [None, None]
    picks = rng.integers(0, len(values), size=(BOOTSTRAP_SAMPLES, len(values)))
    return _interval(np.array([statistic(values[p]) for p in picks], dtype=float))


def pod_interval(detected: int, total: int) -> list[float | None]:
    """Clopper–Pearson exact interval of a detection proportion."""
    if total == 0:
        return [None, None]
    ci = binomtest(detected, total).proportion_ci(confidence_level=CONFIDENCE, method="exact")
    return [round(float(ci.low), 3), round(float(ci.high), 3)]


def _pod_block(details: list[dict]) -> dict:
    detected = sum(d["lead_days"] is not None for d in details)
    total = len(details)
    return {
        "incidents": total,
        "detected": detected,
        "pod": round(detected / total, 3) if total else None,
        "pod_interval": pod_interval(detected, total),
    }


def _ratio(rows: np.ndarray) -> float:
    denominator = rows[:, 1].sum()
    return float(rows[:, 0].sum() / denominator) if denominator else np.nan


def skill_scores(
    firings: pd.DataFrame,
    incidents: pd.DataFrame,
    period: tuple[dt.date, dt.date],
    pairs: pd.DataFrame,
) -> dict:
    """The honest skill (pure): POD per kind, lead, false-alarm episodes, warning precision.

    ``firings``: as_of, region_code, commodity, kind, alert_id (one replay's alert-days);
    ``pairs``: region_code, commodity, kind — every pair × alert kind that had data to alert on.
    """
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    scored = in_period(incidents, period)
    details = incident_details(firings, scored)
    by_kind = {
        kind: _pod_block([d for d in details if d["kind"] == kind])
        for kind in sorted({d["kind"] for d in details})
    }
    by_alert_kind = {
        kind: _pod_block([d for d in details if d["alert_kind"] == kind])
        for kind in ("stock", "price")
        if any(d["alert_kind"] == kind for d in details)
    }
    leads = np.array([d["lead_days"] for d in details if d["lead_days"] is not None], dtype=float)
    years = ((period[1] - period[0]).days + 1) / DAYS_PER_YEAR
    days = _day_classes(firings, scored)
    episodes = false_episodes(days) if not days.empty else pd.DataFrame(
        columns=["alert_id", "region_code", "commodity", "kind", "first_day", "true"]
    )  # fmt: skip
    false_alarms = {"all": _false_alarm_block(episodes, pairs, years, rng)}
    for kind in ("stock", "price"):
        kind_pairs = pairs[pairs["kind"] == kind]
        if not kind_pairs.empty:
            false_alarms[kind] = _false_alarm_block(
                episodes[episodes["kind"] == kind], kind_pairs, years, rng
            )
    return {
        "incidents": len(details),
        "detected": sum(d["lead_days"] is not None for d in details),
        **_pod_block(details),
        "pod_by_kind": by_kind,
        "pod_by_alert_kind": by_alert_kind,
        "median_lead_days": float(np.median(leads)) if len(leads) else None,
        "median_lead_interval": _bootstrap(leads, np.median, rng),
        "leads": [int(v) for v in leads],
        "false_alarms": false_alarms,
        "warning_precision": _precision_block(days, rng),
        "pair_years": round(len(pairs.drop_duplicates(["region_code", "commodity"])) * years, 2),
        "confidence": CONFIDENCE,
        "bootstrap_samples": BOOTSTRAP_SAMPLES,
        "recovery_days": RECOVERY_DAYS,
        "details": details,
    }


def _false_alarm_block(
    episodes: pd.DataFrame, pairs: pd.DataFrame, years: float, rng: np.random.Generator
) -> dict:
    """False-alarm episodes per region × commodity × year, resampling pairs for the interval."""
    keys = pairs.drop_duplicates(["region_code", "commodity"])[["region_code", "commodity"]]
    false = episodes[~episodes["true"].astype(bool)]
    counts = false.groupby(["region_code", "commodity"]).size().rename("n")
    per_pair = keys.merge(counts.reset_index(), how="left").fillna({"n": 0})["n"].to_numpy()
    rows = np.column_stack([per_pair, np.full(len(per_pair), years)]) if len(per_pair) else None
    rate = _ratio(rows) if rows is not None else np.nan
    return {
        "false_episodes": int(len(false)),
        "episodes": int(len(episodes)),
        "pairs": int(len(keys)),
        "years": round(years, 3),
        "per_pair_year": None if np.isnan(rate) else round(rate, 3),
        "per_pair_year_interval": _bootstrap(rows, _ratio, rng)
        if rows is not None
        else [None, None],
        "worst_pairs": [
            {"region_code": r, "commodity": c, "false_episodes": int(n)}
            for (r, c), n in counts.sort_values(ascending=False).head(5).items()
        ],
    }


def _precision_block(days: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Warning precision: warning alert-days ÷ (warning + false alert-days), pairs resampled."""
    if days.empty:
        return {"precision": None, "interval": [None, None], "warning_days": 0, "false_days": 0}
    outside = ~days["in_incident"]
    per_pair = (
        days.assign(true=days["warning"], considered=days["warning"] | outside)
        .groupby(["region_code", "commodity"])[["true", "considered"]]
        .sum()
        .to_numpy(dtype=float)
    )
    value = _ratio(per_pair)
    return {
        "precision": None if np.isnan(value) else round(value, 3),
        "interval": _bootstrap(per_pair, _ratio, rng),
        "warning_days": int(days["warning"].sum()),
        "false_days": int(outside.sum()),
    }


def alert_pairs(path: PathLike, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """Region × commodity × alert kind with stock (stock) or price (price) data in the period."""
    return read_df(
        "SELECT DISTINCT region_code, commodity,"
        " CASE WHEN metric = 'price' THEN 'price' ELSE 'stock' END AS kind"
        " FROM daily_values WHERE metric IN ('price', 'stock') AND date BETWEEN ? AND ?",
        [period[0], period[1]],
        path,
    )


def replay_period(path: PathLike, replay_id: str | None) -> tuple[str, tuple[dt.date, dt.date]]:
    """The replay to score (the latest unless given) and its period."""
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
    return replay_id, period


def score(
    path: PathLike = None,
    replay_id: str | None = None,
    incidents: pd.DataFrame | None = None,
    incidents_source: str = "incidents table",
    save: bool = True,
) -> dict:
    """Score a stored replay against the incidents table or given incidents; store the result."""
    replay_id, period = replay_period(path, replay_id)
    if incidents is None:
        incidents = load_incidents(path)
    firings = replay_firings(path, replay_id)
    legacy = score_firings(firings, incidents, period)
    result = {
        "replay_id": replay_id,
        "date_from": period[0].isoformat(),
        "date_to": period[1].isoformat(),
        "incidents_source": incidents_source,
        "skill": skill_scores(firings, incidents, period, alert_pairs(path, period)),
        "legacy": {k: v for k, v in legacy.items() if k != "details"},
        # the legacy top-level keys stay for one release
        **{k: legacy[k] for k in ("incidents", "detected", "recall", "median_lead_days",
                                  "false_alarm_rate", "alert_days", "details")},
    }  # fmt: skip
    if save:
        result["score_id"] = store_score(path, result)
    return result


def store_score(path: PathLike, result: dict) -> str:
    """Append one score to ``skill_scores`` (one transaction); returns its id."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    score_id = f"score-{now:%Y%m%dT%H%M%S%f}"
    with write_transaction(path) as con:
        con.execute(
            "INSERT INTO skill_scores (score_id, created_at, replay_id, date_from, date_to,"
            " incidents_source, result) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [score_id, now, result["replay_id"], result["date_from"], result["date_to"],
             result["incidents_source"], json.dumps(result, default=str)],
        )  # fmt: skip
    return score_id
