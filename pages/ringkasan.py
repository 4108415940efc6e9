"""Ringkasan: province KPIs, the province's own prices, status map and status table.

Figures come from the cache when this data version and choice were drawn before."""

import streamlit as st

from ui import charts, tables
from ui.data import derived, load, load_shared, show_chart
from ui.format import date_label
from ui.geo import boundary_source, status_map
from ui.i18n import current_lang, t
from ui.widgets import summary_kpis
from warehouse import alerts, queries
from warehouse.reference import group_name, province_label

lang = current_lang()
st.title(t("ringkasan_title"))

statuses = load_shared(queries.latest_statuses)
if statuses.empty:
    st.info(t("empty_statuses"))
    st.stop()
summary = derived("province_summary", (), lambda: queries.province_summary(statuses))
province = province_label(lang)
st.caption(t("data_as_of", date=date_label(summary["as_of"], lang)))

summary_kpis(summary, province, lang)

st.subheader(t("top_alerts_title"))
open_alerts = load(alerts.list_alerts, state=["new", "acknowledged", "action"])
if open_alerts.empty:
    st.caption(t("no_open_alerts"))
else:
    top = open_alerts.sort_values(["level", "last_as_of"], ascending=False).head(5)
    rows = derived("ringkasan_top_alerts", (lang,), lambda: tables.alert_rows(top, lang))
    st.dataframe(tables.coloured_by_level(rows, lang), hide_index=True, width="stretch")
    st.page_link("pages/peringatan.py", label=t("all_alerts_link"))

groups = load(queries.commodity_groups_with_prices)
groups = groups[groups["at_province"]]
if not groups.empty:
    st.subheader(t("province_prices_title"))
    group = st.segmented_control(
        t("select_group"),
        options=list(groups["group_code"]),
        default=groups["group_code"].iloc[0],
        format_func={code: group_name(code, lang) for code in groups["group_code"]}.get,
        key="ringkasan_group",
    ) or str(groups["group_code"].iloc[0])
    st.caption(t("province_prices_help", province=province, days=365))
    prices = load_shared(queries.group_prices, group)
    figure = derived(
        "group_price_chart", (group, lang), lambda: charts.group_price_chart(prices, lang)
    )
    show_chart(figure, key="ringkasan_province_prices")

st.subheader(t("map_title"))
if not summary["regions_total"]:
    st.info(t("no_regency_statuses"))
st.caption(t("map_hint"))
regions = load_shared(queries.regions)
figure = derived(
    "ringkasan_map", (lang, boundary_source()), lambda: status_map(statuses, regions, lang)
)
event = show_chart(
    figure, key="ringkasan_map", on_select="rerun", selection_mode="points", width="stretch"
)
points = event.selection.points if event else []
if points:
    st.session_state["kabupaten_region"] = points[0]["customdata"][0]
    st.switch_page("pages/kabupaten.py")

st.subheader(t("status_table_title"))
level_names = charts.level_order(lang)
min_level = st.segmented_control(
    t("filter_min_level"),
    options=level_names,
    default=level_names[0],
    key="ringkasan_min_level",
)
floor = level_names.index(min_level or level_names[0])
shown = statuses if floor == 0 else statuses[statuses["level"] >= floor]
rows = derived("ringkasan_statuses", (floor, lang), lambda: tables.status_rows(shown, lang))
st.dataframe(tables.coloured_by_level(rows, lang), hide_index=True, width="stretch", height=520)
