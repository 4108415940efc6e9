"""Planted incidents of the demo warehouse: where they sit, how strong they are, when they show.

Each incident has a cause (deliveries drop, demand surges, prices start climbing) that
precedes the visible breach by about 7-20 days. Supply incidents are calibrated per series
(by bisection on the share of planned deliveries that still arrive) so that days of cover
crosses the commodity's Siaga threshold about ``lead`` days after the cause. Price
incidents ramp up quadratically, sized from the series' own pre-incident price. Start and
end dates are always measured from the generated data, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from demo.sim import (
    RECOVERY_EXTRA_DAYS,
    StockInputs,
    Timeline,
    days_of_cover,
    simulate_stock,
)
from seasons import idul_fitri_dates

BISECTION_STEPS = 16
RAMP_DAYS = 5
MEASURE_AFTER_DAYS = 45  # how long after a cause ends its breach may still last


@dataclass(frozen=True)
class Template:
    """A kind of incident and where it is planted."""

    kind: str
    region_code: str
    commodity: str
    effect: str  # supply | price
    anchor: str  # lebaran | nataru | free | ongoing
    position: float  # share of the data window (free anchor, or fallback)
    lead: int  # target days from cause to the visible breach
    length: int = 20  # days the cause lasts (supply) or ramp hold (price)
    demand_mult: float = 1.0
    frac_max: float = 1.2  # upper bound of delivered share during the cut
    peak: float = 1.0  # price incidents: multiplier at the peak
    peak_price: float = 0.0  # price incidents: absolute peak price instead of a multiplier
    decay: int = 25
    lebaran_index: int = 0
    ongoing_extra: int = 4  # ongoing incidents: days already in breach at the end


TEMPLATES: tuple[Template, ...] = (
    Template("lebaran_demand_surge", "1501", "lpg_3kg", "supply", "lebaran", 0.3, 11, 24, 1.25),
    Template("flood_road_cut", "1572", "pertalite", "supply", "free", 0.45, 9, 18, frac_max=0.15),
    Template("price_spike", "1571", "beras_medium", "price", "free", 0.10, 12, 20, peak=1.22),
    Template("delivery_delay", "1506", "biosolar", "supply", "free", 0.30, 10, 20, frac_max=0.8),
    Template("price_gouging", "1505", "lpg_3kg", "price", "free", 0.62, 10, 14, peak_price=35_000),
    Template(
        "fuel_queue", "1509", "pertalite", "supply", "ongoing", 1.0, 11, 0, 1.15, ongoing_extra=5
    ),
    Template(
        "price_surge", "1502", "minyak_goreng", "price", "free", 0.78, 12, 25, peak=1.28, decay=30
    ),
    Template("nataru_demand_surge", "1571", "pertamax", "supply", "nataru", 0.88, 11, 24, 1.4),
    Template(
        "quota_cut",
        "1503",
        "lpg_3kg",
        "supply",
        "ongoing",
        1.0,
        10,
        0,
        frac_max=0.9,
        ongoing_extra=3,
    ),
    Template(
        "price_spike",
        "1571",
        "gula_pasir",
        "price",
        "lebaran",
        0.55,
        12,
        15,
        peak=1.25,
        lebaran_index=-1,
    ),
    Template(
        "lebaran_demand_surge",
        "1508",
        "lpg_3kg",
        "supply",
        "lebaran",
        0.2,
        11,
        24,
        1.25,
        lebaran_index=1,
    ),
)


@dataclass
class Incident:
    """One planted incident, placed on the timeline (indices include the burn-in)."""

    template: Template
    number: int
    series: int  # row in the (series, days) arrays
    region_code: str  # the panel region it is planted in (the template's, or its stand-in)
    cause: int
    length: int
    ongoing: bool
    frac: float = 1.0
    ramp: int = 0
    base_price: float = float("nan")
    start: int | None = None
    end: int | None = None
    details: dict[str, float] = field(default_factory=dict)

    @property
    def incident_id(self) -> str:
        return f"demo-{self.number:02d}-{self.template.kind}"


def _lebaran_causes(timeline: Timeline, lead: int) -> list[int]:
    """Cause indices 18 days before each Idul Fitri that leaves room in the data window."""
    first = timeline.days[timeline.burn].date()
    last = timeline.days[-1].date()
    causes = []
    for fitri in idul_fitri_dates(first, last):
        cause = timeline.days.get_loc(pd.Timestamp(fitri)) - (lead + 7)
        causes.append(int(cause))
    return causes


def _nataru_causes(timeline: Timeline) -> list[int]:
    causes = []
    for ts in timeline.days[timeline.burn :]:
        if ts.month == 12 and ts.day == 8:
            causes.append(int(timeline.days.get_loc(ts)))
    return causes


def _fits(timeline: Timeline, cause: int, length: int) -> bool:
    return cause >= timeline.burn + 21 and cause + length + MEASURE_AFTER_DAYS < timeline.n - 10


def place_incidents(
    timeline: Timeline,
    region_codes: list[str],
    commodity_codes: list[str],
    stand_ins: dict[str, str] | None = None,
) -> list[Incident]:
    """Put each template on the timeline where its region (or stand-in) and commodity exist.

    ``stand_ins`` maps a template's Jambi region to the panel region playing its part in
    another province; one series never carries two incidents.
    """
    n_regions = len(region_codes)
    incidents: list[Incident] = []
    used: set[int] = set()
    data_days = timeline.n - timeline.burn
    for template in TEMPLATES:
        region = (stand_ins or {}).get(template.region_code, template.region_code)
        if region not in region_codes or template.commodity not in commodity_codes:
            continue
        series = commodity_codes.index(template.commodity) * n_regions + region_codes.index(region)
        if series in used:
            continue
        used.add(series)
        if template.anchor == "ongoing":
            length = timeline.n  # the cause lasts past the end of the data
            cause = timeline.n - 1 - (template.lead + template.ongoing_extra)
            if cause < timeline.burn + 21:
                continue
            incidents.append(
                Incident(template, len(incidents) + 1, series, region, cause, length, True)
            )
            continue
        length = template.length if template.effect == "supply" else 0
        candidates: list[int] = []
        if template.anchor == "lebaran":
            causes = _lebaran_causes(timeline, template.lead)
            if causes:
                try:
                    candidates.append(causes[template.lebaran_index])
                except IndexError:
                    pass
        elif template.anchor == "nataru":
            causes = _nataru_causes(timeline)
            candidates += causes[::-1]
        candidates.append(timeline.burn + int(template.position * data_days))
        span = length if template.effect == "supply" else template.length * 3 + template.decay
        chosen = next((c for c in candidates if _fits(timeline, c, span)), None)
        if chosen is None:
            continue
        incidents.append(
            Incident(template, len(incidents) + 1, series, region, chosen, length, False)
        )
    return incidents


def _ramp_profile(n_days: int, start: int, length: int, ramp: int) -> np.ndarray:
    """0..1 weights: up over ``ramp`` days from ``start``, held, down over ``ramp`` days."""
    weights = np.zeros(n_days)
    t = np.arange(n_days)
    up = np.clip((t - start + 1) / ramp, 0.0, 1.0)
    down = np.clip((start + length + ramp - t) / ramp, 0.0, 1.0)
    inside = t >= start
    weights[inside] = np.minimum(up, down)[inside]
    return weights


def apply_supply_causes(
    inputs: StockInputs, incidents: list[Incident], decimals: np.ndarray
) -> None:
    """Mark the delivery cuts and demand surges of supply incidents in place."""
    n_days = inputs.demand.shape[1]
    for incident in incidents:
        if incident.template.effect != "supply":
            continue
        s = incident.series
        end = min(n_days, incident.cause + incident.length)
        inputs.cut[s, incident.cause : end] = True
        surge = incident.template.demand_mult - 1.0
        if surge:
            weights = _ramp_profile(n_days, incident.cause, incident.length, RAMP_DAYS)
            inputs.demand[s] = np.round(
                inputs.demand[s] * (1.0 + surge * weights), int(decimals[s])
            )


def first_breach(cover: np.ndarray, start: int, stop: int, limit: float) -> int | None:
    """First index in ``start..stop-1`` where cover is below ``limit``."""
    below = np.flatnonzero(cover[start:stop] < limit)
    return int(start + below[0]) if len(below) else None


def calibrate_supply(
    inputs: StockInputs, incidents: list[Incident], siaga_cover: dict[int, float]
) -> None:
    """Choose each supply incident's delivered share so the breach comes ``lead`` days later."""
    supply = [i for i in incidents if i.template.effect == "supply"]
    if not supply:
        return
    rows = np.asarray([i.series for i in supply])
    sub = inputs.subset(rows)
    n_days = sub.demand.shape[1]
    lo = np.zeros(len(supply))
    hi = np.asarray([i.template.frac_max for i in supply])
    for _ in range(BISECTION_STEPS):
        mid = (lo + hi) / 2.0
        sub.cut_frac = mid
        _, distribution, stock = simulate_stock(sub)
        cover = days_of_cover(stock, distribution)
        for k, incident in enumerate(supply):
            stop = min(n_days, incident.cause + incident.template.lead * 2 + 10)
            hit = first_breach(cover[k], incident.cause, stop, siaga_cover[incident.series])
            too_slow = hit is None or hit - incident.cause > incident.template.lead
            if too_slow:
                hi[k] = mid[k]
            else:
                lo[k] = mid[k]
    for k, incident in enumerate(supply):
        incident.frac = float(lo[k])
        inputs.cut_frac[incident.series] = incident.frac


