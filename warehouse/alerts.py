"""Alert lifecycle: list, history, acknowledge, record an action, close.

Alerts are raised by the forecasting runs (``alerts`` + ``alert_events``). The lifecycle is
new → acknowledged → action recorded → closed; every step is an appended event with who,
when and a note, written in its own ``write_transaction``. Nothing is ever updated in place.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pandas as pd

from warehouse.db import read_df, write_transaction
from warehouse.reference import province_code, province_label

PathLike = str | os.PathLike[str] | None
STATES: tuple[str, ...] = ("new", "acknowledged", "action", "closed")
FIRING_EVENTS: tuple[str, ...] = ("raised", "repeated", "escalated")
STATE_LABELS = {
    "new": ("Baru", "New"),
    "acknowledged": ("Diterima", "Acknowledged"),
    "action": ("Tindakan dicatat", "Action recorded"),
    "closed": ("Ditutup", "Closed"),
}
ALLOWED_FROM = {
    "acknowledged": ("new",),
    "action": ("new", "acknowledged", "action"),
    "closed": ("new", "acknowledged", "action"),
}


class AlertError(ValueError):
    """A lifecycle step that is not allowed (unknown alert, closed alert, missing user)."""


ALERT_LIST_SQL = """
WITH ev AS (
    SELECT alert_id,
           max(level) FILTER (WHERE event IN ('raised', 'repeated', 'escalated')) AS level,
           max(as_of) FILTER (WHERE event IN ('raised', 'repeated', 'escalated')) AS last_as_of,
           count(*) FILTER (WHERE event IN ('raised', 'repeated', 'escalated')) AS n_firings,
           arg_max(reason_id, seq) FILTER (WHERE event IN ('raised', 'repeated', 'escalated'))
               AS last_reason_id,
           arg_max(reason_en, seq) FILTER (WHERE event IN ('raised', 'repeated', 'escalated'))
               AS last_reason_en,
           CASE
               WHEN bool_or(event = 'closed') THEN 'closed'
               WHEN bool_or(event = 'action') THEN 'action'
               WHEN bool_or(event = 'acknowledged') THEN 'acknowledged'
               ELSE 'new'
           END AS state,
           max(created_at) AS updated_at
    FROM alert_events GROUP BY alert_id
)
SELECT a.alert_id, a.region_code, r.name AS region_name, a.commodity,
       c.name_id AS commodity_name_id, c.name_en AS commodity_name_en, a.kind,
       a.first_as_of, ev.last_as_of, a.level AS first_level, ev.level, a.rule,
       ev.last_reason_id AS reason_id, ev.last_reason_en AS reason_en,
       ev.n_firings, ev.state, ev.updated_at, a.origin, a.origin_id, a.created_at
FROM alerts a
JOIN ev USING (alert_id)
LEFT JOIN regions r ON r.bps_code = a.region_code
LEFT JOIN commodities c ON c.code = a.commodity
WHERE a.origin = ?
"""


def list_alerts(
    path: PathLike = None,
    state: str | list[str] | None = None,
    region: str | list[str] | None = None,
    commodity: str | list[str] | None = None,
    kind: str | None = None,
    min_level: int | None = None,
    since: dt.date | None = None,
    origin: str = "live",
) -> pd.DataFrame:
    """Alerts with their current level and state, newest first.

    ``state`` is one of ``STATES`` (or a list); ``since`` keeps alerts whose last firing is on
    or after that date; ``origin="replay"`` lists the historical-replay alerts instead.
    """
    sql = ALERT_LIST_SQL
    params: list[Any] = [origin]
    for column, value in (
        ("ev.state", state),
        ("a.region_code", region),
        ("a.commodity", commodity),
    ):
        if value:
            values = [value] if isinstance(value, str) else list(value)
            sql += f" AND {column} IN ({', '.join('?' for _ in values)})"
            params += values
    if kind:
        sql += " AND a.kind = ?"
        params.append(kind)
    if min_level is not None:
        sql += " AND ev.level >= ?"
        params.append(int(min_level))
    if since is not None:
        sql += " AND ev.last_as_of >= ?"
        params.append(since)
    sql += " ORDER BY ev.last_as_of DESC, ev.level DESC, a.alert_id"
    frame = read_df(sql, params, path)
    at_province = frame["region_code"].astype(str) == province_code()  # not in ``regions``
    frame.loc[at_province, "region_name"] = province_label("id")
    return frame


def alert_history(path: PathLike, alert_id: str) -> pd.DataFrame:
    """Every event of one alert in order: firings as computed then and lifecycle steps."""
    return read_df(
        "SELECT seq, event, as_of, run_id, level, reason_id, reason_en, user_name, note,"
        " created_at FROM alert_events WHERE alert_id = ? ORDER BY seq",
        [alert_id],
        path,
    )


def _append_event(path: PathLike, alert_id: str, event: str, user: str, note: str | None) -> int:
    if not user or not str(user).strip():
        raise AlertError("Nama pengguna wajib diisi / a user name is required")
    with write_transaction(path) as con:
        rows = con.execute(
            "SELECT event, seq FROM alert_events WHERE alert_id = ? ORDER BY seq", [alert_id]
        ).fetchall()
        con.complete()
        if not rows:
            raise AlertError(f"Peringatan {alert_id} tidak ditemukan / alert not found")
        events = [r[0] for r in rows]
        current = _state_of(events)
        if current not in ALLOWED_FROM[event]:
            raise AlertError(
                f"Peringatan {alert_id} berstatus '{STATE_LABELS[current][0]}': langkah"
                f" '{STATE_LABELS[event][0]}' tidak bisa dilakukan / alert is"
                f" '{STATE_LABELS[current][1]}': cannot move to '{STATE_LABELS[event][1]}'"
            )
        seq = max(r[1] for r in rows) + 1
        con.execute(
            "INSERT INTO alert_events (alert_id, seq, event, as_of, run_id, level, reason_id,"
            " reason_en, user_name, note, created_at)"
            " VALUES (?, ?, ?, NULL, NULL, NULL, NULL, NULL, ?, ?, ?)",
            [alert_id, seq, event, str(user).strip(), note, _now()],
        )
    return seq


def _state_of(events: list[str]) -> str:
    for state in ("closed", "action", "acknowledged"):
        if state in events:
            return state
    return "new"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def acknowledge_alert(path: PathLike, alert_id: str, user: str, note: str | None = None) -> int:
    """Mark a new alert as acknowledged by ``user``; returns the event's sequence number."""
    return _append_event(path, alert_id, "acknowledged", user, note)


def record_action(path: PathLike, alert_id: str, user: str, note: str) -> int:
    """Record an action taken (the note says what was done); may be repeated."""
    if not note or not str(note).strip():
        raise AlertError("Catatan tindakan wajib diisi / describe the action taken")
    return _append_event(path, alert_id, "action", user, note)


def close_alert(path: PathLike, alert_id: str, user: str, note: str | None = None) -> int:
    """Close an alert; later firings of the same situation raise a new alert."""
    return _append_event(path, alert_id, "closed", user, note)
