"""Regenerate the committed national reference data from the MIT-licensed ``wilayah`` sources.

``python -m warehouse.geography_build PATH/TO/wilayah`` rewrites ``data/provinces.csv``,
``data/regions.csv``, ``data/region_aliases.csv`` and ``data/boundaries/<bps>.geojson``.
Jambi's curated names and seat towns are kept, and every row already in
``region_aliases.csv`` stays where it is: new spellings are appended.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from pathlib import Path

import pandas as pd

from warehouse.reference import DATA_DIR, normalise_alias

SIMPLIFY_TOLERANCE = 0.004  # degrees (~450 m): enough for a regency map
MIN_RING_AREA = 2e-5  # square degrees (~0.25 km²): smaller islets are dropped
COORD_DECIMALS = 4

REGION_COLUMNS = [
    "bps_code",
    "kemendagri_code",
    "name",
    "type",
    "seat",
    "lat",
    "lon",
    "province_bps",
    "province_kemendagri",
    "bps_code_2020",
    "name_kemendagri",
    "population",
    "area_km2",
]


# ---------------------------------------------------------------- parsing the SQL dumps
def _sql_rows(text: str) -> list[tuple[str, ...]]:
    """Rows of ``('a','b',1.0,…)`` value tuples in a SQL dump (quoted and bare values)."""
    rows = []
    for match in re.finditer(r"\(('(?:[^']|'')*'(?:\s*,\s*(?:'(?:[^']|'')*'|[-\d.]+))*)\)", text):
        values = re.findall(r"'((?:[^']|'')*)'|([-\d.]+)", match.group(1))
        rows.append(tuple(quoted.replace("''", "'") or bare for quoted, bare in values))
    return rows


def _kemendagri(code: str) -> str:
    """Codes written as floats: ``11.1`` -> ``11.10``, ``31.0`` -> ``31``; others unchanged."""
    if re.fullmatch(r"\d\d\.0", code):
        return code[:2]
    return code + "0" if re.fullmatch(r"\d\d\.\d", code) else code


def read_statistic(path: Path, column: int) -> dict[str, float]:
    """Kemendagri code -> value of one column of ``wilayah_luas``/``wilayah_penduduk``."""
    out = {}
    for row in _sql_rows(path.read_text(encoding="utf-8")):
        if len(row) > column and re.fullmatch(r"\d\d(\.\d{1,2})?", row[0]):
            out[_kemendagri(row[0])] = float(row[column])
    return out


# ---------------------------------------------------------------- boundaries
def _rings(node: object) -> list[list[list[float]]]:
    """All rings (lists of ``[lat, lng]``) inside a nested path array."""
    if isinstance(node, list) and node and isinstance(node[0], list) and node[0]:
        if isinstance(node[0][0], (int, float)):
            return [node]  # type: ignore[list-item]
        return [ring for child in node for ring in _rings(child)]
    return []


def _perpendicular(point: list[float], start: list[float], end: list[float]) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == dy == 0:
        return math.hypot(point[0] - start[0], point[1] - start[1])
    return abs(dy * point[0] - dx * point[1] + end[0] * start[1] - end[1] * start[0]) / math.hypot(
        dx, dy
    )


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas-Peucker line simplification (iterative)."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = 0, 0.0
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > distance:
                index, distance = i, d
        if distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _area(ring: list[list[float]]) -> float:
    return abs(
        sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)) / 2
    )


def _inside(point: list[float], ring: list[list[float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def feature_geometry(path_json: str) -> dict[str, object] | None:
    """A simplified GeoJSON MultiPolygon (``[lng, lat]``) from a lat-first path array."""
    rings = []
    for ring in _rings(json.loads(path_json)):
        lnglat = [[round(p[1], 6), round(p[0], 6)] for p in ring]
        if _area(lnglat) < MIN_RING_AREA:
            continue
        small = simplify(lnglat, SIMPLIFY_TOLERANCE)
        small = [[round(x, COORD_DECIMALS), round(y, COORD_DECIMALS)] for x, y in small]
        if small[0] != small[-1]:
            small.append(small[0])
        if len(small) >= 4:
            rings.append(small)
    if not rings:
        return None
    rings.sort(key=_area, reverse=True)
    polygons: list[list[list[list[float]]]] = []
    for ring in rings:  # a ring inside an earlier (larger) one is its hole
        host = next((poly for poly in polygons if _inside(ring[0], poly[0])), None)
        if host is not None and len(host) == 1:
            host.append(ring)
        else:
            polygons.append([ring])
    return {"type": "MultiPolygon", "coordinates": polygons}


def build_boundaries(source: Path, regions: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Province BPS code -> FeatureCollection of its kab/kota (``id`` = Kemendagri code)."""
    by_kemendagri = regions.set_index("kemendagri_code")
    collections: dict[str, dict[str, object]] = {}
    for sql in sorted((source / "boundaries_kab" / "db" / "kab").glob("*.sql")):
        for row in _sql_rows(sql.read_text(encoding="utf-8")):
            if len(row) != 5 or row[0] not in by_kemendagri.index:
                continue
            region = by_kemendagri.loc[row[0]]
            geometry = feature_geometry(row[4])
            if geometry is None:
                continue
            feature = {
                "type": "Feature",
                "id": row[0],
                "properties": {
                    "kode_kemendagri": row[0],
                    "kode_bps": region["bps_code"],
                    "nama": region["name"],
                },
                "geometry": geometry,
            }
            collection = collections.setdefault(
                region["province_bps"], {"type": "FeatureCollection", "features": []}
            )
            collection["features"].append(feature)  # type: ignore[union-attr]
    return collections


