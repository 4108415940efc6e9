"""Komoditas: one commodity across regencies and the province — ranking, the province's own
series, every kind of the same group, dispersion, weekly heatmap.

Figures and tables come from the cache when this data version and selection were drawn
before."""

import streamlit as st

from ui import charts, tables
from ui.data import cached_chart, derived, load_shared
from ui.i18n import current_lang, t
from ui.widgets import commodity_kpis
from warehouse import queries
from warehouse.reference import group_name, province_label

lang = current_lang()
province = province_label(lang)
commodities = load_shared(queries.choices)["commodities"]
if commodities.empty:
    st.info(t("coverage_empty"))
    st.stop()

groups = list(dict.fromkeys(commodities["group_code"].dropna()))
col_group, col_commodity = st.columns(2)
group_labels = {"all": t("group_all"), **{code: group_name(code, lang) for code in groups}}
group = col_group.selectbox(
    t("select_group"),
    options=list(group_labels),
    format_func=group_labels.get,
    key="komoditas_group",
)
shown = commodities if group == "all" else commodities[commodities["group_code"] == group]
names = dict(zip(shown["code"], shown["name_id" if lang == "id" else "name_en"], strict=True))
default = list(names).index("lpg_3kg") if "lpg_3kg" in names else 0
commodity = col_commodity.selectbox(
    t("select_commodity"),
    options=list(names),
    index=default,
    format_func=names.get,
    key="komoditas_commodity",
)
info = commodities.set_index("code").loc[commodity]
unit = info["price_unit"]
st.title(t("komoditas_title", commodity=names[commodity]))

view = load_shared(queries.commodity_view, commodity)
chosen = (commodity, lang)  # what every cached figure below depends on, besides the data
ranking, dispersion, own = view["ranking"], view["dispersion"], view["province"]
if ranking.empty and own is None:
    st.info(t("empty_series"))
    st.stop()

commodity_kpis(view, province, lang)

st.subheader(t("ranking_title"))
if ranking.empty:
    st.info(t("no_regency_prices"))
else:
    cached_chart(
        "komoditas_ranking_chart", chosen, lambda: charts.ranking_chart(ranking, unit, lang, own)
    )
rows = derived("komoditas_ranking", chosen, lambda: tables.ranking_rows(view["table"], lang))
st.dataframe(tables.coloured_by_level(rows, lang), hide_index=True, width="stretch")

if own is not None:
    st.subheader(t("province_series_title", province=province))
    series = view["province_prices"], view["province_forecast"], view["province_reference"]
    cached_chart(
        "komoditas_province_chart", chosen, lambda: charts.price_chart(*series, unit, lang)
    )
if isinstance(info["group_code"], str):
    group_name_ = group_name(info["group_code"], lang).lower()
    st.subheader(t("group_prices_title", group=group_name_, region=province))
    st.caption(t("group_prices_help"))
    prices = load_shared(queries.group_prices, info["group_code"])
    if prices.empty:
        st.caption(t("empty_series"))
    else:
        group_chart = lambda: charts.group_price_chart(prices, lang)  # noqa: E731
        cached_chart("komoditas_group_chart", (info["group_code"], lang), group_chart)

st.subheader(t("dispersion_title"))
st.caption(t("dispersion_help"))
if dispersion.empty or dispersion["n_regions"].max() < 2:
    st.caption(t("dispersion_needs_two"))
else:
    cached_chart(
        "komoditas_dispersion_chart", chosen, lambda: charts.dispersion_chart(dispersion, lang)
    )

st.subheader(t("heatmap_title"))
cached_chart("komoditas_heatmap", chosen, lambda: charts.weekly_heatmap(view["weekly"], unit, lang))
