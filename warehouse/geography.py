"""Indonesia's 38 provinces and 514 kab/kota; the deployment's province (``JSW_PROVINCE``).

Two code systems exist and disagree for 199 kab/kota and for the six Papua provinces, so a
code is always given with its scheme: ``"bps"`` (``1507``, province ``15``; used by the
warehouse, SP2KP and the BPS WebAPI) or ``"kemendagri"`` (``15.06``, province ``15``; used by
boundary files and Dukcapil). ``JSW_PROVINCE`` holds the **BPS** province code (default ``15``,
Jambi). Data: ``data/provinces.csv``, ``data/regions.csv``, ``data/region_aliases.csv`` and
``data/boundaries/<bps>.geojson`` (see ``data/README.md``).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import pandas as pd

from warehouse.reference import DATA_DIR, normalise_alias

Scheme = Literal["bps", "kemendagri"]
DEFAULT_PROVINCE = "15"
PROVINCE_ENV = "JSW_PROVINCE"
BOUNDARY_DIR = DATA_DIR / "boundaries"
# columns of the warehouse ``regions`` table (the rest of regions.csv is national detail)
WAREHOUSE_REGION_COLUMNS = ["bps_code", "kemendagri_code", "name", "type", "seat", "lat", "lon"]
_TEXT = {
    "bps_code": "string",
    "kemendagri_code": "string",
    "bps_code_2020": "string",
    "province_bps": "string",
    "province_kemendagri": "string",
    "pihps_prov_id": "string",
    "bapanas_province_id": "string",
    "sp2kp_code": "string",
    "het_beras_zone": "string",
    "alias": "string",
    "seat": "string",
}


class UnknownProvince(ValueError):
    """``JSW_PROVINCE`` (or an argument) is not one of the 38 BPS province codes."""


@dataclass(frozen=True)
class Province:
    """One province with the ids each public source uses for it."""

    bps_code: str
    kemendagri_code: str
    name: str
    pihps_prov_id: int | None  # Bank Indonesia PIHPS ProvID (None: not listed by PIHPS)
    bapanas_province_id: int | None  # Bapanas Panel Harga fallback id (resolve by name first)
    sp2kp_code: str  # SP2KP kode_provinsi (BPS)
    het_beras_zone: int  # rice HET zone (1, 2 or 3)
    lat: float
    lon: float
    population: int
    area_km2: float
    n_kabkota: int

    @property
    def aliases(self) -> frozenset[str]:
        """Normalised ways a file names the province as a whole ("Provinsi Jawa Timur").

        The bare name counts too unless a kab/kota shares it ("Jambi" may mean Kota Jambi).
        """
        name = normalise_alias(self.name)
        out = {f"PROVINSI {name}", f"PROV {name}", f"{name} PROVINCE", f"PROPINSI {name}"}
        own = regions(self.bps_code)["name"].map(normalise_alias)
        if not own.str.removeprefix("KOTA ").eq(name).any():
            out.add(name)
        return frozenset(out)


def _read(name: str) -> pd.DataFrame:
    path = DATA_DIR / name
    header = pd.read_csv(path, nrows=0).columns
    return pd.read_csv(path, dtype={c: t for c, t in _TEXT.items() if c in header})


@lru_cache(maxsize=1)
def all_provinces() -> pd.DataFrame:
    """The 38 provinces (``data/provinces.csv``), BPS code first."""
    return _read("provinces.csv")


@lru_cache(maxsize=1)
def all_regions() -> pd.DataFrame:
    """The 514 kab/kota with both code systems, names, seat, centroid, population and area."""
    return _read("regions.csv")


@lru_cache(maxsize=1)
def all_aliases() -> pd.DataFrame:
    """Every alias row (national; an alias is unique only within its province)."""
    frame = _read("region_aliases.csv")
    frame["alias"] = frame["alias"].map(normalise_alias)
    frame["province_bps"] = frame["bps_code"].str[:2]
    return frame


def province_code() -> str:
    """The deployment's BPS province code from ``JSW_PROVINCE`` (default ``15``, Jambi)."""
    code = (os.environ.get(PROVINCE_ENV) or DEFAULT_PROVINCE).strip()
    if code not in set(all_provinces()["bps_code"]):
        known = ", ".join(f"{r.bps_code} {r.name}" for r in all_provinces().itertuples())
        raise UnknownProvince(
            f"{PROVINCE_ENV}={code!r} is not a BPS province code. Use one of: {known}"
        )
    return code


def _optional_int(value: object) -> int | None:
    return None if pd.isna(value) or value == "" else int(str(value))


