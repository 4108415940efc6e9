"""Writes an officer makes from the dashboard: thin calls into ``services``.

Every service writes its data and its audit row in one transaction and raises
``services.common.ServiceError`` (a ``ValueError``) with a message to show, or
``LoginRequired`` (also a ``PermissionError``) for anonymous users.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from services import alerts as alert_service
from services import held, references, scenarios
from services.alerts import ACTION_KINDS, AlertStep, AlertStepResult, allowed_steps
from services.held import HeldDecision
from services.scenarios import ScenarioRun
from ui.scenario import scenario_params

__all__ = ["ACTION_KINDS", "allowed_steps"]


def apply_alert_step(path: str, alert_id: str, step: str, user: str | None, note: str) -> int:
    """Acknowledge / record an action / close ``alert_id`` as ``user``; returns the step's seq."""
    result: AlertStepResult = alert_service.apply_alert_step(
        path, AlertStep(alert_id, step, note), user
    )
    return result.seq


def compose_note(step: str, kind_label: str, note: str) -> str:
    """The stored note: for an action, "<kind>: <note>" so the action type is never lost."""
    note = note.strip()
    if step != "action":
        return note
    return f"{kind_label}: {note}" if note else kind_label


def save_scenario(params: dict[str, Any], db: str, user: str | None) -> ScenarioRun:
    """Run and save the scenario of the form as ``user`` (audited in the same transaction)."""
    return scenarios.save_scenario(db, scenario_params(params), user)


def edit_reference_price(params: dict[str, Any], db: str, user: str | None) -> None:
    """Start a corrected reference price as ``user`` (audited in the same transaction)."""
    valid_from = params["valid_from"]
    correction = references.ReferenceCorrection(
        commodity=params["commodity"],
        region_code=params.get("region_code"),
        kind=params["kind"],
        value=float(params["value"] or 0),
        valid_from=valid_from if isinstance(valid_from, dt.date) else dt.date.today(),
        source=str(params.get("source") or ""),
        note=params.get("note"),
    )
    references.correct_reference_price(db, correction, user)


def decide_held_values(
    hold_ids: list[str], discard: bool, db: str, user: str | None
) -> HeldDecision:
    """Load (confirm) or discard held values as ``user``: decision, runs and audit together."""
    return held.decide_held_values(db, hold_ids, user, discard)
