"""Display tables: formatted for people (Rupiah, dates, units) and coloured by status level."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from ui.format import date_label, number, percent, rupiah
from ui.i18n import text
from warehouse.levels import LEVELS, label

STATUS_COLUMNS = (
    "region",
    "commodity",
    "status",
    "reason",
    "price",
    "reference",
    "disparity",
    "days_cover",
    "stockout",
)


def _text_colour(background: str) -> str:
    red, green, blue = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * red + 0.587 * green + 0.114 * blue) > 150 else "#ffffff"


def level_css(level_label: str, lang: str) -> str:
    """CSS for a status cell: the level colour from ``warehouse.levels``."""
    for item in LEVELS:
        if label(item.value, lang) == level_label:
            return f"background-color: {item.colour}; color: {_text_colour(item.colour)}"
    return ""


def _cover_text(value: float | None, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return text("days_value", lang, value=number(value, 1, lang))


def status_rows(statuses: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One display row per region × commodity, worst first, headers in ``lang``."""
    columns = {key: text(f"col_{key}", lang) for key in STATUS_COLUMNS}
    name_col = "commodity_id_name" if lang == "id" else "commodity_en_name"
    reason_col = "reason_id" if lang == "id" else "reason_en"
    ordered = statuses.sort_values(
        ["level", "region_code", "sort_order"], ascending=[False, True, True]
    )
    frame = pd.DataFrame(
        {
            columns["region"]: ordered["region_name"],
            columns["commodity"]: ordered[name_col],
            columns["status"]: [label(v, lang) for v in ordered["level"]],
            columns["reason"]: ordered[reason_col],
            columns["price"]: [
                f"{rupiah(p, lang)} /{u.split('/')[-1]}" if pd.notna(p) else "–"
                for p, u in zip(ordered["price"], ordered["price_unit"], strict=True)
            ],
            columns["reference"]: [rupiah(v, lang) for v in ordered["reference_price"]],
            columns["disparity"]: [percent(v, 1, lang) for v in ordered["disparity_pct"]],
            columns["days_cover"]: [_cover_text(v, lang) for v in ordered["days_cover"]],
            columns["stockout"]: [
                date_label(v, lang) if pd.notna(v) else "–" for v in ordered["stockout_date"]
            ],
        }
    )
    return frame.reset_index(drop=True)


def status_table(statuses: pd.DataFrame, lang: str) -> Styler:
    """``status_rows`` with the status column coloured by level."""
    frame = status_rows(statuses, lang)
    return frame.style.map(lambda v: level_css(v, lang), subset=[text("col_status", lang)])
