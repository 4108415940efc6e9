"""Skenario: planner what-if (demand, deliveries, delay, quota) vs the baseline; save and compare."""

import streamlit as st

from services.common import ServiceError
from ui import charts, tables
from ui.actions import save_scenario
from ui.auth import current_user
from ui.data import load, show_chart, warehouse_path
from ui.forms import scenario_form
from ui.i18n import current_lang, t
from ui.scenario import path_frame, run_scenario, summary_frame, transfers_frame
from warehouse import queries

lang = current_lang()
st.title(t("skenario_title"))
st.caption(t("skenario_intro"))
options = load(queries.choices)
regions, commodities = options["regions"], options["commodities"]
region_names = dict(zip(regions["bps_code"], regions["name"], strict=True))
names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)

params = scenario_form(names, region_names)
if params is not None:
    try:
        result = run_scenario(params, warehouse_path())
    except ServiceError as problem:
        st.error(t("scenario_failed", message=str(problem)))
    else:
        st.session_state["skenario_result"] = (params, result.as_dict())
if "skenario_result" in st.session_state:
    params, data = st.session_state["skenario_result"]
    summary = summary_frame(data)
    st.subheader(t("scenario_result_title"))
    earlier = summary["scenario_stockout"].notna() & (
        summary["baseline_stockout"].isna()
        | (summary["scenario_stockout"] < summary["baseline_stockout"])
    )
    if earlier.any():
        st.warning(t("earlier_stockout", n=int(earlier.sum())))
    st.dataframe(tables.scenario_rows(summary, names, lang), hide_index=True, width="stretch")
    shown = dict(zip(summary["region_code"], summary["region_name"], strict=True))
    region = st.selectbox(
        t("scenario_chart_region"), list(shown), format_func=shown.get, key="skenario_chart_region"
    )
    commodity = params["commodities"][0]
    unit = summary.set_index("region_code").loc[region, "unit"]
    show_chart(
        charts.scenario_chart(path_frame(data, region, commodity), unit, lang), key="skenario_chart"
    )
    transfers = transfers_frame(data)
    st.subheader(t("transfers_title"))
    if transfers.empty:
        st.caption(t("no_transfers"))
    else:
        st.dataframe(tables.transfer_rows(transfers, names, lang), hide_index=True, width="stretch")
    user = current_user()
    if user is None:
        st.caption(t("login_to_save"))
    elif st.button(t("save_scenario"), key="skenario_save"):
        try:
            save_scenario(params, warehouse_path(), user)
        except ServiceError as problem:
            st.error(t("scenario_failed", message=str(problem)))
        else:
            st.session_state["skenario_flash"] = t("scenario_saved", name=params["name"])
            st.rerun()

st.subheader(t("saved_title"))
if "skenario_flash" in st.session_state:
    st.success(st.session_state.pop("skenario_flash"))
saved_list = load(queries.saved_scenarios)
if saved_list.empty:
    st.caption(t("no_saved"))
else:
    labels = dict(zip(saved_list["scenario_id"], saved_list["name"], strict=True))
    chosen = st.multiselect(
        t("saved_title"),
        list(labels),
        format_func=labels.get,
        key="skenario_compare",
        placeholder=t("choose"),
    )
    if chosen:
        comparison = load(queries.scenario_comparison, chosen)
        st.dataframe(tables.comparison_rows(comparison, lang), hide_index=True, width="stretch")
