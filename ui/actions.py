"""Writes an officer makes from the dashboard, each followed by its audit row."""

from __future__ import annotations

from warehouse import alerts, audit, reference_edits

ALERT_STEPS = {
    "acknowledged": ("alert_acknowledged", alerts.acknowledge_alert),
    "action": ("alert_action", alerts.record_action),
    "closed": ("alert_closed", alerts.close_alert),
}
ACTION_KINDS = ("operasi_pasar", "tambahan_alokasi", "koordinasi_distributor", "sidak", "lainnya")


def allowed_steps(state: str) -> list[str]:
    """Lifecycle steps possible from an alert's current state."""
    return [step for step, sources in alerts.ALLOWED_FROM.items() if state in sources]


def apply_alert_step(path: str, alert_id: str, step: str, user: str | None, note: str) -> int:
    """Acknowledge / record an action / close ``alert_id`` as ``user``, then audit it.

    Raises ``PermissionError`` for anonymous users and ``alerts.AlertError`` for a step the
    alert's state does not allow.
    """
    if not user:
        raise PermissionError("login required")
    action, function = ALERT_STEPS[step]
    seq = function(path, alert_id, user, note.strip() or None)
    audit.record(action, user, alert_id, note.strip() or None, path=path)
    return seq


def compose_note(step: str, kind_label: str, note: str) -> str:
    """The stored note: for an action, "<kind>: <note>" so the action type is never lost."""
    note = note.strip()
    if step != "action":
        return note
    return f"{kind_label}: {note}" if note else kind_label


def save_scenario(params: dict, db: str, user: str | None):
    """Save a scenario through the forecasting CLI as ``user``, then audit it."""
    from ui.scenario import run_scenario

    if not user:
        raise PermissionError("login required")
    result = run_scenario(params, db, save_as=user)
    if result.ok:
        scenario_id = (result.data or {}).get("scenario_id")
        audit.record("scenario_saved", user, scenario_id, params.get("name"), path=db)
    return result


def edit_reference_price(params: dict, db: str, user: str | None) -> None:
    """Start a corrected reference price as ``user`` (audited in the same transaction)."""
    if not user:
        raise PermissionError("login required")
    reference_edits.add_reference_price(**params, user=user, path=db)


def decide_held_values(hold_ids: list[str], discard: bool, db: str, user: str | None):
    """Load (confirm) or discard held values through ``python -m ingest confirm`` as ``user``.

    The command writes the decision, the load run and the audit row in one transaction.
    """
    from ui.jobs import run_cli

    if not user:
        raise PermissionError("login required")
    args = ["confirm", *hold_ids, "--user", user, "--json"]
    return run_cli("ingest", [*args, "--discard"] if discard else args, db=db)