# ---------------------------------------------------------------- names and aliases
def display_name(kemendagri_name: str) -> tuple[str, str]:
    """(display name, type) from a Kemendagri name such as ``Kabupaten Aceh Selatan``."""
    name = " ".join(kemendagri_name.split())
    for prefix, kind in (
        ("Kabupaten Administrasi ", "kabupaten"),
        ("Kabupaten ", "kabupaten"),
        ("Kota Administrasi ", "kota"),
        ("Kota ", "kota"),
    ):
        if name.startswith(prefix):
            base = name[len(prefix) :]
            return (base if kind == "kabupaten" else f"Kota {base}"), kind
    raise ValueError(f"unexpected kab/kota name {kemendagri_name!r}")


def _base(name: str) -> str:
    return name[5:] if name.startswith("Kota ") else name


def alias_candidates(name: str, kind: str, bps_name: str, kemendagri_name: str) -> set[str]:
    """Normalised spellings of one kab/kota (prefixes, joined words, abbreviations)."""
    administrative = "Administrasi" in kemendagri_name
    base = normalise_alias(_base(name))
    variants = {base, base.replace(" ", "")}
    variants |= {v.replace("KEPULAUAN ", "KEP ") for v in list(variants)}
    variants |= {v.replace("-", " ") for v in list(variants)}
    if kind == "kabupaten":
        prefixes = ["", "KAB ", "KABUPATEN "]
        prefixes += ["KAB ADM ", "KABUPATEN ADMINISTRASI "] if administrative else []
        out = {p + v for p in prefixes for v in variants}
    else:
        prefixes = ["KOTA ", "KOTAMADYA ", "KODYA ", "PEMKOT "]
        prefixes += ["KOTA ADM ", "KOTA ADMINISTRASI "] if administrative else []
        out = {p + v for p in prefixes for v in variants} | {f"{v} KOTA" for v in variants}
    out |= {normalise_alias(bps_name), normalise_alias(kemendagri_name)}
    return {a for a in out if a}


def build_aliases(
    regions: pd.DataFrame, curated: pd.DataFrame, province_names: dict[str, str]
) -> pd.DataFrame:
    """National alias table: curated rows first, then unambiguous generated spellings.

    A bare name that is also the province's name ("Jambi", "Gorontalo") is left out: it means
    the province or the city depending on another column.
    """
    rows = [(a, c) for a, c in curated[["alias", "bps_code"]].itertuples(index=False)]
    taken = {(c[:2], normalise_alias(a)) for a, c in rows}
    for province, group in regions.groupby("province_bps", sort=True):
        candidates: dict[str, set[str]] = {}
        bare_kota = {normalise_alias(_base(n)) for n in group.loc[group["type"] == "kota", "name"]}
        kab_names = {normalise_alias(n) for n in group.loc[group["type"] == "kabupaten", "name"]}
        for region in group.itertuples(index=False):
            aliases = alias_candidates(
                region.name, region.type, region.name_bps, region.name_kemendagri
            )
            if region.type == "kota":  # a bare name is the kota only when no kab shares it
                base = normalise_alias(_base(region.name))
                if base in kab_names:
                    aliases = {a for a in aliases if a not in {base, base.replace(" ", "")}}
            else:
                aliases = {a for a in aliases if a not in bare_kota or a in kab_names}
            aliases.discard(normalise_alias(province_names[province]))
            for alias in aliases | {region.bps_code}:
                candidates.setdefault(alias, set()).add(region.bps_code)
        for alias, codes in sorted(candidates.items()):
            if len(codes) == 1 and (province, alias) not in taken:
                rows.append((alias, next(iter(codes))))
                taken.add((province, alias))
    return pd.DataFrame(rows, columns=["alias", "bps_code"])


