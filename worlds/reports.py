"""What the province receives: officer stock reports, late and with gaps, in monthly batches.

Each regency's officer reports end-of-day stock, the day's distribution and deliveries in the
officer template (``data/templates/laporan_stok.csv``: semicolon-separated, Indonesian number
and date formats). Most regencies report daily but miss 5–15 % of days; a few report only every
2–4 days. Reports arrive 0–4 days late; each month's arrivals form one file, imported in
order. A few rows carry an officer's slip (an ambiguous number) and are rejected on import.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from worlds.world import COMMODITIES, World, region_names

HEADER = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"
REPORTERS = ("Budi Santoso", "Siti Aminah", "Rahmat Hidayat", "Dewi Lestari", "Andi Saputra",
             "Nur Aini", "Yusuf Harahap", "Rina Marlina", "Hendra Gunawan", "Fitri Yanti",
             "Agus Salim")  # fmt: skip
SLIP_SHARE = 0.002


def indonesian(value: float, decimals: int) -> str:
    """``12.500`` / ``1.234,5``: dots between thousands, a comma before decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def report_days(world: World, region: str, rng: np.random.Generator) -> np.ndarray:
    """Day indices a regency's officer reports on."""
    n = len(world.dates)
    if region in world.sparse_regions:
        low, high = world.sparse_regions[region]
        days, day = [], int(rng.integers(0, high))
        while day < n:
            days.append(day)
            day += int(rng.integers(low, high + 1))
        return np.array(days)
    missing = rng.uniform(0.05, 0.15)
    return np.flatnonzero(rng.random(n) >= missing)


def report_rows(world: World, seed: int) -> pd.DataFrame:
    """Every reported row with the date it reached the province (``received``)."""
    rng = np.random.default_rng([seed, 7])
    names = region_names()
    specs = {c.code: c for c in COMMODITIES}
    regions = sorted({r for r, _ in world.depots})
    rows = []
    for number, region in enumerate(regions):
        days = report_days(world, region, rng)
        lags = np.minimum(rng.geometric(0.55, len(days)) - 1, 4)
        reporter = REPORTERS[number % len(REPORTERS)]
        for (r, code), truth in world.truth.items():
            if r != region:
                continue
            spec = specs[code]
            for day, lag in zip(days, lags, strict=True):
                cells = [indonesian(truth.stock[day], spec.decimals),
                         indonesian(truth.distribution[day], spec.decimals),
                         indonesian(truth.delivery[day], spec.decimals)]  # fmt: skip
                if rng.random() < SLIP_SHARE:
                    cells[0] = f"{int(truth.stock[day]) % 1000 + 1},{int(rng.integers(100, 999))}"
                date = world.dates[day]
                rows.append(
                    {
                        "received": date + pd.Timedelta(days=int(lag)),
                        "tanggal": date.strftime("%d/%m/%Y"),
                        "kabupaten_kota": names[region],
                        "komoditas": spec.name,
                        "stok": cells[0],
                        "penyaluran": cells[1],
                        "penerimaan": cells[2],
                        "satuan": spec.unit,
                        "pelapor": reporter,
                    }
                )
    return pd.DataFrame(rows)


def write_reports(world: World, seed: int, folder: Path) -> list[Path]:
    """One officer file per month of arrival (``laporan_stok_YYYY_MM.csv``), in arrival order."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = report_rows(world, seed)
    last = world.dates[-1]
    rows = rows[rows["received"] <= last]  # not yet arrived at the end of the data
    paths = []
    columns = HEADER.split(";")
    for month, batch in rows.sort_values("received").groupby(rows["received"].dt.to_period("M")):
        path = folder / f"laporan_stok_{month.year}_{month.month:02d}.csv"
        lines = [HEADER] + [
            ";".join(str(v) for v in r) for r in batch[columns].itertuples(index=False)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
