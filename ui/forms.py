"""Input forms shared by pages (widgets only; keys carry the page prefix)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.i18n import t
from warehouse.reference_edits import KINDS


def scenario_form(
    commodity_names: dict[str, str], region_names: dict[str, str]
) -> dict[str, Any] | None:
    """The planner's scenario form; returns the parameters when submitted."""
    with st.form("skenario_form"):
        name = st.text_input(t("scenario_name"), value="Skenario", key="skenario_name")
        left, right = st.columns(2)
        commodity = left.selectbox(
            t("select_commodity"),
            list(commodity_names),
            index=list(commodity_names).index("lpg_3kg") if "lpg_3kg" in commodity_names else 0,
            format_func=commodity_names.get,
            key="skenario_commodity",
        )
        regions = right.multiselect(
            t("filter_regions"),
            list(region_names),
            format_func=region_names.get,
            key="skenario_regions",
            placeholder=t("all_regions"),
        )
        demand, delivery, delay = st.columns(3)
        values = {
            "demand_pct": demand.number_input(
                t("demand_pct"), -90.0, 300.0, 0.0, 5.0, key="skenario_demand_pct"
            ),
            "delivery_pct": delivery.number_input(
                t("delivery_pct"), -100.0, 300.0, 0.0, 5.0, key="skenario_delivery_pct"
            ),
            "delay_days": delay.number_input(
                t("delay_days"), 0, 60, 0, 1, key="skenario_delay_days"
            ),
        }
        quota, ref_price, start, end = st.columns(4)
        values["quota_pct"] = quota.number_input(
            t("quota_pct"), -90.0, 300.0, 0.0, 5.0, key="skenario_quota_pct"
        )
        values["ref_price_pct"] = ref_price.number_input(
            t("ref_price_pct"), -50.0, 100.0, 0.0, 1.0, key="skenario_ref_price_pct"
        )
        values["start"] = start.date_input(t("window_start"), value=None, key="skenario_start")
        values["end"] = end.date_input(t("window_end"), value=None, key="skenario_end")
        submitted = st.form_submit_button(t("run_scenario"), type="primary")
    if not submitted:
        return None
    return {
        "name": name.strip() or "Skenario",
        "commodities": [commodity],
        "regions": regions,
        **values,
    }


def alert_filters(
    state_names: dict[str, str],
    region_names: dict[str, str],
    commodity_names: dict[str, str],
    level_names: dict[int, str],
) -> dict[str, Any]:
    """The alert list filters (state, regencies, commodities, minimum level) in one row."""
    state_col, region_col, commodity_col, level_col = st.columns(4)
    states = state_col.multiselect(
        t("filter_state"),
        list(state_names),
        ["new", "acknowledged", "action"],
        format_func=state_names.get,
        key="peringatan_states",
        placeholder=t("choose"),
    )
    regions = region_col.multiselect(
        t("filter_regions"),
        list(region_names),
        format_func=region_names.get,
        key="peringatan_regions",
        placeholder=t("all_regions"),
    )
    commodities = commodity_col.multiselect(
        t("filter_commodities"),
        list(commodity_names),
        format_func=commodity_names.get,
        key="peringatan_commodities",
        placeholder=t("all_commodities"),
    )
    min_level = level_col.selectbox(
        t("filter_min_level"),
        list(level_names),
        format_func=level_names.get,
        key="peringatan_min_level",
    )
    return {
        "state": states or None,
        "region": regions or None,
        "commodity": commodities or None,
        "min_level": min_level,
    }


def reference_price_form(
    commodity_names: dict[str, str], region_names: dict[str, str]
) -> dict[str, Any] | None:
    """An officer's correction of a reference price; returns the fields when submitted."""
    province = {"": t("province_wide"), **region_names}
    with st.form("kesehatan_reference_form", clear_on_submit=True):
        commodity_col, region_col, kind_col = st.columns(3)
        commodity = commodity_col.selectbox(
            t("select_commodity"),
            list(commodity_names),
            format_func=commodity_names.get,
            key="kesehatan_ref_commodity",
        )
        region = region_col.selectbox(
            t("select_region"), list(province), format_func=province.get, key="kesehatan_ref_region"
        )
        kind = kind_col.selectbox(t("reference_kind"), list(KINDS), key="kesehatan_ref_kind")
        value_col, from_col, source_col = st.columns(3)
        value = value_col.number_input(
            t("reference_value"), min_value=0.0, step=100.0, key="kesehatan_ref_value"
        )
        valid_from = from_col.date_input(t("valid_from"), key="kesehatan_ref_from")
        source = source_col.text_input(t("reference_source"), key="kesehatan_ref_source")
        note = st.text_input(t("note"), key="kesehatan_ref_note")
        submitted = st.form_submit_button(t("save_reference"))
    if not submitted:
        return None
    return {
        "commodity": commodity,
        "region_code": region or None,
        "kind": kind,
        "value": value,
        "valid_from": valid_from,
        "source": source,
        "note": note.strip() or None,
    }
