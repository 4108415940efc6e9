"""Optional regency boundaries for a real choropleth (``JSW_BOUNDARY_GEOJSON``).

Boundary files usually carry **Kemendagri** codes (15.01 … 15.72), which differ from the BPS
codes used everywhere else for Tanjung Jabung Barat/Timur and Tebo/Bungo. Each feature gets
``id`` = BPS code by mapping its Kemendagri code through the regions table.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

KEMENDAGRI_KEYS = ("kode_kemendagri", "kode", "kdkab", "KODE_KAB", "code")


def _kemendagri_code(properties: dict[str, Any]) -> str | None:
    for key in KEMENDAGRI_KEYS:
        value = properties.get(key)
        if value:
            text = str(value).strip()
            return text if "." in text else f"{text[:2]}.{text[2:]}"
    return None


def with_bps_ids(collection: dict[str, Any], regions: pd.DataFrame) -> dict[str, Any]:
    """A copy of ``collection`` whose features have ``id`` = BPS code (unknown ones dropped)."""
    to_bps = dict(zip(regions["kemendagri_code"], regions["bps_code"], strict=True))
    features = []
    for feature in collection.get("features", []):
        code = _kemendagri_code(feature.get("properties") or {})
        if code in to_bps:
            features.append({**feature, "id": to_bps[code]})
    return {"type": "FeatureCollection", "features": features}


@st.cache_data(show_spinner=False)
def _read_geojson(path: str, mtime_ns: int) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def boundary_geojson(regions: pd.DataFrame) -> dict[str, Any] | None:
    """Boundaries keyed by BPS code, or None when ``JSW_BOUNDARY_GEOJSON`` is unset/unreadable."""
    path = os.environ.get("JSW_BOUNDARY_GEOJSON")
    if not path or not Path(path).is_file():
        return None
    try:
        collection = _read_geojson(path, Path(path).stat().st_mtime_ns)
    except (OSError, ValueError):
        return None
    result = with_bps_ids(collection, regions)
    return result if result["features"] else None
