"""Demo data parameters: commodity behaviour, regional weights and national scale-out.

The demo covers the deployment's province (``JSW_PROVINCE``): its real kab/kota, demand
scaled by their Dukcapil population, prices that rise with distance from the provincial
capital. Jambi keeps its hand-set weights (below). Beyond the province (``--regions N``) the
panel adds the real kab/kota of the other provinces, up to all 514. The numbers are
plausible orders of magnitude (daily offtake per person, usual days of cover), chosen so the
demo looks like real monitoring data. They are demo parameters, not reference facts: the
reference prices and alert thresholds always come from ``data/``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from warehouse import geography
from warehouse.province_settings import THRESHOLD_FIELDS
from warehouse.reference import normalise_alias, read_reference_csv

DEMO_COMMODITIES: tuple[str, ...] = (
    "beras_medium",
    "beras_premium",
    "pertalite",
    "biosolar",
    "pertamax",
    "lpg_3kg",
    "gula_pasir",
    "minyak_goreng",
)
MAX_REGIONS = 514  # every kab/kota of Indonesia
MAX_COMMODITIES = 99

# Jambi: approximate population (thousands), used only as demand weights.
POPULATION_THOUSANDS: dict[str, float] = {
    "1501": 253,
    "1502": 380,
    "1503": 300,
    "1504": 313,
    "1505": 437,
    "1506": 233,
    "1507": 330,
    "1508": 350,
    "1509": 372,
    "1571": 626,
    "1572": 99,
}
# Markup of market prices over Kota Jambi: the highlands (Kerinci, Sungai Penuh) are dearer.
PRICE_OFFSET: dict[str, float] = {
    "1501": 0.040,
    "1502": 0.018,
    "1503": 0.015,
    "1504": 0.010,
    "1505": 0.005,
    "1506": 0.020,
    "1507": 0.015,
    "1508": 0.015,
    "1509": 0.015,
    "1571": 0.000,
    "1572": 0.035,
}
# Remote regions keep a few more days of stock (long, fragile supply roads).
REMOTE_REGIONS = frozenset({"1501", "1572", "1506"})
REMOTE_EXTRA_COVER = 0.10


@dataclass(frozen=True)
class CommodityProfile:
    """How one commodity's demand, deliveries and prices behave in the demo."""

    code: str
    per_capita: float  # monitored offtake per person per day, in stock units
    cover_days: tuple[float, float]  # order-up-to target, days of expected demand
    intervals: tuple[int, ...]  # possible days between deliveries
    interval_probs: tuple[float, ...]
    lot: float  # deliveries are whole lots (tanker compartments, trucks)
    decimals: int  # rounding of stock-unit quantities
    price_mode: str  # market | administered | monthly
    ratio: float = 1.0  # market price / reference price when a reference exists
    anchor: float = 0.0  # price level when no reference is in force
    inflation: float = 0.0  # yearly drift of the anchor level
    price_noise: float = 0.004  # daily noise (log scale)
    trend_sd: float = 0.01  # slow regional deviation (log scale)
    common_sd: float = 0.01  # slow province-wide deviation (log scale)
    regional_weight: float = 1.0  # share of the regional price offset that applies
    round_price: float = 50.0
    scarcity: float = 0.0  # price uplift when cover falls to zero
    price_season: dict[str, float] = field(default_factory=dict)
    demand_season: dict[str, float] = field(default_factory=dict)
    weekly_demand: tuple[float, ...] = (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)  # Mon..Sun

    def weekly_factors(self) -> np.ndarray:
        """Weekday demand factors normalised to a mean of one."""
        values = np.asarray(self.weekly_demand, dtype=float)
        return values / values.mean()


_RICE = CommodityProfile(
    code="beras_medium",
    per_capita=0.00012,
    cover_days=(62.0, 80.0),
    intervals=(6, 7, 8),
    interval_probs=(0.2, 0.6, 0.2),
    lot=1.0,
    decimals=3,
    price_mode="market",
    ratio=0.935,
    anchor=12_500.0,
    trend_sd=0.010,
    common_sd=0.010,
    regional_weight=0.8,
    scarcity=0.12,
    price_season={"ramadan": 0.008, "pre_lebaran": 0.012, "lebaran": 0.004, "nataru": 0.008},
    demand_season={"ramadan": 0.05, "pre_lebaran": 0.12, "lebaran": -0.10, "nataru": 0.05},
    weekly_demand=(1.05, 1.02, 1.0, 1.0, 1.05, 1.0, 0.6),
)
_FUEL = CommodityProfile(
    code="pertalite",
    per_capita=0.00029,
    cover_days=(27.5, 31.0),
    intervals=(1, 2, 3),
    interval_probs=(0.5, 0.35, 0.15),
    lot=8.0,
    decimals=3,
    price_mode="administered",
    demand_season={"pre_lebaran": 0.15, "lebaran": 0.12, "post_lebaran": 0.03, "nataru": 0.08},
    weekly_demand=(1.0, 1.0, 1.0, 1.0, 1.03, 1.06, 0.95),
)
_OTHER = CommodityProfile(
    code="gula_pasir",
    per_capita=0.000015,
    cover_days=(58.0, 75.0),
    intervals=(7, 8, 9, 10),
    interval_probs=(0.3, 0.3, 0.2, 0.2),
    lot=1.0,
    decimals=3,
    price_mode="market",
    ratio=0.98,
    anchor=16_900.0,
    inflation=0.015,
    price_noise=0.005,
    trend_sd=0.012,
    common_sd=0.015,
    scarcity=0.12,
    price_season={"ramadan": 0.015, "pre_lebaran": 0.03, "lebaran": 0.01, "nataru": 0.01},
    demand_season={"ramadan": 0.15, "pre_lebaran": 0.20, "lebaran": -0.10, "nataru": 0.05},
    weekly_demand=(1.05, 1.02, 1.0, 1.0, 1.05, 1.0, 0.6),
)

