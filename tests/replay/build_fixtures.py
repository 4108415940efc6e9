"""Build the synthetic responses in ``tests/replay/`` (deterministic; run once, output committed).

Used only where no real body exists (the real bodies are read from ``../shared/realdata`` by
``routes.py``). Shapes follow the documented responses (docs/ingest.md gives each one's
evidence level); values are plausible Jambi prices made up for testing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
RNG = random.Random(1501)

BAPANAS_CITIES = [  # (id, name as the panel writes it)
    (301, "Kab. Kerinci"),
    (302, "Kab. Merangin"),
    (303, "Kab. Sarolangun"),
    (304, "Kab. Batanghari"),
    (305, "Kab. Muaro Jambi"),
    (306, "Kab. Tanjung Jabung Timur"),
    (307, "Kab. Tanjung Jabung Barat"),
    (308, "Kab. Tebo"),
    (309, "Kab. Bungo"),
    (310, "Kota Jambi"),
    (311, "Kota Sungai Penuh"),
]
BAPANAS_ITEMS = [  # (id, name, satuan, base price)
    (27, "Beras Premium", "Rp./Kg", 15800),
    (28, "Beras Medium", "Rp./Kg", 13600),
    (109, "Beras SPHP", "Rp/kg", 12500),
    (32, "Cabai Merah Keriting", "Rp./Kg", 42000),
    (37, "Gula Konsumsi", "Rp./Kg", 18200),
    (127, "Minyakita", "Rp/Liter", 15700),
]
PIHPS_REGENCIES = [
    "Kab. Kerinci",
    "Kab. Merangin",
    "Kab. Sarolangun",
    "Kab. Batang Hari",
    "Kab. Muaro Jambi",
    "Kab. Tanjung Jabung Timur",
    "Kab. Tanjung Jabung Barat",
    "Kab. Tebo",
    "Kab. Bungo",
    "Kota Jambi",
    "Kota Sungai Penuh",
]
PIHPS_BASE = {
    "com_1": 12900,
    "com_2": 12600,
    "com_3": 13900,
    "com_4": 13500,
    "com_5": 15800,
    "com_6": 15200,
    "com_17": 17500,
    "com_18": 20500,
    "com_19": 19000,
    "com_20": 18900,
    "com_21": 17800,
}
PIHPS_DAYS = [dt.date(2026, 1, 26) + dt.timedelta(days=i) for i in range(33)]
SP2KP_VARIANTS = [  # real ids (generate-perbandingan-harga body of 13 Jul 2026)
    (52, "Beras Medium", "kg", 13700),
    (51, "Beras Premium", "kg", 15900),
    (1, "Beras SPHP Bulog", "kg", 12400),
    (14, "Gula Pasir Curah", "kg", 18300),
    (18, "Minyakita", "lt", 15800),
    (10, "Cabai Rawit Merah", "kg", 60000),
]
SP2KP_REGENCIES = [
    ("1501", "KAB. KERINCI"),
    ("1502", "KAB. MERANGIN"),
    ("1503", "KAB. SAROLANGUN"),
    ("1504", "KAB. BATANG HARI"),
    ("1505", "KAB. MUARO JAMBI"),
    ("1506", "KAB. TANJUNG JABUNG TIMUR"),
    ("1507", "KAB. TANJUNG JABUNG BARAT"),
    ("1508", "KAB. TEBO"),
    ("1509", "KAB. BUNGO"),
    ("1571", "KOTA JAMBI"),
    ("1572", "KOTA SUNGAI PENUH"),
]


def wiggle(base: float, step: int = 50) -> int:
    return int(round(base * (1 + RNG.uniform(-0.03, 0.03)) / step) * step)


def bapanas() -> dict:
    provinces = {
        "status": "success",
        "message": "Data berhasil diambil",
        "data": [
            {"id": i, "nama": n, "kode_map": k, "national_id": 0}
            for i, n, k in [
                (1, "Aceh", "ID-AC"),
                (3, "Sumatera Barat", "ID-SB"),
                (4, "Riau", "ID-RI"),
                (5, "Jambi", "ID-JA"),
                (6, "Sumatera Selatan", "ID-SS"),
            ]
        ],
    }
    city_rows = [{"id": i, "nama": n, "province_id": 5} for i, n in BAPANAS_CITIES]
    cities = [  # a Laravel paginator over two pages
        {
            "status": "success",
            "message": "Data berhasil diambil",
            "data": {"current_page": page, "last_page": 2, "data": rows},
        }
        for page, rows in ((1, city_rows[:6]), (2, city_rows[6:]))
    ]
    tables = {}
    recap = {}
    for city_id, _ in [("", "province")] + BAPANAS_CITIES:
        rows = []
        for item_id, name, unit, base in BAPANAS_ITEMS:
            today = 0 if (item_id == 109 and city_id == 311) else wiggle(base)
            yesterday = wiggle(base)
            gap = today - yesterday
            rows.append(
                {
                    "id": item_id,
                    "name": name,
                    "satuan": unit,
                    "today": today,
                    "yesterday": yesterday,
                    "yesterday_date": "26-2-2026",
                    "gap": gap,
                    "gap_percentage": round(gap / yesterday * 100, 2) if yesterday else 0,
                    "gap_change": "up" if gap > 0 else "down" if gap < 0 else "no_change",
                }
            )
        tables[str(city_id)] = {
            "status": "success",
            "message": "Data berhasil diambil",
            "data": rows,
        }
        recap[str(city_id)] = {
            "status": "success",
            "message": "Data berhasil diambil",
            "data": [
                {
                    "name": name,
                    "by_date": [
                        {"date": d.isoformat(), "rata_rata": 0 if d.day == 3 else wiggle(base)}
                        for d in PIHPS_DAYS
                        if d < dt.date(2026, 2, 26)
                    ],
                }
                for _id, name, _unit, base in BAPANAS_ITEMS
            ],
        }
    return {"provinces": provinces, "cities": cities, "prices": tables, "recap": recap}


def pihps() -> dict:
    grids = {}
    for com_id, base in PIHPS_BASE.items():
        for month in ("2026-01", "2026-02"):
            days = [d for d in PIHPS_DAYS if d.strftime("%Y-%m") == month and d.weekday() < 5]
            rows = [
                {"no": 1, "name": "Semua Provinsi", "level": 0},
                {"no": 2, "name": "Jambi", "level": 1},
            ]
            rows += [{"no": 3 + i, "name": n, "level": 2} for i, n in enumerate(PIHPS_REGENCIES)]
            rows.append({"no": 99, "name": "Pasar Angso Duo", "level": 3})
            for row in rows:
                for day in days:
                    value = wiggle(base)
                    text = f"{value:,}"
                    if row["name"] == "Kab. Tebo" and day.day % 7 == 0:
                        text = "-"
                    row[day.strftime("%d/%m/%Y")] = text
            grids[f"{com_id}|{month}"] = {"data": rows}
    return grids


def sp2kp() -> dict:
    """export-area-daily-json answers for the province (level 1), one per month."""
    prices = {}
    for month in ("2026-01", "2026-02"):
        days = [d for d in PIHPS_DAYS if d.strftime("%Y-%m") == month and d.weekday() < 5]
        data = []
        for order, (vid, name, unit, base) in enumerate(SP2KP_VARIANTS):
            entries = [
                {
                    "date": d.isoformat(),
                    "harga": 0 if d.day == 9 else None if d.day == 10 else wiggle(base),
                }
                for d in days
            ]
            data.append(
                {
                    "variant_id": vid,
                    "variant": name,
                    "satuan": unit,
                    "kuantitas": 1,
                    "order": order,
                    "daftarHarga": entries,
                }
            )
        prices[month] = {"status": "success", "data": data}
    return {"prices": prices}


def fuel() -> dict:
    def entry(name: str, code: str, upper: str, pertamax: int) -> dict:
        return {
            "provider": "pertamina",
            "province": name,
            "products": {
                "Pertalite": 10000,
                "Pertamax": pertamax,
                "Pertamax Green 95": 13000,
                "Pertamax Turbo": 13750,
                "Dexlite": 13900,
                "Pertamina Dex": 14200,
                "Biosolar": 6800,
            },
            "provinceInfo": {"id": code, "name": upper},
        }

    return {
        "success": True,
        "data": {
            "lastUpdated": "2026-02-02T03:15:00.000Z",
            "providers": {
                "pertamina": [
                    entry("Sumatera Barat", "13", "SUMATERA BARAT", 12700),
                    entry("Riau", "14", "RIAU", 12700),
                    entry("Jambi", "15", "JAMBI", 12700),
                ],
                "shell": [
                    {
                        "provider": "shell",
                        "province": "DKI Jakarta",
                        "products": {"Shell Super": 12900},
                        "provinceInfo": {"id": "31", "name": "DKI JAKARTA"},
                    }
                ],
            },
        },
    }


def wfp() -> str:
    header = [
        "date",
        "admin1",
        "admin2",
        "market",
        "market_id",
        "latitude",
        "longitude",
        "category",
        "commodity",
        "commodity_id",
        "unit",
        "priceflag",
        "pricetype",
        "currency",
        "price",
        "usdprice",
    ]
    hxl = [
        "#date",
        "#adm1+name",
        "#adm2+name",
        "#loc+market+name",
        "#loc+market+code",
        "#geo+lat",
        "#geo+lon",
        "#item+type",
        "#item+name",
        "#item+code",
        "#item+unit",
        "#item+prices+flag",
        "#item+price+type",
        "#currency",
        "#value",
        "#value+usd",
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(hxl)
    for month in ("2025-12-15", "2026-01-15", "2026-02-15"):
        for admin1, admin2, market, lat, lon in [
            ("Jambi", "Kota Jambi", "Jambi", -1.61, 103.61),
            ("Riau", "Kota Pekanbaru", "Pekanbaru", 0.51, 101.45),
        ]:
            for commodity, cid, unit, cat, base in [
                ("Rice (medium grade)", 1, "KG", "cereals and tubers", 13800),
                ("Sugar", 97, "KG", "miscellaneous food", 18100),
                ("Oil (vegetable)", 96, "L", "oil and fats", 17600),
                ("Chili (red)", 214, "KG", "vegetables and fruits", 45000),
            ]:
                price = wiggle(base)
                writer.writerow(
                    [
                        month,
                        admin1,
                        admin2,
                        market,
                        900,
                        lat,
                        lon,
                        cat,
                        commodity,
                        cid,
                        unit,
                        "actual",
                        "Retail",
                        "IDR",
                        price,
                        round(price / 16300, 4),
                    ]
                )
    return out.getvalue()


def main() -> None:
    (HERE / "bapanas.json").write_text(
        json.dumps(bapanas(), separators=(",", ":")), encoding="utf-8"
    )
    (HERE / "pihps.json").write_text(json.dumps(pihps(), separators=(",", ":")), encoding="utf-8")
    (HERE / "sp2kp.json").write_text(json.dumps(sp2kp(), separators=(",", ":")), encoding="utf-8")
    (HERE / "fuel_prices.json").write_text(json.dumps(fuel(), indent=2), encoding="utf-8")
    (HERE / "wfp_food_prices_idn.csv").write_text(wfp(), encoding="utf-8")
    (HERE / "pihps_home.html").write_text(
        "<!DOCTYPE html><html><head><title>PIHPS Nasional</title></head>"
        "<body><h1>Pusat Informasi Harga Pangan Strategis Nasional</h1></body></html>\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
