"""Committed reference data (``data/*.csv``): loading into the warehouse and alias lookup.

Regions, aliases, reference prices and thresholds are those of the deployment's province
(``JSW_PROVINCE``, see ``warehouse.geography`` and ``warehouse.province_settings``).
"""

from __future__ import annotations

import re
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

_TEXT_COLUMNS = {"bps_code", "kemendagri_code", "region_code", "alias", "code"}


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
            continue
        frame = read_reference_csv(table)
        columns = ", ".join(frame.columns)
        con.register("reference_frame", frame)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM reference_frame")  # noqa: S608
        con.unregister("reference_frame")


def normalise_alias(text: str) -> str:
    """Normalise a region name for alias lookup: upper case, punctuation to spaces, single spaces."""
    cleaned = re.sub(r"[^0-9A-Z]+", " ", str(text).upper())
    return " ".join(cleaned.split())