PROFILES: dict[str, CommodityProfile] = {
    "beras_medium": _RICE,
    "beras_premium": replace(_RICE, code="beras_premium", per_capita=0.00005, ratio=0.945),
    "pertalite": _FUEL,
    "biosolar": replace(
        _FUEL,
        code="biosolar",
        per_capita=0.00017,
        demand_season={"pre_lebaran": 0.05, "lebaran": -0.15, "nataru": 0.03},
        weekly_demand=(1.03, 1.03, 1.03, 1.03, 1.03, 0.95, 0.8),
    ),
    "pertamax": replace(
        _FUEL,
        code="pertamax",
        per_capita=0.00005,
        price_mode="monthly",
        anchor=12_950.0,
        demand_season={"pre_lebaran": 0.10, "lebaran": 0.10, "nataru": 0.12},
    ),
    "lpg_3kg": CommodityProfile(
        code="lpg_3kg",
        per_capita=0.026,
        cover_days=(18.5, 21.0),
        intervals=(1, 2, 3),
        interval_probs=(0.55, 0.35, 0.10),
        lot=560.0,
        decimals=0,
        price_mode="market",
        ratio=1.018,
        anchor=18_000.0,
        price_noise=0.004,
        trend_sd=0.006,
        common_sd=0.005,
        regional_weight=0.3,
        round_price=100.0,
        scarcity=0.5,
        price_season={"pre_lebaran": 0.015, "lebaran": 0.01},
        demand_season={
            "ramadan": 0.08,
            "pre_lebaran": 0.15,
            "lebaran": 0.08,
            "idul_adha_week": 0.05,
            "nataru": 0.04,
        },
        weekly_demand=(1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.0),
    ),
    "gula_pasir": _OTHER,
    "minyak_goreng": replace(_OTHER, code="minyak_goreng", anchor=15_900.0, inflation=0.02),
}


def stable_key(*parts: object) -> int:
    """A 64-bit integer from text parts, identical on every run and machine (unlike hash())."""
    text = "|".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


def stream(seed: int, *parts: object) -> np.random.Generator:
    """An independent random stream for one named part of the panel (e.g. a series)."""
    return np.random.default_rng(np.random.SeedSequence([int(seed), stable_key(*parts)]))


@dataclass
class Panel:
    """Regions and commodities of one demo build and the rows they add to reference tables."""

    regions: (
        pd.DataFrame
    )  # bps_code, kemendagri_code, name, type, seat, lat, lon, population, price_offset, remote
    profiles: list[CommodityProfile]
    extra_regions: pd.DataFrame  # rows of kab/kota beyond the province
    extra_aliases: pd.DataFrame
    extra_commodities: pd.DataFrame
    extra_thresholds: pd.DataFrame
    extra_references: pd.DataFrame
    stand_ins: dict[str, str] = field(default_factory=dict)  # incident template region -> code

    @property
    def region_codes(self) -> list[str]:
        return self.regions["bps_code"].tolist()

    @property
    def commodity_codes(self) -> list[str]:
        return [p.code for p in self.profiles]


def _jambi_regions(frame: pd.DataFrame) -> pd.DataFrame:
    frame["population"] = frame["bps_code"].map(POPULATION_THOUSANDS).astype(float) * 1000
    frame["price_offset"] = frame["bps_code"].map(PRICE_OFFSET).astype(float)
    frame["remote"] = frame["bps_code"].isin(REMOTE_REGIONS)
    return frame


def _distance_km(frame: pd.DataFrame, lat: float, lon: float) -> pd.Series:
    """Rough distance (equirectangular) from one point to each centroid."""
    dx = (frame["lon"] - lon) * 111.32 * np.cos(np.radians(lat))
    dy = (frame["lat"] - lat) * 110.57
    return np.hypot(dx, dy)


