"""Committed reference data (``data/*.csv``): loading into the warehouse and alias lookup.

Regions, aliases, reference prices and thresholds are those of the deployment's province
(``JSW_PROVINCE``, see ``warehouse.geography`` and ``warehouse.province_settings``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# table name -> CSV file; columns of the CSV equal the table's columns.
REFERENCE_TABLES: dict[str, str] = {
    "regions": "regions.csv",
    "region_aliases": "region_aliases.csv",
    "commodities": "commodities.csv",
    "reference_prices": "reference_prices.csv",
    "thresholds": "thresholds.csv",
}

_TEXT_COLUMNS = {"bps_code", "kemendagri_code", "region_code", "alias", "code", "compare_to"}
# Columns added to a reference table after warehouses were built: filled from the CSV by code.
_BACKFILL = {"commodities": ("code", ("group_code", "compare_to"))}
GROUP_NAMES = {
    "rice": ("Beras", "Rice"),
    "fuel": ("BBM", "Fuel"),
    "lpg": ("LPG", "LPG"),
    "sugar": ("Gula", "Sugar"),
    "cooking_oil": ("Minyak goreng", "Cooking oil"),
}


def province_code() -> str:
    """The BPS code of the province this deployment watches (``JSW_PROVINCE``, default 15)."""
    from warehouse import geography  # geography reads this module's data helpers

    return geography.province_code()


def province_label(lang: str = "id") -> str:
    """The province as a region name: "Provinsi Jambi" / "Jambi Province"."""
    from warehouse import geography

    name = geography.province().name
    return f"Provinsi {name}" if lang == "id" else f"{name} Province"


@lru_cache(maxsize=1)
def commodity_groups() -> dict[str, str]:
    """Commodity code -> group code (rice, fuel, lpg, sugar, cooking_oil) from the CSV."""
    frame = read_reference_csv("commodities").dropna(subset=["group_code"])
    return dict(zip(frame["code"], frame["group_code"], strict=True))


@lru_cache(maxsize=1)
def compared_classes() -> dict[str, str]:
    """Source grade -> the HET class it is defensibly compared with (``compare_to``)."""
    frame = read_reference_csv("commodities").dropna(subset=["compare_to"])
    frame = frame[frame["compare_to"].astype(str) != ""]
    return dict(zip(frame["code"], frame["compare_to"], strict=True))


def case_sql(column: str, mapping: dict[str, str], default: str = "NULL") -> str:
    """``CASE column WHEN 'a' THEN 'b' ... ELSE default END`` over committed codes.

    Built from the committed CSV rather than read from the warehouse table, so a warehouse
    created before a column was added still answers (codes are plain identifiers).
    """
    if not mapping:
        return default
    pairs = " ".join(f"WHEN '{key}' THEN '{value}'" for key, value in mapping.items())
    return f"CASE {column} {pairs} ELSE {default} END"


def group_name(group: str, lang: str = "id") -> str:
    """A commodity group's name ("Beras" / "Rice"); the code itself when unknown."""
    names = GROUP_NAMES.get(str(group))
    return (names[0] if lang == "id" else names[1]) if names else str(group)


def read_reference_csv(table: str) -> pd.DataFrame:
    """The rows of one reference table for the deployment's province, codes kept as text."""
    from warehouse import geography, province_settings  # they import this module

    if table == "regions":
        return geography.regions()[geography.WAREHOUSE_REGION_COLUMNS].copy()
    if table == "region_aliases":
        return geography.aliases()
    if table == "reference_prices":
        return province_settings.reference_prices()
    if table == "thresholds":
        return province_settings.thresholds()
    path = DATA_DIR / REFERENCE_TABLES[table]
    header = pd.read_csv(path, nrows=0).columns
    dtypes = {c: "string" for c in header if c in _TEXT_COLUMNS}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=True)
    for column in ("valid_from", "valid_to"):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def load_reference_data(con: duckdb.DuckDBPyConnection) -> None:
    """Fill each empty reference table from its CSV (officer edits are never overwritten)."""
    for table in REFERENCE_TABLES:
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
        con.complete()
        if count:
            _backfill(con, table)
            continue
        frame = read_reference_csv(table)
        columns = ", ".join(frame.columns)
        con.register("reference_frame", frame)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM reference_frame")  # noqa: S608
        con.unregister("reference_frame")


def _backfill(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Fill columns added since the table was loaded, where they are still NULL for every row."""
    if table not in _BACKFILL:
        return
    key, columns = _BACKFILL[table]
    frame = read_reference_csv(table)
    for column in columns:
        filled = con.execute(f"SELECT count({column}) FROM {table}").fetchone()[0]  # noqa: S608
        con.complete()
        if filled or column not in frame.columns:
            continue
        con.register("backfill_frame", frame[[key, column]])
        con.execute(
            f"UPDATE {table} SET {column} = b.{column} FROM backfill_frame b"  # noqa: S608
            f" WHERE {table}.{key} = b.{key}"
        )
        con.unregister("backfill_frame")


def normalise_alias(text: str) -> str:
    """Normalise a region name for alias lookup: upper case, punctuation to spaces, single spaces."""
    cleaned = re.sub(r"[^0-9A-Z]+", " ", str(text).upper())
    return " ".join(cleaned.split())
