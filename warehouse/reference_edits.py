"""Officer corrections of the dated reference prices (HET, subsidised and list prices).

A correction never rewrites history: it closes the row in force (``valid_to`` = the day before
the new price starts) and appends the new dated row, with the officer and note in the audit
log, all in one write transaction.
"""

from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from warehouse import audit
from warehouse.db import read_df, write_transaction

PathLike = str | os.PathLike[str] | None
KINDS = ("HET", "HAP", "harga_subsidi", "harga_jual")


def current_reference_prices(path: PathLike = None) -> pd.DataFrame:
    """Reference prices in force today (no ``valid_to``), with commodity and region names."""
    return read_df(
        "SELECT rp.commodity, c.name_id, c.name_en, rp.scope, rp.region_code, g.name AS region_name,"
        " rp.kind, rp.value, rp.unit, rp.valid_from, rp.source, rp.note"
        " FROM reference_prices rp JOIN commodities c ON c.code = rp.commodity"
        " LEFT JOIN regions g ON g.bps_code = rp.region_code"
        " WHERE rp.valid_to IS NULL ORDER BY c.sort_order, rp.region_code NULLS FIRST",
        path=path,
    )


def add_reference_price(
    commodity: str,
    region_code: str | None,
    kind: str,
    value: float,
    valid_from: dt.date,
    source: str,
    user: str,
    note: str | None = None,
    path: PathLike = None,
) -> None:
    """Start a new reference price on ``valid_from`` (province-wide when ``region_code`` is None)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if not value or value <= 0:
        raise ValueError("the reference price must be a positive number of rupiah")
    if not source or not source.strip():
        raise ValueError("name the decree or price list the new value comes from")
    scope = "regency" if region_code else "province"
    with write_transaction(path) as con:
        unit = con.execute(
            "SELECT price_unit FROM commodities WHERE code = ?", [commodity]
        ).fetchone()
        con.complete()
        if unit is None:
            raise ValueError(f"unknown commodity {commodity!r}")
        later = con.execute(
            "SELECT count(*) FROM reference_prices WHERE commodity = ? AND scope = ? AND kind = ?"
            " AND coalesce(region_code, '') = coalesce(?, '') AND valid_from >= ?",
            [commodity, scope, kind, region_code, valid_from],
        ).fetchone()[0]
        con.complete()
        if later:
            raise ValueError("a reference price starting on or after that date already exists")
        con.execute(
            "UPDATE reference_prices SET valid_to = ? WHERE commodity = ? AND scope = ? AND kind = ?"
            " AND coalesce(region_code, '') = coalesce(?, '') AND valid_to IS NULL",
            [valid_from - dt.timedelta(days=1), commodity, scope, kind, region_code],
        )
        con.execute(
            "INSERT INTO reference_prices (commodity, scope, region_code, kind, value, unit,"
            " valid_from, valid_to, source, note) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
            [
                commodity,
                scope,
                region_code,
                kind,
                float(value),
                unit[0],
                valid_from,
                source.strip(),
                note,
            ],
        )
        detail = f"{commodity} {region_code or 'provinsi'} {kind} {value:g} from {valid_from}"
        audit.insert(con, "reference_price_edited", user, commodity, detail)
