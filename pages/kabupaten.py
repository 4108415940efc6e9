"""Kabupaten/Kota: one regency × commodity — price with forecast, stock with projection, status."""

import streamlit as st

from ui import charts, tables
from ui.data import load
from ui.format import date_label, number, rupiah
from ui.i18n import current_lang, t
from ui.selection import preselect_region
from ui.widgets import status_banner, status_message
from warehouse import queries

lang = current_lang()
options = load(queries.choices)
regions, commodities = options["regions"], options["commodities"]
region_names = dict(zip(regions["bps_code"], regions["name"], strict=True))
commodity_names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)

preselect_region(list(region_names))
col_region, col_commodity = st.columns(2)
region = col_region.selectbox(
    t("select_region"),
    options=list(region_names),
    format_func=region_names.get,
    key="kabupaten_region",
)
commodity = col_commodity.selectbox(
    t("select_commodity"),
    options=list(commodity_names),
    format_func=commodity_names.get,
    key="kabupaten_commodity",
)
st.query_params["region"] = region
st.title(t("kabupaten_title", region=region_names[region]))

view = load(queries.regency_view, region, commodity)
status = view["status"]
unit = commodities.set_index("code").loc[commodity]
if status is not None:
    reason = status["reason_id" if lang == "id" else "reason_en"]
    status_banner(int(status["level"]), status_message(int(status["level"]), reason, lang))
    price_col, reference_col, stock_col, cover_col = st.columns(4)
    price_col.metric(f"{t('metric_price')} ({unit.price_unit})", rupiah(status["price"], lang))
    reference_col.metric(
        f"{t('metric_reference')} ({unit.price_unit})", rupiah(status["reference_price"], lang)
    )
    stock_col.metric(t("metric_stock"), f"{number(status['stock'], 0, lang)} {unit.stock_unit}")
    cover_col.metric(
        t("metric_days_cover"), t("days_value", value=number(status["days_cover"], 1, lang))
    )
    st.caption(
        t(
            "cover_basis",
            stock=f"{number(status['stock'], 0, lang)} {unit.stock_unit}",
            dist=f"{number(status['avg_distribution'], 1, lang)} {unit.stock_unit}",
            window=status["cover_window_days"],
            stockout=date_label(status["stockout_date"], lang, t("no_stockout")),
        )
    )

if view["prices"].empty and view["stocks"].empty:
    st.info(t("empty_series"))
    st.stop()
st.subheader(t("price_chart_title"))
st.plotly_chart(
    charts.price_chart(
        view["prices"], view["price_forecast"], view["reference"], unit.price_unit, lang
    ),
    key="kabupaten_price_chart",
)
st.subheader(t("stock_chart_title"))
st.plotly_chart(
    charts.stock_chart(view["stocks"], view["stock_forecast"], unit.stock_unit, lang),
    key="kabupaten_stock_chart",
)

st.page_link(
    "pages/peringatan.py",
    label=t("open_alerts_of_region", region=region_names[region]),
    query_params={"region": region},
)
st.subheader(t("other_commodities", region=region_names[region]))
st.dataframe(tables.status_table(view["statuses"], lang), hide_index=True, width="stretch")