def capital_code(frame: pd.DataFrame) -> str:
    """The most populous kota (the most populous kab/kota when the province has no kota)."""
    ranked = frame.assign(is_kota=frame["type"] == "kota").sort_values(
        ["is_kota", "population", "bps_code"], ascending=[False, False, True]
    )
    return str(ranked["bps_code"].iloc[0])


def _province_weights(frame: pd.DataFrame) -> pd.DataFrame:
    """Dukcapil population; prices and stock cover rise with distance from the capital."""
    national = geography.all_regions().set_index("bps_code")
    frame["population"] = frame["bps_code"].map(national["population"]).astype(float)
    capital = frame.set_index("bps_code").loc[capital_code(frame)]
    distance = _distance_km(frame, float(capital["lat"]), float(capital["lon"]))
    far = float(distance.max()) or 1.0
    frame["price_offset"] = (0.045 * distance / far).round(3)
    frame["remote"] = distance >= 0.6 * far
    return frame


def province_regions() -> pd.DataFrame:
    """The province's kab/kota with demand weights, price offsets and remoteness."""
    frame = read_reference_csv("regions").sort_values("bps_code").reset_index(drop=True)
    frame["bps_code"] = frame["bps_code"].astype(str)
    frame["kemendagri_code"] = frame["kemendagri_code"].astype(str)
    if set(frame["bps_code"]) <= set(POPULATION_THOUSANDS):
        return _jambi_regions(frame)
    return _province_weights(frame)


# roles of the incident templates' Jambi regions, in the order their stand-ins are chosen
_TEMPLATE_ROLES = (
    ("1571", "capital"),
    ("1572", "remote"),
    ("1501", "remote"),
    ("1506", "remote"),
    ("1505", "near"),
    ("1509", "other"),
    ("1508", "other"),
    ("1502", "other"),
    ("1503", "other"),
)


def stand_ins(regions: pd.DataFrame) -> dict[str, str]:
    """Which of the province's kab/kota plays each Jambi region of the incident templates."""
    if set(code for code, _ in _TEMPLATE_ROLES) <= set(regions["bps_code"]):
        return {code: code for code, _ in _TEMPLATE_ROLES}
    capital = capital_code(regions)
    centre = regions.set_index("bps_code").loc[capital]
    rest = regions[regions["bps_code"] != capital].copy()
    rest["distance"] = _distance_km(rest, float(centre["lat"]), float(centre["lon"]))
    queues = {
        "remote": rest.sort_values(["distance", "bps_code"], ascending=[False, True]),
        "near": rest.sort_values(["distance", "bps_code"]),
        "other": rest.sort_values(["population", "bps_code"], ascending=[False, True]),
    }
    taken: list[str] = []
    out = {}
    for code, role in _TEMPLATE_ROLES:
        if role == "capital" or rest.empty:
            out[code] = capital
            continue
        free = [c for c in queues[role]["bps_code"] if c not in taken]
        choice = free[0] if free else list(queues[role]["bps_code"])[len(taken) % len(rest)]
        taken.append(choice)
        out[code] = choice
    return out


def _national_regions(count: int, exclude: set[str], seed: int) -> pd.DataFrame:
    """The first ``count`` real kab/kota of other provinces, with demo weights."""
    national = geography.all_regions()
    others = national[~national["bps_code"].isin(exclude)].sort_values("bps_code").head(count)
    rows = []
    for region in others.itertuples(index=False):
        rng = stream(seed, "national-region", region.bps_code)
        rows.append(
            {
                "bps_code": region.bps_code,
                "kemendagri_code": region.kemendagri_code,
                "name": region.name,
                "type": region.type,
                "seat": region.seat if isinstance(region.seat, str) else None,
                "lat": float(region.lat),
                "lon": float(region.lon),
                "population": float(region.population),
                "price_offset": float(rng.uniform(0.0, 0.05)),
                "remote": bool(rng.random() < 0.2),
            }
        )
    return pd.DataFrame(rows)


def _synthetic_profile(index: int, seed: int) -> CommodityProfile:
    rng = stream(seed, "synthetic-commodity", index)
    return replace(
        _OTHER,
        code=f"komoditas_{index:02d}",
        anchor=float(np.round(rng.uniform(8_000, 60_000), -2)),
        per_capita=float(rng.uniform(0.000005, 0.00003)),
    )


def _lpg_het_rows(regions: pd.DataFrame, seed: int) -> pd.DataFrame:
    rows = []
    for code in regions["bps_code"]:
        rng = stream(seed, "national-lpg-het", code)
        rows.append(
            {
                "commodity": "lpg_3kg",
                "scope": "regency",
                "region_code": code,
                "kind": "HET",
                "value": float(rng.choice([16_000, 17_000, 18_000, 19_000, 20_000, 22_000])),
                "unit": "Rp/tabung",
                "valid_from": pd.Timestamp("2022-01-01").date(),
                "valid_to": None,
                "source": "demo (other province)",
                "note": "demo value for a kab/kota outside the province",
            }
        )
    return pd.DataFrame(rows)


