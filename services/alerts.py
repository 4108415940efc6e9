"""Alert steps: acknowledge, record an action, close — the event and its audit row together."""

from __future__ import annotations

import os
from dataclasses import dataclass

from services.common import ServiceError, require_user
from warehouse import alerts, audit
from warehouse.db import write_transaction

PathLike = str | os.PathLike[str] | None
AUDIT_ACTIONS = {
    "acknowledged": "alert_acknowledged",
    "action": "alert_action",
    "closed": "alert_closed",
}
ACTION_KINDS = ("operasi_pasar", "tambahan_alokasi", "koordinasi_distributor", "sidak", "lainnya")


@dataclass(frozen=True)
class AlertStep:
    """One officer step on one alert (``step`` is ``acknowledged``, ``action`` or ``closed``)."""

    alert_id: str
    step: str
    note: str = ""


@dataclass(frozen=True)
class AlertStepResult:
    """The stored step: its sequence number in ``alert_events`` and who made it."""

    alert_id: str
    step: str
    seq: int
    user: str


def allowed_steps(state: str) -> list[str]:
    """Lifecycle steps possible from an alert's current state."""
    return [step for step, sources in alerts.ALLOWED_FROM.items() if state in sources]


def apply_alert_step(db: PathLike, request: AlertStep, user: str | None) -> AlertStepResult:
    """Append the step to the alert's history and audit it, in one transaction."""
    officer = require_user(user)
    if request.step not in AUDIT_ACTIONS:
        raise ServiceError(f"unknown alert step {request.step!r}")
    note = request.note.strip() or None
    try:
        with write_transaction(db) as con:
            seq = alerts.append_event(con, request.alert_id, request.step, officer, note)
            audit.insert(con, AUDIT_ACTIONS[request.step], officer, request.alert_id, note)
    except alerts.AlertError as exc:
        raise ServiceError(str(exc)) from exc
    return AlertStepResult(request.alert_id, request.step, seq, officer)
