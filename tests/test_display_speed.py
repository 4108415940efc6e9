"""The cheaper ways tables and figures reach the browser show exactly what the full ways did."""

from __future__ import annotations

import json
import re

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pyarrow as pa
from streamlit.elements.lib.pandas_styler_utils import marshall_styler
from streamlit.proto.ArrowData_pb2 import ArrowData

from ui import tables
from ui.data import FrozenFigure, frozen
from ui.i18n import text
from warehouse.levels import label


def _marshalled(styler) -> ArrowData:
    proto = ArrowData()
    marshall_styler(proto, styler, "uuid")
    return proto


def _display_values(proto: ArrowData) -> pd.DataFrame:
    return pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()


def _without_uuid(styles: str) -> str:
    return re.sub(r"#T_[0-9a-z]+_", "#T_", styles)


def test_coloured_table_shows_the_same_cells_and_colours_with_ids_on_coloured_cells_only():
    status = text("col_status", "id")
    frame = pd.DataFrame(
        {
            text("col_region", "id"): ["Kota Jambi", "Kerinci", "Muaro Jambi"],
            status: [label(3, "id"), label(0, "id"), label(-1, "id")],
            text("col_price", "id"): ["Rp 13.500", "Rp 12.750", "–"],
        }
    )
    full = frame.style.map(lambda v: tables.level_css(v, "id"), subset=[status])
    fast = tables.coloured_by_level(frame, "id")
    before, after = _marshalled(full), _marshalled(fast)

    pd.testing.assert_frame_equal(_display_values(after), _display_values(before))
    assert _without_uuid(after.styler.styles) == _without_uuid(before.styler.styles)
    assert "background-color" in after.styler.styles
    cells = [cell for row in fast._translate(False, False)["body"] for cell in row[1:]]
    with_id = {cell["id"].split("_")[1] for cell in cells if cell.get("id")}
    assert with_id == {"col1"}  # only the status column carries ids


def test_a_table_with_numbers_keeps_every_cell_id():
    frame = pd.DataFrame({text("col_status", "en"): [label(2, "en")], "n": [1.5]})
    styler = tables.coloured_by_level(frame, "en")
    assert styler.cell_ids  # numbers are shown through the Styler's own formatting


def test_frozen_figure_serializes_the_same_traces_and_only_once():
    figure = go.Figure(go.Scatter(x=pd.date_range("2026-01-01", periods=30), y=list(range(30))))
    expected = json.loads(pio.to_json(figure.to_dict(), validate=False))["data"]
    same = frozen(figure)
    assert isinstance(same, FrozenFigure) and same is figure
    # the same traces (the layout gets the house look: tests/test_chart_style.py)
    assert json.loads(pio.to_json(same.to_dict(), validate=False))["data"] == expected
    assert same.to_dict() is same.to_dict()
    table = pd.DataFrame({"a": [1]})
    assert frozen(table) is table and type(table) is pd.DataFrame