def province(code: str | None = None) -> Province:
    """The province with BPS code ``code`` (default: the deployment's)."""
    code = code or province_code()
    rows = all_provinces()[all_provinces()["bps_code"] == code]
    if rows.empty:
        raise UnknownProvince(f"{code!r} is not a BPS province code")
    r = rows.iloc[0]
    return Province(
        bps_code=r["bps_code"],
        kemendagri_code=r["kemendagri_code"],
        name=r["name"],
        pihps_prov_id=_optional_int(r["pihps_prov_id"]),
        bapanas_province_id=_optional_int(r["bapanas_province_id"]),
        sp2kp_code=r["sp2kp_code"],
        het_beras_zone=int(r["het_beras_zone"]),
        lat=float(r["lat"]),
        lon=float(r["lon"]),
        population=int(r["population"]),
        area_km2=float(r["area_km2"]),
        n_kabkota=int(r["n_kabkota"]),
    )


def province_by_code(scheme: Scheme, code: str) -> Province:
    """The province with ``code`` in ``scheme`` (Kemendagri ``91`` is BPS ``94``, Papua)."""
    column = "bps_code" if scheme == "bps" else "kemendagri_code"
    rows = all_provinces()[all_provinces()[column] == str(code)]
    if rows.empty:
        raise UnknownProvince(f"{code!r} is not a {scheme} province code")
    return province(rows.iloc[0]["bps_code"])


def regions(code: str | None = None) -> pd.DataFrame:
    """The province's kab/kota (all columns of ``data/regions.csv``), by BPS code."""
    code = code or province_code()
    frame = all_regions()
    return frame[frame["province_bps"] == code].sort_values("bps_code", ignore_index=True)


def aliases(code: str | None = None) -> pd.DataFrame:
    """``alias, bps_code`` rows of the province's kab/kota (aliases normalised)."""
    code = code or province_code()
    frame = all_aliases()
    return frame.loc[frame["province_bps"] == code, ["alias", "bps_code"]].reset_index(drop=True)


def region_by_code(scheme: Scheme, code: str) -> pd.Series:
    """One kab/kota by its code in ``scheme`` (``("kemendagri", "15.06")`` is BPS 1507)."""
    column = "bps_code" if scheme == "bps" else "kemendagri_code"
    rows = all_regions()[all_regions()[column] == str(code)]
    if rows.empty:
        raise KeyError(f"no kab/kota with {scheme} code {code!r}")
    return rows.iloc[0]


def convert_code(code: str, from_scheme: Scheme, to_scheme: Scheme) -> str:
    """The same kab/kota's code in the other scheme."""
    column = "bps_code" if to_scheme == "bps" else "kemendagri_code"
    return str(region_by_code(from_scheme, code)[column])


@lru_cache(maxsize=64)
def _boundary_file(code: str) -> dict[str, Any]:
    return json.loads((BOUNDARY_DIR / f"{code}.geojson").read_text(encoding="utf-8"))


def boundaries(code: str | None = None) -> dict[str, Any]:
    """The province's simplified kab/kota shapes as a FeatureCollection, ``id`` = BPS code."""
    collection = _boundary_file(code or province_code())
    features = [
        {**feature, "id": feature["properties"]["kode_bps"]} for feature in collection["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class ProvinceGuess:
    """Which province a set of regency names seems to come from."""

    bps_code: str
    name: str
    matched: int  # names recognised as kab/kota of that province
    total: int  # names looked at


@lru_cache(maxsize=1)
def _alias_provinces() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for alias, prov in all_aliases()[["alias", "province_bps"]].itertuples(index=False):
        out.setdefault(alias, set()).add(prov)
    return {alias: frozenset(provs) for alias, provs in out.items()}


def guess_province(names: Iterable[object]) -> ProvinceGuess | None:
    """The province most of ``names`` belong to (None when no name is a known kab/kota).

    A name found in several provinces counts for each; the deployment's own province wins
    ties, so a file is only called foreign when another province clearly fits better.
    """
    lookup = _alias_provinces()
    votes: Counter[str] = Counter()
    total = 0
    for name in names:
        key = normalise_alias(str(name or ""))
        if not key:
            continue
        total += 1
        for prov in lookup.get(key, ()):
            votes[prov] += 1
    if not votes:
        return None
    home = os.environ.get(PROVINCE_ENV) or DEFAULT_PROVINCE
    best = max(votes, key=lambda p: (votes[p], p == home))
    return ProvinceGuess(best, province(best).name, votes[best], total)
