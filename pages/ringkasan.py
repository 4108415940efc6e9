"""Ringkasan: province KPIs, status map and the status table per regency × commodity."""

import streamlit as st

from ui import charts, tables
from ui.data import load
from ui.format import date_label, number
from ui.geo import status_map
from ui.i18n import current_lang, t
from warehouse import alerts, queries

lang = current_lang()
st.title(t("ringkasan_title"))

statuses = load(queries.latest_statuses)
if statuses.empty:
    st.info(t("empty_statuses"))
    st.stop()
summary = queries.province_summary(statuses)
name_col = "commodity_id_name" if lang == "id" else "commodity_en_name"
st.caption(t("data_as_of", date=date_label(summary["as_of"], lang)))

kpi_alert, kpi_price, kpi_cover = st.columns(3)
kpi_alert.metric(
    t("kpi_regions_alert"), f"{summary['regions_alert']} / {summary['regions_total']}", border=True
)
kpi_price.metric(
    t("kpi_above_reference"),
    summary["above_reference"],
    help=t("kpi_above_reference_help", pairs=summary["above_reference_pairs"]),
    border=True,
)
lowest = summary["lowest_cover"]
if lowest is not None:
    kpi_cover.metric(
        t("kpi_lowest_cover"),
        t("days_value", value=number(lowest["days_cover"], 1, lang)),
        help=t(
            "kpi_lowest_cover_help",
            commodity=lowest[name_col],
            region=lowest["region_name"],
            window=lowest["cover_window_days"],
        ),
        border=True,
    )
    kpi_cover.caption(f"{lowest[name_col]} — {lowest['region_name']}")

st.subheader(t("top_alerts_title"))
open_alerts = load(alerts.list_alerts, state=["new", "acknowledged", "action"])
if open_alerts.empty:
    st.caption(t("no_open_alerts"))
else:
    top = open_alerts.sort_values(["level", "last_as_of"], ascending=False).head(5)
    st.dataframe(tables.alert_table(top, lang), hide_index=True, width="stretch")
    st.page_link("pages/peringatan.py", label=t("all_alerts_link"))

st.subheader(t("map_title"))
st.caption(t("map_hint"))
figure = status_map(statuses, load(queries.regions), lang)
event = st.plotly_chart(
    figure, key="ringkasan_map", on_select="rerun", selection_mode="points", width="stretch"
)
points = event.selection.points if event else []
if points:
    st.session_state["kabupaten_region"] = points[0]["customdata"][0]
    st.switch_page("pages/kabupaten.py")

st.subheader(t("status_table_title"))
level_names = charts.level_order(lang)
min_level = st.segmented_control(
    t("filter_min_level"), options=level_names, default=level_names[0], key="ringkasan_min_level"
)
shown = statuses[statuses["level"] >= level_names.index(min_level or level_names[0])]
st.dataframe(tables.status_table(shown, lang), hide_index=True, width="stretch", height=520)
