"""Pure ui/ pieces: translations, formatting, figure and table builders, geo mapping, CLI jobs."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from ui import charts, geo, jobs, tables
from ui.format import date_label, rupiah
from ui.i18n import TEXTS, text
from warehouse.levels import LEVELS

ROOT = Path(__file__).resolve().parents[1]


def test_every_label_has_indonesian_and_english():
    incomplete = [k for k, v in TEXTS.items() if set(v) != {"id", "en"} or not all(v.values())]
    assert not incomplete


def test_labels_use_the_same_placeholders_in_both_languages():
    fields = re.compile(r"{(\w+)}")
    differ = [
        k for k, v in TEXTS.items() if set(fields.findall(v["id"])) != set(fields.findall(v["en"]))
    ]
    assert not differ


def _label_keys_used(path: Path) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"t", "text"}:
            if node.args and isinstance(node.args[0], ast.Constant):
                keys.add(node.args[0].value)
    return keys


def test_pages_and_ui_use_only_known_label_keys():
    files = [
        ROOT / "app.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "ui").glob("*.py")),
    ]
    used = set().union(*(_label_keys_used(p) for p in files))
    assert used, "no t() calls found"
    assert not used - set(TEXTS)


def test_pages_print_no_untranslated_literals():
    literal_calls = re.compile(
        r"st\.(title|header|subheader|caption|info|warning|error|success)\(\""
    )
    offenders = [
        p.name for p in (ROOT / "pages").glob("*.py") if literal_calls.search(p.read_text())
    ]
    assert not offenders


def test_date_label_handles_missing_values():
    assert date_label(dt.date(2024, 8, 7)) == "7 Agu 2024"
    assert date_label(dt.date(2024, 8, 7), "en") == "7 Aug 2024"
    assert date_label(pd.NaT) == "–"
    assert date_label(None, "id", "tidak ada") == "tidak ada"


def sample_statuses() -> pd.DataFrame:
    rows = []
    for index, (code, name, lat, lon) in enumerate(
        [("1501", "Kerinci", -2.03, 101.46), ("1571", "Kota Jambi", -1.62, 103.6)]
    ):
        for commodity, level_value in (("lpg_3kg", 3 - 2 * index), ("beras_medium", index)):
            rows.append(
                {
                    "region_code": code,
                    "region_name": name,
                    "lat": lat,
                    "lon": lon,
                    "commodity": commodity,
                    "commodity_id_name": "LPG 3 kg" if commodity == "lpg_3kg" else "Beras Medium",
                    "commodity_en_name": "LPG 3 kg cylinder"
                    if commodity == "lpg_3kg"
                    else "Medium rice",
                    "level": level_value,
                    "reason_id": f"alasan {code} {commodity}",
                    "reason_en": f"reason {code} {commodity}",
                    "price": 21000.0 if commodity == "lpg_3kg" else 13900.0,
                    "price_unit": "Rp/tabung" if commodity == "lpg_3kg" else "Rp/kg",
                    "reference_price": 18000.0 if commodity == "lpg_3kg" else 14000.0,
                    "disparity_pct": 16.7 if commodity == "lpg_3kg" else -0.7,
                    "days_cover": 4.25 + index,
                    "stockout_date": pd.Timestamp("2026-11-25") if level_value == 3 else pd.NaT,
                    "sort_order": 6 if commodity == "lpg_3kg" else 1,
                }
            )
    return pd.DataFrame(rows)


def test_worst_level_per_region_and_map_is_offline_svg():
    statuses = sample_statuses()
    worst = charts.worst_level_by_region(statuses, "id").set_index("region_code")
    assert worst.loc["1501", "level"] == 3 and worst.loc["1501", "commodities"] == "LPG 3 kg"
    assert worst.loc["1571", "level"] == 1
    fig = charts.status_map(statuses, "id")
    assert {trace.type for trace in fig.data} == {"scatter"}
    colours = {trace.name: trace.marker.color for trace in fig.data}
    assert colours == {"Awas": LEVELS[3].colour, "Waspada": LEVELS[1].colour}
    assert {row[0] for trace in fig.data for row in trace.customdata} == {"1501", "1571"}
    assert fig.layout.yaxis.scaleanchor == "x"


def test_status_map_fills_polygons_mapped_to_bps_codes(realdata):
    collection = json.loads((realdata / "geo" / "jambi_kabkota.geojson").read_text())
    regions = pd.read_csv(ROOT / "data" / "regions.csv", dtype=str)
    mapped = geo.with_bps_ids(collection, regions)
    by_id = {f["id"]: f["properties"]["nama"] for f in mapped["features"]}
    assert len(by_id) == 11
    assert "Timur" in by_id["1506"] and "Barat" in by_id["1507"]
    assert "Tebo" in by_id["1508"] and "Bungo" in by_id["1509"]
    fig = charts.status_map(sample_statuses(), "en", mapped)
    polygons = [trace for trace in fig.data if trace.fill == "toself"]
    assert len(polygons) >= 11
    kerinci = next(f for f in mapped["features"] if f["id"] == "1501")
    first_ring = kerinci["geometry"]["coordinates"][0]
    match = [p for p in polygons if p.x[0] == first_ring[0][0] and p.y[0] == first_ring[0][1]]
    assert match and match[0].fillcolor == LEVELS[3].colour


def test_price_chart_draws_reference_steps_and_bands():
    history = pd.DataFrame(
        {"date": pd.date_range("2025-08-01", periods=40), "price": [13500.0 + i for i in range(40)]}
    )
    forecast = pd.DataFrame(
        {
            "date": pd.date_range("2025-09-16", periods=4, freq="7D"),
            "mean": [13600.0] * 4,
            "lo80": [13500.0] * 4,
            "hi80": [13700.0] * 4,
            "lo95": [13400.0] * 4,
            "hi95": [13800.0] * 4,
        }
    )
    reference = pd.DataFrame(
        {
            "value": [13100.0, 14000.0],
            "valid_from": [dt.date(2024, 6, 1), dt.date(2025, 8, 22)],
            "valid_to": [dt.date(2025, 8, 21), None],
        }
    )
    fig = charts.price_chart(history, forecast, reference, "Rp/kg", "id")
    names = [trace.name for trace in fig.data]
    assert names == ["Rentang 95%", "Rentang 80%", "Harga harian", "Prakiraan", "Harga acuan (HET)"]
    steps = fig.data[-1]
    assert list(steps.y) == [13100.0, 13100.0, 14000.0, 14000.0]
    assert pd.Timestamp(steps.x[2]) == pd.Timestamp("2025-08-22")
    # months upright, the year under the first one and wherever it changes
    assert list(fig.layout.xaxis.ticktext) == ["Agu<br>2025", "Sep", "Okt"]


def test_stock_chart_has_projection_and_distribution():
    history = pd.DataFrame(
        {
            "date": pd.date_range("2026-10-01", periods=10),
            "stock": [100.0 - i for i in range(10)],
            "distribution": [5.0] * 10,
            "delivery": [float("nan")] * 10,
        }
    )
    forecast = pd.DataFrame(
        {
            "date": pd.date_range("2026-10-11", periods=3),
            "mean": [88.0, 84.0, 80.0],
            "lo80": [85.0, 80.0, 75.0],
            "hi80": [91.0, 88.0, 85.0],
            "lo95": [83.0, 77.0, 70.0],
            "hi95": [93.0, 91.0, 90.0],
        }
    )
    fig = charts.stock_chart(history, forecast, "tabung", "en")
    names = [trace.name for trace in fig.data]
    assert names[-1] == "Daily distribution" and "Projected stock" in names
    # distribution in its own panel under the stock, not on an axis laid over it
    distribution = fig.data[-1]
    assert (distribution.xaxis, distribution.yaxis) == ("x2", "y2")
    assert fig.layout.yaxis2.overlaying is None and fig.layout.yaxis2.title.text == "tabung / day"
    assert fig.layout.yaxis2.domain[1] < fig.layout.yaxis.domain[0]
    assert fig.layout.yaxis.title.text == "tabung"
    assert all(trace.yaxis in (None, "y") for trace in fig.data[:-1])


def test_price_and_stock_chart_keeps_both_charts_in_two_panels():
    days = pd.date_range("2026-10-01", periods=10)
    prices = pd.DataFrame({"date": days, "price": [19000.0 + i for i in range(10)]})
    stocks = pd.DataFrame(
        {"date": days, "stock": [100.0 - i for i in range(10)], "distribution": [5.0] * 10}
    )
    reference = pd.DataFrame(
        {"value": [18000.0], "valid_from": [dt.date(2026, 1, 1)], "valid_to": [None]}
    )
    no_forecast = pd.DataFrame(columns=["date", "mean", "lo80", "hi80", "lo95", "hi95"])
    price = charts.price_chart(prices, no_forecast, reference, "Rp/tabung", "en")
    stock = charts.stock_chart(stocks, no_forecast, "tabung", "en")
    before = (price.to_json(), stock.to_json())
    titles = ("Price", "Stock", "Distribution")
    fig = charts.price_and_stock_chart(price, stock, titles, "en")
    assert (price.to_json(), stock.to_json()) == before  # the given figures are not changed
    assert [t.name for t in fig.data] == [t.name for t in (*price.data, *stock.data)]
    panel = {t.name: (t.xaxis, t.yaxis, t.legend, t.showlegend) for t in fig.data}
    assert panel["Daily price"] == ("x", "y", "legend", None)
    assert panel["End-of-day stock"] == ("x2", "y2", "legend2", None)
    # the third panel is named by its title, not by a legend entry
    assert panel["Daily distribution"] == ("x3", "y3", None, False)
    assert list(fig.data[0].y) == list(price.data[0].y)
    assert fig.layout.yaxis.title.text == "Rp/tabung" and fig.layout.yaxis2.title.text == "tabung"
    assert fig.layout.yaxis3.title.text == "tabung / day" and fig.layout.yaxis3.overlaying is None
    domains = [fig.layout[f"yaxis{n}"].domain for n in ("", "2", "3")]
    assert domains[0][0] > domains[1][1] > domains[1][0] > domains[2][1]  # top to bottom
    # each legend sits between its panel and the next one
    assert domains[1][1] < fig.layout.legend.y < domains[0][0]
    assert domains[2][1] < fig.layout.legend2.y < domains[1][0]
    assert list(fig.layout.xaxis.ticktext) == list(fig.layout.xaxis3.ticktext) == ["Oct<br>2026"]
    assert fig.layout.separators == ".,"
    assert [a.text for a in fig.layout.annotations] == list(titles)


def test_price_and_stock_chart_without_distribution_has_two_panels():
    days = pd.date_range("2026-10-01", periods=10)
    prices = pd.DataFrame({"date": days, "price": [19000.0 + i for i in range(10)]})
    stocks = pd.DataFrame({"date": days, "stock": [100.0 - i for i in range(10)]})
    no_reference = pd.DataFrame(columns=["value", "valid_from", "valid_to"])
    no_forecast = pd.DataFrame(columns=["date", "mean", "lo80", "hi80", "lo95", "hi95"])
    price = charts.price_chart(prices, no_forecast, no_reference, "Rp/kg", "id")
    stock = charts.stock_chart(stocks, no_forecast, "ton", "id")
    fig = charts.price_and_stock_chart(price, stock, ("Harga", "Stok", "Distribusi"), "id")
    assert {(t.xaxis, t.yaxis) for t in fig.data} == {("x", "y"), ("x2", "y2")}
    assert [a.text for a in fig.layout.annotations] == ["Harga", "Stok"]
    assert "yaxis3" not in fig.to_plotly_json()["layout"]


def test_status_message_does_not_repeat_the_level():
    from ui.widgets import status_message

    assert status_message(2, "Siaga: stok 9 hari", "id") == "Status: Siaga: stok 9 hari"
    assert status_message(2, "stok 9 hari", "id") == "Status: Siaga — stok 9 hari"
    assert status_message(3, "cover 2 days", "en") == "Status: Critical — cover 2 days"


def test_status_rows_are_formatted_and_sorted_worst_first():
    rows = tables.status_rows(sample_statuses(), "id")
    assert list(rows.columns[:4]) == ["Kab/Kota", "Komoditas", "Status", "Alasan"]
    assert rows.iloc[0]["Status"] == "Awas"
    assert rows.iloc[0]["Harga"] == "Rp 21.000 /tabung"
    assert (
        rows.iloc[0]["Ketahanan stok"] == "4,2 hari" or rows.iloc[0]["Ketahanan stok"] == "4,3 hari"
    )
    assert rows.iloc[0]["Perkiraan stok habis"] == "25 Nov 2026"
    assert rows.iloc[-1]["Status"] == "Aman"
    english = tables.status_rows(sample_statuses(), "en")
    assert english.iloc[0]["Status"] == "Critical" and english.iloc[0]["Reason"].startswith(
        "reason"
    )


def test_status_cells_take_the_level_colour():
    assert LEVELS[3].colour in tables.level_css("Awas", "id")
    assert LEVELS[0].colour in tables.level_css("Safe", "en")
    assert tables.level_css("unknown", "id") == ""
    assert text("days_value", "en", value="3") == "3 days"
    assert rupiah(13500) == "Rp 13.500"


def test_only_the_two_long_jobs_start_child_processes():
    with pytest.raises(ValueError):
        jobs.stream_cli("ingest", ["file", "x.csv"], print)
    with pytest.raises(ValueError):
        jobs.stream_cli("reports", ["weekly"], print)
    with pytest.raises(ValueError):
        jobs.stream_cli("os", ["--version"], print)


def test_a_failed_long_job_reports_its_error_line(tmp_path):
    seen: list[dict] = []
    missing = tmp_path / "none.duckdb"
    result = jobs.stream_cli("forecasting", ["run", "--json", "--db", str(missing)], seen.append)
    assert not result.ok and result.returncode == 1
    assert "not found" in result.message.lower() and seen[-1]["status"] == "failed"


def test_json_output_and_progress_lines_are_parsed():
    assert jobs.parse_json_lines('log line\n{"step": "series"}\n[1]\n{"ok": true}\n') == [
        {"step": "series"},
        {"ok": True},
    ]
    assert jobs.progress_fraction({"done": 3, "total": 4}) == 0.75
    assert jobs.progress_fraction({"progress": 50}) == 0.5
    assert jobs.progress_fraction({"message": "x"}) is None


def test_texts_table_defines_every_key_once_in_both_languages():
    """All labels live in one literal table: a key written twice would silently override the
    first text, so every key appears once, and each has an Indonesian and an English text."""
    import ast
    from pathlib import Path

    from ui import i18n
    from ui.i18n import TEXTS

    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign | ast.Assign)
        and "TEXTS"
        in ast.unparse(node.target if isinstance(node, ast.AnnAssign) else node.targets[0])
        and isinstance(node.value, ast.Dict)
    )
    keys = [ast.literal_eval(key) for key in table.keys]
    assert len(keys) == len(set(keys)) == len(TEXTS)
    assert all(set(labels) == {"id", "en"} for labels in TEXTS.values())


def test_reserved_margins_fit_the_widest_tick_label_and_the_axis_title():
    days = pd.date_range("2026-10-01", periods=5)
    no_forecast = pd.DataFrame(columns=["date", "mean", "lo80", "hi80", "lo95", "hi95"])
    no_reference = pd.DataFrame(columns=["value", "valid_from", "valid_to"])
    margins = {}
    for price in (6800.0, 17669.0, 445053.0):  # 5-, 6- and 7-character tick labels
        prices = pd.DataFrame({"date": days, "price": [price] * 5})
        fig = charts.price_chart(prices, no_forecast, no_reference, "Rp/kg", "id")
        margins[price] = fig.layout.margin.l
        assert fig.layout.xaxis.ticklabeloverflow == "allow"
    # plotly pushed 80, 86 and 92 px for these labels and the title "Rp/kg"
    assert 80 <= margins[6800.0] < margins[17669.0] < margins[445053.0] <= 110
    assert margins[445053.0] - margins[6800.0] >= 12


def test_reserved_margins_fit_region_names_and_a_right_axis():
    import plotly.graph_objects as go

    from ui.chart_margins import reserve_margins

    names = ["Kota Jambi", "Kabupaten Tanjung Jabung Timur"]
    bars = reserve_margins(go.Figure(go.Bar(x=[1.0, 2.0], y=names, orientation="h")), bottom=40)
    assert bars.layout.margin.l >= 6 * len(names[1]) and bars.layout.margin.b == 40
    fig = go.Figure([go.Scatter(y=[1.0, 2.0]), go.Scatter(y=[18000.0, None], yaxis="y2")])
    fig.update_layout(yaxis2={"side": "right", "overlaying": "y"})
    reserve_margins(fig)
    assert fig.layout.margin.r >= 6 * len("19.080") > fig.layout.margin.l - 22