def measure_supply(incident: Incident, cover: np.ndarray, siaga: float, n_days: int) -> None:
    """Start = first day below Siaga after the cause; end = last such day of the episode."""
    stop = (
        n_days
        if incident.ongoing
        else min(n_days, incident.cause + incident.length + MEASURE_AFTER_DAYS)
    )
    incident.start = first_breach(cover, incident.cause, stop, siaga)
    if incident.start is None:
        return
    if incident.ongoing:
        incident.end = n_days - 1
        return
    below = np.flatnonzero(cover[incident.start : stop] < siaga)
    incident.end = int(incident.start + below[-1])
    incident.details["min_cover"] = float(np.min(cover[incident.cause : stop]))


def price_multiplier(incident: Incident, n_days: int) -> np.ndarray:
    """Quadratic ramp to the peak over ``ramp`` days, held, then a linear decay."""
    template = incident.template
    peak = incident.details["peak"]
    t = np.arange(n_days) - incident.cause
    ramp = max(incident.ramp, 1)
    rising = 1.0 + (peak - 1.0) * np.clip(t / ramp, 0.0, 1.0) ** 2
    after_hold = t - ramp - template.length
    falling = np.clip(1.0 - after_hold / template.decay, 0.0, 1.0)
    value = np.where(after_hold > 0, 1.0 + (peak - 1.0) * falling, rising)
    return np.where(t >= 0, value, 1.0)