def build_panel(n_regions: int | None, n_commodities: int | None, seed: int) -> Panel:
    """The demo's regions and commodity profiles (the province, other provinces beyond)."""
    home = province_regions()
    n_regions = len(home) if n_regions is None else int(n_regions)
    n_commodities = len(DEMO_COMMODITIES) if n_commodities is None else int(n_commodities)
    if not 1 <= n_regions <= MAX_REGIONS:
        raise ValueError(f"regions must be between 1 and {MAX_REGIONS}, got {n_regions}")
    if not 1 <= n_commodities <= MAX_COMMODITIES:
        raise ValueError(
            f"commodities must be between 1 and {MAX_COMMODITIES}, got {n_commodities}"
        )
    beyond = _national_regions(max(0, n_regions - len(home)), set(home["bps_code"]), seed)
    regions = pd.concat([home.head(n_regions), beyond], ignore_index=True)
    profiles = [PROFILES[c] for c in DEMO_COMMODITIES[:n_commodities]]
    profiles += [
        _synthetic_profile(i, seed) for i in range(len(DEMO_COMMODITIES) + 1, n_commodities + 1)
    ]
    synthetic_commodities = profiles[len(DEMO_COMMODITIES) :]
    region_columns = ["bps_code", "kemendagri_code", "name", "type", "seat", "lat", "lon"]
    aliases = _extra_aliases(beyond, set(read_reference_csv("region_aliases")["alias"]))
    commodities = pd.DataFrame(
        [
            {
                "code": p.code,
                "name_id": f"Komoditas Sintetis {p.code[-2:]}",
                "name_en": f"Synthetic commodity {p.code[-2:]}",
                "category": "other",
                "price_unit": "Rp/kg",
                "stock_unit": "ton",
                "sort_order": 200 + int(p.code[-2:]),
            }
            for p in synthetic_commodities
        ],
        columns=[
            "code",
            "name_id",
            "name_en",
            "category",
            "price_unit",
            "stock_unit",
            "sort_order",
        ],
    )
    thresholds = pd.DataFrame(
        [
            {
                "commodity": p.code,
                "waspada_cover_days": 45.0,
                "siaga_cover_days": 30.0,
                "awas_cover_days": 15.0,
                "waspada_price_pct": 5.0,
                "siaga_price_pct": 15.0,
                "awas_price_pct": 30.0,
                "source": "demo (synthetic commodity)",
            }
            for p in synthetic_commodities
        ],
        columns=["commodity", *THRESHOLD_FIELDS, "source"],
    )
    lpg_present = any(p.code == "lpg_3kg" for p in profiles)
    references = _lpg_het_rows(beyond, seed) if lpg_present and len(beyond) else None
    return Panel(
        stand_ins=stand_ins(home.head(n_regions)),
        regions=regions,
        profiles=profiles,
        extra_regions=beyond[region_columns] if len(beyond) else beyond,
        extra_aliases=aliases,
        extra_commodities=commodities,
        extra_thresholds=thresholds,
        extra_references=references if references is not None else pd.DataFrame(),
    )


def _extra_aliases(extra: pd.DataFrame, taken: set[str]) -> pd.DataFrame:
    """Aliases (kab/kota names) of the regions beyond the province that clash with nothing."""
    if extra.empty:
        return pd.DataFrame(columns=["alias", "bps_code"])
    frame = pd.DataFrame(
        {"alias": extra["name"].map(normalise_alias), "bps_code": extra["bps_code"]}
    )
    frame = frame[~frame["alias"].isin(taken)]
    return frame.drop_duplicates("alias", keep=False).reset_index(drop=True)


def commodity_units() -> dict[str, tuple[str, str]]:
    """Commodity code -> (price unit, stock unit) from the committed reference data."""
    frame = read_reference_csv("commodities")
    return {row.code: (row.price_unit, row.stock_unit) for row in frame.itertuples(index=False)}


def thresholds_table(panel: Panel) -> pd.DataFrame:
    """Alert thresholds for every commodity of the panel, indexed by commodity."""
    frame = pd.concat([read_reference_csv("thresholds"), panel.extra_thresholds], ignore_index=True)
    return frame.set_index("commodity")


def reference_table(panel: Panel) -> pd.DataFrame:
    """Dated reference prices that apply to the panel (the province's plus demo rows beyond it)."""
    frames = [read_reference_csv("reference_prices")]
    if len(panel.extra_references):
        frames.append(panel.extra_references)
    return pd.concat(frames, ignore_index=True)
