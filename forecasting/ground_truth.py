"""Ground-truth incidents from a hand-written CSV file (a province's own recorded incidents).

Columns (header row; English or Indonesian names; comma, semicolon or tab separated):

| column | also accepted | content |
|---|---|---|
| ``region`` | ``kabupaten_kota``, ``wilayah``, ``region_code`` | regency/city name or BPS code |
| ``commodity`` | ``komoditas`` | commodity code or name (``lpg_3kg``, ``LPG 3 kg``) |
| ``kind`` | ``jenis`` | incident kind; ``price``/``harga`` or a name containing them is a price
  incident, anything else (``stock``, ``quota_cut``, ``road_cut``) a supply incident |
| ``cause_date`` | ``cause date``, ``cause``, ``tanggal_sebab`` | when the cause began (may be empty) |
| ``start`` | ``start_date``, ``mulai`` | when the shortage or price breach began |
| ``end`` | ``end_date``, ``selesai`` | when it ended (empty: still going on, read as the start) |
| ``note`` | ``catatan``, ``description`` | free text |

Dates are ``YYYY-MM-DD`` or day first (``dd/mm/yyyy``, ``dd-mm-yyyy``). Every bad row is
reported with its row number (row 1 = the header), column and what to do; nothing is read
from a file with a bad row. A file with the header only means "no incidents": every alert is
then a false alarm (the incident-free check).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path

import pandas as pd

from warehouse.db import read_df
from warehouse.reference import normalise_alias

PathLike = str | os.PathLike[str] | None
COLUMNS = ("region", "commodity", "kind", "cause_date", "start", "end", "note")
HEADER_NAMES = {
    "region": "region", "kabupaten_kota": "region", "kabupaten kota": "region",
    "wilayah": "region", "region_code": "region", "kabupaten": "region",
    "commodity": "commodity", "komoditas": "commodity",
    "kind": "kind", "jenis": "kind", "type": "kind",
    "cause_date": "cause_date", "cause date": "cause_date", "cause": "cause_date",
    "tanggal_sebab": "cause_date", "sebab": "cause_date",
    "start": "start", "start_date": "start", "mulai": "start", "start date": "start",
    "end": "end", "end_date": "end", "selesai": "end", "end date": "end",
    "note": "note", "catatan": "note", "description": "note", "keterangan": "note",
}  # fmt: skip
REQUIRED = ("region", "commodity", "kind", "start")
PRICE_WORDS = ("price", "harga")


class IncidentFileError(ValueError):
    """A ground-truth file that cannot be read; the message names every bad row."""


def alert_kind_of(kind: str) -> str:
    """The alert kind (``price`` or ``stock``) that warns of an incident of this kind."""
    text = str(kind).lower()
    return "price" if any(word in text for word in PRICE_WORDS) else "stock"


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or day-first ``dd/mm/yyyy`` / ``dd-mm-yyyy``."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    raise ValueError(text)


def _lookups(path: PathLike) -> tuple[dict[str, str], dict[str, str]]:
    regions = read_df("SELECT bps_code, name FROM regions", path=path)
    aliases = read_df("SELECT alias, bps_code FROM region_aliases", path=path)
    commodities = read_df("SELECT code, name_id, name_en FROM commodities", path=path)
    region_of = {str(c): str(c) for c in regions["bps_code"]}
    for code, region in zip(regions["bps_code"], regions["name"], strict=True):
        region_of[normalise_alias(region)] = str(code)
    for alias, code in zip(aliases["alias"], aliases["bps_code"], strict=True):
        region_of[str(alias)] = str(code)
    commodity_of: dict[str, str] = {}
    for row in commodities.itertuples(index=False):
        for name in (row.code, row.name_id, row.name_en):
            commodity_of[str(name).strip().lower()] = str(row.code)
    return region_of, commodity_of


def _rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]


def read_incidents_file(file: str | os.PathLike[str], path: PathLike = None) -> pd.DataFrame:
    """Incidents (``incident_id, region_code, commodity, kind, cause_date, start_date,
    end_date, description``) from a hand-written CSV; raises IncidentFileError on any bad row."""
    name = Path(file).name
    try:
        raw = Path(file).read_bytes()
    except OSError as exc:
        raise IncidentFileError(f"{name}: cannot read the file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = _rows(text)
    if not rows:
        raise IncidentFileError(f"{name}: the file is empty; it needs a header row and incidents")
    header = [HEADER_NAMES.get(h.strip().lower()) for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise IncidentFileError(
            f"{name}, row 1: missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(COLUMNS)} (found: {', '.join(rows[0])})"
        )
    region_of, commodity_of = _lookups(path)
    records, problems = [], []
    for number, cells in enumerate(rows[1:], start=2):
        values = {key: "" for key in COLUMNS}
        for key, cell in zip(header, cells, strict=False):
            if key:
                values[key] = cell.strip()
        record, errors = _record(values, region_of, commodity_of)
        problems += [f"{name}, row {number}, column {col}: {msg}" for col, msg in errors]
        if record:
            record["incident_id"] = f"file-{number:04d}"
            records.append(record)
    if problems:
        raise IncidentFileError(
            f"{len(problems)} problem(s); nothing was scored. Fix the file and run again:\n"
            + "\n".join(problems)
        )
    columns = ["incident_id", "region_code", "commodity", "kind", "cause_date", "start_date",
               "end_date", "description"]  # fmt: skip
    frame = pd.DataFrame(records, columns=columns)  # header only: no incidents, false alarms only
    for column in ("cause_date", "start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _record(
    values: dict[str, str], region_of: dict[str, str], commodity_of: dict[str, str]
) -> tuple[dict | None, list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    region = region_of.get(values["region"]) or region_of.get(normalise_alias(values["region"]))
    if not values["region"]:
        errors.append(("region", "empty; write the regency/city name or its BPS code (1571)"))
    elif region is None:
        errors.append(("region", f"'{values['region']}' is not a Jambi regency/city or BPS code"))
    commodity = commodity_of.get(values["commodity"].lower())
    if commodity is None:
        errors.append(
            ("commodity", f"'{values['commodity']}' is not known; use a code such as lpg_3kg "
             "or a name such as 'LPG 3 kg'")
        )  # fmt: skip
    if not values["kind"]:
        errors.append(("kind", "empty; write e.g. stock, price, quota_cut, price_spike"))
    dates: dict[str, dt.date | None] = {}
    for key in ("cause_date", "start", "end"):
        if not values[key]:
            dates[key] = None
            continue
        try:
            dates[key] = parse_date(values[key])
        except ValueError:
            errors.append((key, f"'{values[key]}' is not a date; write YYYY-MM-DD or dd/mm/yyyy"))
            dates[key] = None
    if not values["start"]:
        errors.append(("start", "empty; write the date the shortage or price breach began"))
    start, cause = dates["start"], dates["cause_date"]
    end = dates["end"] or start
    if start and cause and cause > start:
        errors.append(("cause_date", f"{cause} is after the start {start}; the cause comes first"))
    if start and end and end < start:
        errors.append(("end", f"{end} is before the start {start}"))
    if errors:
        return None, errors
    return {
        "region_code": region, "commodity": commodity, "kind": values["kind"],
        "cause_date": cause, "start_date": start, "end_date": end, "description": values["note"],
    }, []  # fmt: skip
