"""Demo data parameters: commodity behaviour, regional weights and synthetic scale-out.

The numbers here are plausible orders of magnitude for Jambi (population weights, daily
offtake per person, usual days of cover), chosen so the demo looks like real monitoring data.
They are demo parameters, not reference facts: the reference prices and alert thresholds
always come from ``data/*.csv``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

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
MAX_REGIONS = 1000
MAX_COMMODITIES = 99

# Approximate population (thousands), used only as demand weights.
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
    extra_regions: pd.DataFrame  # synthetic rows for the regions table
    extra_aliases: pd.DataFrame
    extra_commodities: pd.DataFrame
    extra_thresholds: pd.DataFrame
    extra_references: pd.DataFrame

    @property
    def region_codes(self) -> list[str]:
        return self.regions["bps_code"].tolist()

    @property
    def commodity_codes(self) -> list[str]:
        return [p.code for p in self.profiles]


def _jambi_regions() -> pd.DataFrame:
    frame = read_reference_csv("regions").sort_values("bps_code").reset_index(drop=True)
    frame["bps_code"] = frame["bps_code"].astype(str)
    frame["kemendagri_code"] = frame["kemendagri_code"].astype(str)
    frame["population"] = frame["bps_code"].map(POPULATION_THOUSANDS).astype(float) * 1000
    frame["price_offset"] = frame["bps_code"].map(PRICE_OFFSET).astype(float)
    frame["remote"] = frame["bps_code"].isin(REMOTE_REGIONS)
    return frame


def _synthetic_regions(count: int, seed: int) -> pd.DataFrame:
    rows = []
    for i in range(1, count + 1):
        rng = stream(seed, "synthetic-region", i)
        is_city = i % 5 == 0
        label = "Kota Sintetis" if is_city else "Kabupaten Sintetis"
        rows.append(
            {
                "bps_code": f"{9000 + i}",
                "kemendagri_code": f"90.{i:03d}",
                "name": f"{label} {i:03d}",
                "type": "kota" if is_city else "kabupaten",
                "seat": f"Ibukota Sintetis {i:03d}",
                "lat": round(float(rng.uniform(-8.5, 4.5)), 3),
                "lon": round(float(rng.uniform(95.5, 140.5)), 3),
                "population": float(np.round(rng.lognormal(np.log(250_000), 0.6), -2)),
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
        rng = stream(seed, "synthetic-lpg-het", code)
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
                "source": "demo (synthetic region)",
                "note": "synthetic region of the national-scale demo",
            }
        )
    return pd.DataFrame(rows)


def build_panel(n_regions: int | None, n_commodities: int | None, seed: int) -> Panel:
    """The demo's regions and commodity profiles (Jambi by default, synthetic beyond)."""
    jambi = _jambi_regions()
    n_regions = len(jambi) if n_regions is None else int(n_regions)
    n_commodities = len(DEMO_COMMODITIES) if n_commodities is None else int(n_commodities)
    if not 1 <= n_regions <= MAX_REGIONS:
        raise ValueError(f"regions must be between 1 and {MAX_REGIONS}, got {n_regions}")
    if not 1 <= n_commodities <= MAX_COMMODITIES:
        raise ValueError(
            f"commodities must be between 1 and {MAX_COMMODITIES}, got {n_commodities}"
        )
    synthetic = _synthetic_regions(max(0, n_regions - len(jambi)), seed)
    regions = pd.concat([jambi.head(n_regions), synthetic], ignore_index=True)
    profiles = [PROFILES[c] for c in DEMO_COMMODITIES[:n_commodities]]
    profiles += [
        _synthetic_profile(i, seed) for i in range(len(DEMO_COMMODITIES) + 1, n_commodities + 1)
    ]
    synthetic_commodities = profiles[len(DEMO_COMMODITIES) :]
    region_columns = ["bps_code", "kemendagri_code", "name", "type", "seat", "lat", "lon"]
    aliases = pd.DataFrame(
        {
            "alias": [normalise_alias(n) for n in synthetic["name"]] if len(synthetic) else [],
            "bps_code": synthetic["bps_code"].tolist() if len(synthetic) else [],
        }
    )
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
        columns=[
            "commodity",
            "waspada_cover_days",
            "siaga_cover_days",
            "awas_cover_days",
            "waspada_price_pct",
            "siaga_price_pct",
            "awas_price_pct",
            "source",
        ],
    )
    lpg_present = any(p.code == "lpg_3kg" for p in profiles)
    references = _lpg_het_rows(synthetic, seed) if lpg_present and len(synthetic) else None
    return Panel(
        regions=regions,
        profiles=profiles,
        extra_regions=synthetic[region_columns] if len(synthetic) else synthetic,
        extra_aliases=aliases,
        extra_commodities=commodities,
        extra_thresholds=thresholds,
        extra_references=references if references is not None else pd.DataFrame(),
    )


def commodity_units() -> dict[str, tuple[str, str]]:
    """Commodity code -> (price unit, stock unit) from the committed reference data."""
    frame = read_reference_csv("commodities")
    return {row.code: (row.price_unit, row.stock_unit) for row in frame.itertuples(index=False)}


def thresholds_table(panel: Panel) -> pd.DataFrame:
    """Alert thresholds for every commodity of the panel, indexed by commodity."""
    frame = pd.concat([read_reference_csv("thresholds"), panel.extra_thresholds], ignore_index=True)
    return frame.set_index("commodity")


def reference_table(panel: Panel) -> pd.DataFrame:
    """Dated reference prices that apply to the panel (committed rows plus synthetic ones)."""
    frames = [read_reference_csv("reference_prices")]
    if len(panel.extra_references):
        frames.append(panel.extra_references)
    return pd.concat(frames, ignore_index=True)