# ---------------------------------------------------------------- assembling the tables
def build_regions(source: Path, curated: pd.DataFrame) -> pd.DataFrame:
    """The 514 kab/kota with both code systems, names, centroids, population and area."""
    crosswalk = pd.read_csv(source / "kabkota_kemendagri_bps_centroid_derived.csv", dtype=str)
    population = read_statistic(source / "area_population" / "wilayah_penduduk.sql", 4)
    area = read_statistic(source / "area_population" / "wilayah_luas.sql", 2)
    curated = curated.set_index("bps_code")
    rows = []
    for r in crosswalk.itertuples(index=False):
        name, kind = display_name(r.nama_kemendagri)
        seat = _base(name) if kind == "kota" else ""
        lat, lon = round(float(r.lat), 3), round(float(r.lng), 3)
        if r.kode_bps in curated.index:  # Jambi: hand-checked names and seat towns
            kept = curated.loc[r.kode_bps]
            name, kind, seat, lat, lon = (
                kept["name"],
                kept["type"],
                kept["seat"],
                kept.lat,
                kept.lon,
            )
        rows.append(
            {
                "bps_code": r.kode_bps,
                "kemendagri_code": r.kode_kemendagri,
                "name": name,
                "type": kind,
                "seat": seat,
                "lat": lat,
                "lon": lon,
                "province_bps": r.kode_prov_bps,
                "province_kemendagri": r.kode_prov_kemendagri,
                "bps_code_2020": r.kode_bps_2020,
                "name_kemendagri": " ".join(r.nama_kemendagri.split()),
                "name_bps": r.nama_bps,
                "population": int(population[r.kode_kemendagri]),
                "area_km2": round(area[r.kode_kemendagri], 1),
            }
        )
    return pd.DataFrame(rows).sort_values(["province_bps", "bps_code"], ignore_index=True)


def build_provinces(source: Path, regions: pd.DataFrame) -> pd.DataFrame:
    """The 38 provinces with both codes, price-API ids, rice HET zone, centroid and size."""
    prov = pd.read_csv(source / "provinsi_kemendagri_bps_derived.csv", dtype=str)
    pihps = pd.read_csv(source / "pihps_bi_province_ids_derived.csv", dtype=str)
    bapanas = pd.read_csv(source / "bapanas_province_ids_derived.csv", dtype=str)
    zones = pd.read_csv(source / "het_beras_zona_provinsi_derived.csv", dtype=str)
    population = read_statistic(source / "area_population" / "wilayah_penduduk.sql", 4)
    area = read_statistic(source / "area_population" / "wilayah_luas.sql", 2)
    pihps_id = dict(zip(pihps["kode_prov_bps"], pihps["pihps_prov_id"], strict=True))
    bapanas = bapanas.dropna(subset=["kode_prov_bps"])
    bapanas_id = dict(zip(bapanas["kode_prov_bps"], bapanas["bapanas_province_id"], strict=True))
    zone = dict(zip(zones["kode_prov_bps"], zones["zona_het_beras"], strict=True))
    counts = regions.groupby("province_bps").size()
    rows = [
        {
            "bps_code": p.kode_prov_bps,
            "kemendagri_code": p.kode_prov_kemendagri,
            "bps_code_2020": p.kode_prov_bps_2020,
            "name": p.nama_prov_kemendagri,
            "pihps_prov_id": pihps_id.get(p.kode_prov_bps, ""),
            "bapanas_province_id": bapanas_id.get(p.kode_prov_bps, ""),
            "sp2kp_code": p.kode_prov_bps,
            "het_beras_zone": zone[p.kode_prov_bps],
            "lat": round(float(p.lat), 3),
            "lon": round(float(p.lng), 3),
            "population": int(population[p.kode_prov_kemendagri]),
            "area_km2": round(area[p.kode_prov_kemendagri], 1),
            "n_kabkota": int(counts[p.kode_prov_bps]),
        }
        for p in prov.itertuples(index=False)
    ]
    return pd.DataFrame(rows).sort_values("bps_code", ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse.geography_build")
    parser.add_argument("source", type=Path, help="the wilayah/ folder of the public sources")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder to write (data/)")
    args = parser.parse_args(argv)
    curated_regions = pd.read_csv(DATA_DIR / "regions.csv", dtype=str)
    curated_regions = curated_regions[curated_regions["bps_code"].str.startswith("15")]
    curated_regions = curated_regions.astype({"lat": float, "lon": float})
    curated_aliases = pd.read_csv(DATA_DIR / "region_aliases.csv", dtype=str)  # kept as is
    regions = build_regions(args.source, curated_regions)
    provinces = build_provinces(args.source, regions)
    names = dict(zip(provinces["bps_code"], provinces["name"], strict=True))
    aliases = build_aliases(regions, curated_aliases, names)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    regions[REGION_COLUMNS].to_csv(out / "regions.csv", index=False, lineterminator="\r\n")
    provinces.to_csv(out / "provinces.csv", index=False)
    aliases.to_csv(out / "region_aliases.csv", index=False, lineterminator="\r\n")
    (out / "boundaries").mkdir(exist_ok=True)
    for province, collection in build_boundaries(args.source, regions).items():
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        (out / "boundaries" / f"{province}.geojson").write_text(text + "\n", encoding="utf-8")
    print(f"{len(provinces)} provinces, {len(regions)} kab/kota, {len(aliases)} aliases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