def size_price_incident(incident: Incident, base_price: float, threshold_ratio: float) -> None:
    """Choose the peak and ramp so the price crosses ``threshold_ratio`` after ``lead`` days."""
    template = incident.template
    peak = template.peak_price / base_price if template.peak_price else template.peak
    q = (threshold_ratio - 1.0) / (peak - 1.0)
    q = float(np.clip(q, 0.02, 0.95))
    incident.base_price = base_price
    incident.ramp = max(template.lead + 1, int(round(template.lead / np.sqrt(q))))
    incident.details["peak"] = float(peak)


def measure_price(
    incident: Incident, price: np.ndarray, reported: np.ndarray, threshold: np.ndarray
) -> None:
    """Start = first reported price above the Siaga level; end = last day above it."""
    template = incident.template
    n_days = len(price)
    stop = min(n_days, incident.cause + incident.ramp + template.length + template.decay + 1)
    above = (price > threshold) & np.isfinite(threshold)
    reported_above = np.flatnonzero(above[incident.cause : stop] & reported[incident.cause : stop])
    if not len(reported_above):
        return
    incident.start = int(incident.cause + reported_above[0])
    run = np.flatnonzero(above[incident.start : stop])
    incident.end = int(incident.start + run[-1])
    incident.details["peak_price"] = float(np.max(price[incident.cause : stop]))


def _pct(value: float) -> int:
    return int(round(value * 100))


def _supply_phrase(frac: float) -> tuple[str, str]:
    """How much of the planned deliveries arrived, in English and Indonesian."""
    if frac < 0.05:
        return "almost no deliveries arrived", "hampir tidak ada pasokan masuk"
    if frac > 1.0:
        return (
            f"deliveries were raised only to about {_pct(frac)}% of the usual plan",
            f"pasokan hanya ditambah menjadi sekitar {_pct(frac)}% dari rencana biasa",
        )
    return (
        f"deliveries about {_pct(frac)}% of plan",
        f"pasokan sekitar {_pct(frac)}% dari rencana",
    )


