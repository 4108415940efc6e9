"""Kabupaten/Kota: one region (a regency, or the province's own series) × commodity — price
with forecast and reference, stock with projection, status and signals.

The selection and everything it drives run as one fragment: changing the region or the
commodity reruns only this part (not the app's sidebar), and figures and tables come from
the cache when this data version and selection were drawn before."""

import streamlit as st

from ui import charts, tables
from ui.data import derived, follow_data_changes, load
from ui.engine_widgets import stockout_note
from ui.i18n import current_lang, t
from ui.selection import keep_valid, preselect_region
from ui.widgets import latest_report_note, status_panel
from warehouse import queries
from warehouse.reference import province_code

lang = current_lang()
options = load(queries.choices)
places, commodities = options["places"], options["commodities"]
if commodities.empty:
    st.info(t("coverage_empty"))
    st.stop()
region_names = dict(zip(places["bps_code"], places["name"], strict=True))
commodity_names = dict(
    zip(commodities["code"], commodities["name_id" if lang == "id" else "name_en"], strict=True)
)


@st.fragment
def region_commodity_view():
    follow_data_changes()
    with_data = places.loc[places["has_data"], "bps_code"]
    preselect_region(list(region_names), with_data.iloc[0] if len(with_data) else None)
    col_region, col_commodity = st.columns(2)
    region = col_region.selectbox(
        t("select_region"),
        options=list(region_names),
        format_func=region_names.get,
        key="kabupaten_region",
    )
    available = load(queries.region_commodities, region) or list(commodity_names)
    keep_valid("kabupaten_commodity", available)
    commodity = col_commodity.selectbox(
        t("select_commodity"),
        options=available,
        format_func=commodity_names.get,
        key="kabupaten_commodity",
    )
    st.query_params["region"] = region
    st.title(t("kabupaten_title", region=region_names[region]))
    at_province = region == province_code()
    if at_province:
        st.caption(t("province_view_caption"))

    view = load(queries.regency_view, region, commodity)
    status = view["status"]
    unit = commodities.set_index("code").loc[commodity]
    if status is not None:
        status_panel(status, unit.price_unit, unit.stock_unit, lang)
        stockout_note(status, lang)
    latest_report_note(view["latest_stock"], lang)

    if view["prices"].empty and view["stocks"].empty:
        st.info(t("empty_series"))
        st.stop()
    st.subheader(t("price_chart_title"))
    if view["prices"].empty:
        st.caption(t("no_price_series"))
    else:
        figure = derived(
            "kabupaten_price_chart",
            (region, commodity, lang),
            lambda: charts.price_chart(
                view["prices"], view["price_forecast"], view["reference"], unit.price_unit, lang
            ),
        )
        st.plotly_chart(figure, key="kabupaten_price_chart")
    if not at_province:
        st.subheader(t("stock_chart_title"))
        if view["stocks"].empty:
            st.caption(t("no_stock_series"))
        else:
            figure = derived(
                "kabupaten_stock_chart",
                (region, commodity, lang),
                lambda: charts.stock_chart(
                    view["stocks"], view["stock_forecast"], unit.stock_unit, lang
                ),
            )
            st.plotly_chart(figure, key="kabupaten_stock_chart")

    st.subheader(t("signals_title"))
    if view["signals"].empty:
        st.caption(t("signals_empty"))
    else:
        st.caption(t("signals_caption"))
        rows = derived(
            "kabupaten_signals",
            (region, commodity, lang),
            lambda: tables.signal_rows(view["signals"], lang),
        )
        st.table(tables.coloured_by_level(rows, lang).hide(axis="index"))

    st.page_link(
        "pages/peringatan.py",
        label=t("open_alerts_of_region", region=region_names[region]),
        query_params={"region": region},
    )
    st.subheader(t("other_commodities", region=region_names[region]))
    rows = derived(
        "kabupaten_statuses", (region, lang), lambda: tables.status_rows(view["statuses"], lang)
    )
    st.dataframe(tables.coloured_by_level(rows, lang), hide_index=True, width="stretch")


region_commodity_view()
