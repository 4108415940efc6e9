"""Planner scenarios: run one on the stored forecasts, or run and save it (audited)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from forecasting.scenario import ScenarioParams, insert_scenario
from forecasting.scenario import run_scenario as project_scenario
from services.common import ServiceError, require_user
from warehouse import audit
from warehouse.db import WarehouseError, write_transaction

PathLike = str | os.PathLike[str] | None
__all__ = ["ScenarioParams", "ScenarioRun", "run_scenario", "save_scenario"]


@dataclass(frozen=True)
class ScenarioRun:
    """Baseline vs scenario per region × commodity, suggested transfers, and the saved id."""

    name: str
    base_run_id: str
    results: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    scenario_id: str | None = None

    @classmethod
    def from_outcome(cls, outcome: dict[str, Any], scenario_id: str | None = None) -> ScenarioRun:
        return cls(
            outcome["name"],
            outcome["base_run_id"],
            outcome["results"],
            outcome["transfers"],
            outcome.get("params", {}),
            outcome.get("seconds", 0.0),
            scenario_id,
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``python -m forecasting scenario --json``."""
        data = {
            "name": self.name,
            "base_run_id": self.base_run_id,
            "params": self.params,
            "results": self.results,
            "transfers": self.transfers,
            "seconds": self.seconds,
        }
        if self.scenario_id:
            data["scenario_id"] = self.scenario_id
        return data


def _checked(params: ScenarioParams) -> ScenarioParams:
    if params.start and params.end and params.end < params.start:
        raise ServiceError("akhir sebelum awal / the end date is before the start date")
    return params


def _outcome(db: PathLike, params: ScenarioParams, run_id: str | None) -> dict[str, Any]:
    try:
        return project_scenario(db, _checked(params), run_id)
    except (ValueError, WarehouseError) as exc:
        raise ServiceError(str(exc)) from exc


def run_scenario(db: PathLike, params: ScenarioParams, run_id: str | None = None) -> ScenarioRun:
    """Project the scenario on the latest (or the given) forecasting run; writes nothing."""
    return ScenarioRun.from_outcome(_outcome(db, params, run_id))


def save_scenario(
    db: PathLike, params: ScenarioParams, user: str | None, run_id: str | None = None
) -> ScenarioRun:
    """Run the scenario and store it with its audit row in one transaction."""
    officer = require_user(user)
    outcome = _outcome(db, params, run_id)
    with write_transaction(db) as con:
        scenario_id = insert_scenario(con, outcome, params, officer)
        audit.insert(con, "scenario_saved", officer, scenario_id, params.name)
    return ScenarioRun.from_outcome(outcome, scenario_id)