def describe(
    incident: Incident, region: str, names: tuple[str, str], siaga: float
) -> tuple[str, str]:
    """English and Indonesian descriptions of what happened, with the generated figures."""
    kind = incident.template.kind
    name_id, name_en = names
    supply_en, supply_id = _supply_phrase(incident.frac)
    surge = _pct(incident.template.demand_mult - 1.0)
    days = incident.length
    cover_en = f"cover fell below {siaga:g} days"
    cover_id = f"ketahanan stok turun di bawah {siaga:g} hari"
    peak = incident.details.get("peak_price", float("nan"))
    peak_text = f"Rp {peak:,.0f}".replace(",", ".")
    texts: dict[str, tuple[str, str]] = {
        "lebaran_demand_surge": (
            f"{name_en} demand in {region} rose about {surge}% before Idul Fitri and the quota "
            f"was not raised ({supply_en}); {cover_en}.",
            f"Permintaan {name_id} di {region} naik sekitar {surge}% menjelang Idul Fitri dan "
            f"kuota tidak ditambah ({supply_id}); {cover_id}.",
        ),
        "flood_road_cut": (
            f"Flood cut the road to {region}: {name_en} supply disrupted for {days} days "
            f"({supply_en}); {cover_en}.",
            f"Banjir memutus jalan ke {region}: pasokan {name_id} terganggu selama {days} hari "
            f"({supply_id}); {cover_id}.",
        ),
        "delivery_delay": (
            f"Tanker delays to {region}: {name_en} supply disrupted for {days} days "
            f"({supply_en}); {cover_en}.",
            f"Keterlambatan mobil tangki ke {region}: pasokan {name_id} terganggu selama {days} "
            f"hari ({supply_id}); {cover_id}.",
        ),
        "fuel_queue": (
            f"Queues at filling stations in {region}: {name_en} demand up about {surge}% "
            f"(panic buying) and {supply_en}; {cover_en}.",
            f"Antrean di SPBU {region}: permintaan {name_id} naik sekitar {surge}% "
            f"(pembelian panik) dan {supply_id}; {cover_id}.",
        ),
        "quota_cut": (
            f"{name_en} quota for {region} cut ({supply_en}); {cover_en}.",
            f"Kuota {name_id} untuk {region} dipotong ({supply_id}); {cover_id}.",
        ),
        "nataru_demand_surge": (
            f"Christmas/New Year travel raised {name_en} demand in {region} by about {surge}% "
            f"and {supply_en}; {cover_en}.",
            f"Arus Natal dan Tahun Baru menaikkan permintaan {name_id} di {region} sekitar "
            f"{surge}% dan {supply_id}; {cover_id}.",
        ),
        "price_spike": (
            f"{name_en} price spike in {region}: up to {peak_text} after supply from producing "
            f"areas tightened.",
            f"Lonjakan harga {name_id} di {region}: hingga {peak_text} setelah pasokan dari "
            f"daerah produsen menipis.",
        ),
        "price_gouging": (
            f"{name_en} price gouging in {region}: retailers sold at up to {peak_text}, far "
            f"above the HET.",
            f"Permainan harga {name_id} di {region}: pengecer menjual hingga {peak_text}, jauh "
            f"di atas HET.",
        ),
        "price_surge": (
            f"{name_en} price surge in {region}: up to {peak_text} as distributor stocks were "
            f"held back.",
            f"Kenaikan harga {name_id} di {region}: hingga {peak_text} karena stok distributor "
            f"ditahan.",
        ),
    }
    text_en, text_id = texts[kind]
    if incident.ongoing:
        text_en += " Still ongoing at the end of the data."
        text_id += " Masih berlangsung pada akhir data."
    return text_en, text_id


def incident_rows(
    incidents: list[Incident],
    timeline: Timeline,
    region_names: dict[str, str],
    commodity_names: dict[str, tuple[str, str]],
    siaga_of: dict[str, float],
) -> pd.DataFrame:
    """The ``incidents`` table rows of the incidents that did show in the data."""
    rows = []
    for incident in incidents:
        if incident.start is None or incident.end is None:
            continue
        template = incident.template
        text_en, text_id = describe(
            incident,
            region_names[incident.region_code],
            commodity_names[template.commodity],
            siaga_of[template.commodity],
        )
        rows.append(
            {
                "incident_id": incident.incident_id,
                "region_code": incident.region_code,
                "commodity": template.commodity,
                "kind": template.kind,
                "cause_date": _day(timeline, incident.cause),
                "start_date": _day(timeline, incident.start),
                "end_date": _day(timeline, incident.end),
                "description": f"{text_en} | {text_id}",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "incident_id",
            "region_code",
            "commodity",
            "kind",
            "cause_date",
            "start_date",
            "end_date",
            "description",
        ],
    )


def _day(timeline: Timeline, index: int) -> date:
    return timeline.days[index].date()


def outside_mask(incidents: list[Incident], n_series: int, n_days: int) -> np.ndarray:
    """True where no incident (cause to end) touches the series."""
    mask = np.ones((n_series, n_days), dtype=bool)
    for incident in incidents:
        last = incident.end if incident.end is not None else incident.cause + incident.length
        mask[incident.series, incident.cause : min(n_days, last + RECOVERY_EXTRA_DAYS * 5) + 1] = (
            False
        )
    return mask
