"""Komoditas: one commodity across regencies — ranking, dispersion, weekly heatmap, change."""

import streamlit as st

from ui import charts, tables
from ui.data import load
from ui.format import percent
from ui.i18n import current_lang, t
from warehouse import queries

lang = current_lang()
commodities = load(queries.choices)["commodities"]
names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)
default = list(names).index("lpg_3kg") if "lpg_3kg" in names else 0
commodity = st.selectbox(
    t("select_commodity"),
    options=list(names),
    index=default,
    format_func=names.get,
    key="komoditas_commodity",
)
unit = commodities.set_index("code").loc[commodity, "price_unit"]
st.title(t("komoditas_title", commodity=names[commodity]))

view = load(queries.commodity_view, commodity)
ranking, dispersion = view["ranking"], view["dispersion"]
if ranking.empty:
    st.info(t("empty_series"))
    st.stop()

cv_col, above_col, rise_col = st.columns(3)
cv_col.metric(
    t("kpi_cv_now"),
    percent(dispersion["cv_pct"].iloc[-1], 1, lang, signed=False),
    help=t("dispersion_help"),
    border=True,
)
above = int((ranking["gap_pct"] > 0).sum())
above_col.metric(t("kpi_regions_above"), f"{above} / {len(ranking)}", border=True)
rising = ranking.dropna(subset=["change_pct"]).sort_values("change_pct", ascending=False)
if not rising.empty:
    top = rising.iloc[0]
    rise_col.metric(
        t("kpi_biggest_rise"), percent(top["change_pct"], 1, lang), top["region_name"], border=True
    )

st.subheader(t("ranking_title"))
st.plotly_chart(charts.ranking_chart(ranking, unit, lang), key="komoditas_ranking_chart")
st.dataframe(tables.ranking_table(ranking, lang), hide_index=True, width="stretch")

st.subheader(t("dispersion_title"))
st.caption(t("dispersion_help"))
st.plotly_chart(charts.dispersion_chart(dispersion, lang), key="komoditas_dispersion_chart")

st.subheader(t("heatmap_title"))
st.plotly_chart(charts.weekly_heatmap(view["weekly"], unit, lang), key="komoditas_heatmap")
