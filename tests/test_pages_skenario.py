"""Skenario page: the planner's what-if runs in process (services); officers can save and compare."""

from __future__ import annotations

import pytest

from tests.test_pages_alerts import PASSWORD, app
from ui import scenario
from warehouse import audit, db

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def submit(at, demand_pct: float):
    at.number_input(key="skenario_demand_pct").set_value(demand_pct)
    next(b for b in at.button if b.label == "Jalankan skenario").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.slow
def test_more_lpg_demand_brings_the_stockout_forward(pages_db):
    at = submit(app(page="pages/skenario.py"), 30.0)
    table = at.dataframe[0].value
    assert len(table) == 11  # every regency, LPG 3 kg
    assert any("lebih cepat" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 1
    _, data = at.session_state["skenario_result"]
    summary = scenario.summary_frame(data)
    both = summary.dropna(subset=["baseline_stockout", "scenario_stockout"])
    assert (both["scenario_stockout"] <= both["baseline_stockout"]).all()
    assert (summary["scenario_unmet"] >= summary["baseline_unmet"] - 1e-6).all()


@pytest.mark.slow
def test_anonymous_planner_cannot_save(pages_db):
    at = submit(app(page="pages/skenario.py"), 10.0)
    assert not [b for b in at.button if b.key == "skenario_save"]
    assert any("Masuk sebagai petugas" in c.value for c in at.caption)


@pytest.mark.slow
def test_officer_saves_and_compares_scenarios(pages_db):
    at = submit(app(PASSWORD, page="pages/skenario.py"), 30.0)
    at.button(key="skenario_save").click().run()
    assert not at.exception, at.exception
    assert any("disimpan" in s.value for s in at.success)
    saved = db.read_df("SELECT scenario_id, created_by FROM scenarios", path=pages_db)
    assert list(saved["created_by"]) == ["petugas"]
    rows = audit.recent(path=pages_db)
    assert rows.iloc[0]["action"] == "scenario_saved"
    assert rows.iloc[0]["target"] == saved["scenario_id"][0]
    at.multiselect(key="skenario_compare").set_value([saved["scenario_id"][0]]).run()
    comparison = at.dataframe[-1].value
    assert {"Dasar", "Skenario"} <= set(comparison.columns)


def test_scenario_form_values_become_typed_parameters():
    params = scenario.scenario_params(
        {"name": "Lebaran", "commodities": ["lpg_3kg"], "regions": ["1501"], "demand_pct": 30.0}
    )
    assert (params.name, params.commodities, params.regions) == ("Lebaran", ["lpg_3kg"], ["1501"])
    assert params.demand_pct == 30.0 and params.delivery_pct == 0.0 and params.start is None
