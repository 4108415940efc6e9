"""Alerts from statuses: firing rules and de-duplication (pure), plus the live write.

An alert fires for a region × commodity when

* ``stock``: the cover rules (days of cover now, the lowest projected cover within the next
  21 days from the forecasts, or the resupply trend of ``forecasting.resupply``) reach Siaga
  or worse;
* ``price``: the price rules (disparity against the reference in force, or a severe price
  anomaly signal) reach Siaga or worse.

A firing within ``COOLDOWN_DAYS`` of the last firing of an open alert with the same
region × commodity × kind joins that alert (event ``repeated``, or ``escalated`` when the
level is higher than before); otherwise a new alert is ``raised``. Alerts and their firing
events are written as computed then and never rewritten.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

import pandas as pd

COOLDOWN_DAYS = 14
ALERT_MIN_LEVEL = 2
FIRING_COLUMNS = [
    "region_code", "commodity", "kind", "level", "rule", "reason_id", "reason_en", "as_of",
]  # fmt: skip
STATE_COLUMNS = [
    "alert_id", "region_code", "commodity", "kind", "last_as_of", "max_level", "closed", "next_seq",
]  # fmt: skip
ALERT_COLUMNS = [
    "alert_id", "origin", "origin_id", "region_code", "commodity", "kind", "first_as_of",
    "level", "rule", "reason_id", "reason_en", "created_at",
]  # fmt: skip
EVENT_COLUMNS = [
    "alert_id", "seq", "event", "as_of", "run_id", "level", "reason_id", "reason_en",
    "user_name", "note", "created_at",
]  # fmt: skip
STOCK_RULES = ("days_of_cover", "projected_cover", "resupply_trend")
PRICE_RULES = ("price_vs_reference", "price_trend", "wow_change", "mom_change", "alps", "ipa")


@dataclass
class AlertWrites:
    """New alert rows and new events of one run."""

    alerts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ALERT_COLUMNS))
    events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EVENT_COLUMNS))

    @property
    def n_touched(self) -> int:
        return int(self.events["alert_id"].nunique()) if not self.events.empty else 0


def firings(statuses: pd.DataFrame, min_level: int = ALERT_MIN_LEVEL) -> pd.DataFrame:
    """One firing per region × commodity × kind whose rules reach ``min_level``."""
    rows = []
    for s in statuses.to_dict("records"):
        stock_level = int(s.get("cover_level", 0) or 0)
        price_level = max(int(s.get("price_level", 0) or 0), int(s.get("anomaly_level", 0) or 0))
        for kind, level, rules in (
            ("stock", stock_level, STOCK_RULES),
            ("price", price_level, PRICE_RULES),
        ):
            if level < min_level:
                continue
            rule = s["rule"] if s["rule"] in rules else rules[0]
            reason_id, reason_en = s["reason_id"], s["reason_en"]
            if s.get(f"{kind}_reason_id"):  # the kind's own rule and words (signals.kind_reasons)
                rule = s[f"{kind}_rule"]
                reason_id, reason_en = s[f"{kind}_reason_id"], s[f"{kind}_reason_en"]
            rows.append(
                {
                    "region_code": s["region_code"],
                    "commodity": s["commodity"],
                    "kind": kind,
                    "level": level,
                    "rule": rule,
                    "reason_id": reason_id,
                    "reason_en": reason_en,
                    "as_of": pd.Timestamp(s["as_of"]).date(),
                }
            )
    return pd.DataFrame(rows, columns=FIRING_COLUMNS)


def empty_state() -> pd.DataFrame:
    """No alerts yet."""
    return pd.DataFrame(columns=STATE_COLUMNS)


def new_alert_id(as_of: dt.date, region: str, commodity: str, kind: str) -> str:
    """``AL-20261120-1501-lpg_3kg-stock-1a2b``."""
    return f"AL-{as_of:%Y%m%d}-{region}-{commodity}-{kind}-{secrets.token_hex(2)}"


def dedup(
    fired: pd.DataFrame,
    state: pd.DataFrame,
    origin: str,
    origin_id: str,
    now: dt.datetime,
    cooldown_days: int = COOLDOWN_DAYS,
) -> tuple[AlertWrites, pd.DataFrame]:
    """Join firings to open alerts within the cooldown or raise new ones.

    Returns the writes and the updated state (one row per alert).
    """
    state = state.copy()
    alerts, events = [], []
    for f in fired.to_dict("records"):
        as_of = pd.Timestamp(f["as_of"]).date()
        match = state[
            (state["region_code"] == f["region_code"])
            & (state["commodity"] == f["commodity"])
            & (state["kind"] == f["kind"])
            & (~state["closed"].astype(bool))
        ]
        if not match.empty:
            recent = match.sort_values("last_as_of").iloc[-1]
            gap = (as_of - pd.Timestamp(recent["last_as_of"]).date()).days
            if 0 <= gap <= cooldown_days:
                index = match.sort_values("last_as_of").index[-1]
                event = "escalated" if f["level"] > int(recent["max_level"]) else "repeated"
                seq = int(recent["next_seq"])
                events.append(_event(recent["alert_id"], seq, event, f, origin_id, now))
                state.loc[index, "last_as_of"] = as_of
                state.loc[index, "max_level"] = max(int(recent["max_level"]), int(f["level"]))
                state.loc[index, "next_seq"] = seq + 1
                continue
        alert_id = new_alert_id(as_of, f["region_code"], f["commodity"], f["kind"])
        alerts.append(
            {
                "alert_id": alert_id,
                "origin": origin,
                "origin_id": origin_id,
                "region_code": f["region_code"],
                "commodity": f["commodity"],
                "kind": f["kind"],
                "first_as_of": as_of,
                "level": int(f["level"]),
                "rule": f["rule"],
                "reason_id": f["reason_id"],
                "reason_en": f["reason_en"],
                "created_at": now,
            }
        )
        events.append(_event(alert_id, 1, "raised", f, origin_id, now))
        new_row = pd.DataFrame(
            [[alert_id, f["region_code"], f["commodity"], f["kind"], as_of, int(f["level"]),
              False, 2]],
            columns=STATE_COLUMNS,
        )  # fmt: skip
        state = new_row if state.empty else pd.concat([state, new_row], ignore_index=True)
    writes = AlertWrites(
        pd.DataFrame(alerts, columns=ALERT_COLUMNS), pd.DataFrame(events, columns=EVENT_COLUMNS)
    )
    return writes, state


def _event(alert_id: str, seq: int, event: str, f: dict, run_id: str, now: dt.datetime) -> dict:
    return {
        "alert_id": alert_id,
        "seq": seq,
        "event": event,
        "as_of": pd.Timestamp(f["as_of"]).date(),
        "run_id": run_id,
        "level": int(f["level"]),
        "reason_id": f["reason_id"],
        "reason_en": f["reason_en"],
        "user_name": None,
        "note": None,
        "created_at": now,
    }


STATE_SQL = """
    SELECT a.alert_id, a.region_code, a.commodity, a.kind,
           max(e.as_of) FILTER (WHERE e.event IN ('raised', 'repeated', 'escalated')) AS last_as_of,
           max(e.level) AS max_level,
           bool_or(e.event = 'closed') AS closed,
           max(e.seq) + 1 AS next_seq
    FROM alerts a JOIN alert_events e USING (alert_id)
    WHERE a.origin = ?
    GROUP BY a.alert_id, a.region_code, a.commodity, a.kind
"""


def read_state(con, origin: str = "live") -> pd.DataFrame:
    """Current dedup state of the stored alerts of one origin."""
    frame = con.execute(STATE_SQL, [origin]).df()
    if frame.empty:
        return empty_state()
    frame["last_as_of"] = pd.to_datetime(frame["last_as_of"]).dt.date
    return frame[STATE_COLUMNS]


def insert_writes(con, writes: AlertWrites) -> None:
    """Append new alerts and events (bulk, through registered frames)."""
    for table, frame, columns in (
        ("alerts", writes.alerts, ALERT_COLUMNS),
        ("alert_events", writes.events, EVENT_COLUMNS),
    ):
        if frame.empty:
            continue
        names = ", ".join(columns)
        con.register("alert_frame", frame[columns])
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM alert_frame")  # noqa: S608
        con.unregister("alert_frame")


def update_alerts_live(con, outcome) -> AlertWrites:
    """Fire, de-duplicate against stored live alerts and write, inside the run's transaction."""
    fired = firings(outcome.statuses)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    writes, _ = dedup(fired, read_state(con, "live"), "live", outcome.run_id, now)
    insert_writes(con, writes)
    return writes
