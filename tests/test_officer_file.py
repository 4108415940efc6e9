"""Officer stock reports and wide price exports: every accepted variant, every bad row."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ingest.__main__ import main as ingest_main
from ingest.normalise import ValueProblem, find_date, parse_period
from ingest.officer.importer import parse_file
from ingest.officer.parse import Options
from ingest.officer.regions import resolve_region_name
from ingest.officer_file import import_file
from ingest.template import CSV_TEMPLATE, EXAMPLE_ROWS, XLSX_TEMPLATE
from services.officer_files import check_officer_file
from ui.upload import preview_rows, suggestion_choices
from warehouse.db import read_df

ROOT = Path(__file__).resolve().parents[1]
HEADER_ID = "tanggal;kabupaten_kota;komoditas;stok;penyaluran;penerimaan;satuan;pelapor"
# The same three reports written the ways officers really write them.
ROWS_ID = [
    "05/08/2024;Kota Jambi;LPG 3 kg;12.500;1.150;1.000;tabung;José",
    "05/08/2024;Muaro Jambi;Beras Medium;1.234,5;42;0;ton;Siti",
    "05/08/2024;Tanjab Barat;Pertalite;850;96,5;120;kL;Budi",
]
EXPECTED = {
    ("1571", "lpg_3kg", "stock"): 12500.0,
    ("1571", "lpg_3kg", "distribution"): 1150.0,
    ("1571", "lpg_3kg", "delivery"): 1000.0,
    ("1505", "beras_medium", "stock"): 1234.5,
    ("1505", "beras_medium", "distribution"): 42.0,
    ("1505", "beras_medium", "delivery"): 0.0,
    ("1507", "pertalite", "stock"): 850.0,
    ("1507", "pertalite", "distribution"): 96.5,
    ("1507", "pertalite", "delivery"): 120.0,
}


@pytest.fixture(autouse=True)
def raw_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("JSW_RAW_DIR", str(tmp_path / "raw"))
    return tmp_path / "raw"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def loaded(db: Path) -> dict[tuple[str, str, str], float]:
    frame = read_df("SELECT region_code, commodity, metric, value, date, unit FROM facts", path=db)
    assert set(frame.date.astype(str).str[:10]) == {"2024-08-05"}
    return {(r.region_code, r.commodity, r.metric): r.value for r in frame.itertuples()}


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def variant_files(tmp: Path) -> dict[str, Path]:
    english = [
        "date,region,commodity,stock,distribution,deliveries,unit,reporter",
        "2024-08-05,KOTA JAMBI,lpg_3kg,12500,1150,1000,tabung,José",
        "2024-08-05,Kab. Muarojambi,Medium rice,1234.5,42,0,ton,Siti",
        '2024-08-05,Tanjung Jabung Barat,Pertalite,"850,0","96,5",120,kL,Budi',
    ]
    converted = [
        HEADER_ID,
        "5/8/2024;Kota Jambi;Elpiji 3 kg;37.500;3.450;3.000;kg;José",
        "05-08-2024;Muaro Jambi;Beras Medium;1.234.500;42.000;0;kg;Siti",
        "05/08/2024;Tanjab Barat;Pertalite;850.000;96.500;120.000;liter;Budi",
    ]
    header = HEADER_ID.split(";")
    return {
        "semicolon_utf8": write(tmp / "a.csv", "\n".join([HEADER_ID, *ROWS_ID]) + "\n"),
        "bom": write(tmp / "b.csv", "\ufeff" + "\r\n".join([HEADER_ID, *ROWS_ID]) + "\r\n"),
        "windows_1252": write(tmp / "c.csv", "\r\n".join([HEADER_ID, *ROWS_ID]) + "\r\n", "cp1252"),
        "english_comma": write(tmp / "d.csv", "\n".join(english) + "\n"),
        "rp_and_tab": write(
            tmp / "e.txt", "\n".join(r.replace(";", "\t") for r in [HEADER_ID, *ROWS_ID])
        ),
        "units_converted": write(tmp / "f.csv", "\n".join(converted) + "\n"),
        "xlsx_cells": xlsx(
            tmp / "g.xlsx",
            [
                header,
                [
                    dt.datetime(2024, 8, 5),
                    "Kota Jambi",
                    "LPG 3 kg",
                    12500,
                    1150,
                    1000,
                    "tabung",
                    "José",
                ],
                [
                    dt.datetime(2024, 8, 5),
                    "Muaro Jambi",
                    "Beras Medium",
                    1234.5,
                    42,
                    0,
                    "ton",
                    "Siti",
                ],
                [45509, "Tanjab Barat", "Pertalite", 850, 96.5, 120, "kL", "Budi"],
            ],
        ),
        "xlsx_text": xlsx(tmp / "h.xlsx", [header] + [r.split(";") for r in ROWS_ID]),
    }


@pytest.mark.slow
def test_every_accepted_variant_loads_to_the_same_values(tmp_path):
    """All variants load into one warehouse: the first adds 9 facts, every other changes none."""
    db = tmp_path / "w.duckdb"
    for number, (name, path) in enumerate(variant_files(tmp_path).items()):
        result, code = import_file(path, db=str(db), user="tester")
        assert code == 0 and result.status == "success", (name, result.errors)
        assert result.rows_read == 3 and result.rows_loaded == 3 and result.rows_rejected == 0
        new, unchanged = (9, 0) if number == 0 else (0, 9)
        assert (result.details["facts_new"], result.details["facts_revised"]) == (new, 0), name
        assert result.details["facts_unchanged"] == unchanged, name
        if name in {"windows_1252", "semicolon_utf8", "xlsx_cells"}:
            assert "José" in result.message, name
    assert loaded(db) == pytest.approx(EXPECTED)
    assert read_df("SELECT count(*) AS n FROM fact_revisions", path=db).n[0] == 0


def test_title_rows_above_the_headers_are_skipped(tmp_path):
    header = HEADER_ID.split(";")
    rows = [["LAPORAN STOK HARIAN"], ["Dinas Perindag Provinsi Jambi"], header] + [
        r.split(";") for r in ROWS_ID
    ]
    path = xlsx(tmp_path / "title.xlsx", rows)
    db = tmp_path / "w.duckdb"
    result, code = import_file(path, db=str(db))
    assert code == 0 and result.rows_rejected == 0 and "2 title row(s)" in result.message
    assert loaded(db) == pytest.approx(EXPECTED)
    rejected_row = xlsx(
        tmp_path / "bad.xlsx", rows + [["05/08/2024", "Kerinci", "Kopi", 1, 1, 1, "ton", "x"]]
    )
    result, _ = import_file(rejected_row, dry_run=True)
    assert result.details["error_rows"][0]["row"] == 7  # spreadsheet row numbers are kept


def test_data_sheet_is_found_behind_an_instructions_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "petunjuk"
    book.active.append(["Isi satu baris per tanggal, kabupaten/kota dan komoditas."])
    data = book.create_sheet("laporan")
    data.append(HEADER_ID.split(";"))
    for row in ROWS_ID:
        data.append(row.split(";"))
    book.save(tmp_path / "two_sheets.xlsx")
    db = tmp_path / "w.duckdb"
    result, code = import_file(tmp_path / "two_sheets.xlsx", db=str(db))
    assert code == 0, result.errors
    assert loaded(db) == pytest.approx(EXPECTED)


def test_rp_prefix_is_accepted_in_number_cells(tmp_path):
    path = write(
        tmp_path / "rp.csv",
        HEADER_ID + "\n05/08/2024;Kota Jambi;LPG 3 kg;Rp 12.500;1.150;;tabung;x\n",
    )
    result, code = import_file(path, db=str(tmp_path / "w.duckdb"))
    assert code == 0 and result.details["preview"][0]["value"] == 12500.0


BAD_ROWS = [
    (
        "02/08/2024;Kota Jambi;LPG 3 kg;12,3,4;1.150;1.000;tabung;B",
        "stok",
        "bukan angka yang valid",
    ),
    ("02/08/2024;Jambi;Beras Medium;10;1;0;ton;B", "kabupaten_kota", "ambigu"),
    ("02/08/2024;Kabupaten Entah;Beras Medium;10;1;0;ton;B", "kabupaten_kota", "tidak dikenal"),
    ("31/02/2024;Kerinci;Beras Medium;10;1;0;ton;B", "tanggal", "bukan tanggal yang ada"),
    ("08/13/2024;Kerinci;Beras Medium;10;1;0;ton;B", "tanggal", "bukan tanggal yang ada"),
    ("03/08/2024;Kerinci;Kopi;10;1;0;ton;B", "komoditas", "tidak dikenal"),
    ("03/08/2024;Kerinci;Beras Medium;10;1;0;liter;B", "satuan", "tidak cocok"),
    ("03/08/2024;Kerinci;Beras Medium;10;1;0;;B", "satuan", "satuan kosong"),
    ("03/08/2024;Kerinci;Beras Medium;-5;1;0;ton;B", "stok", "negatif"),
    ("03/08/2024;Kerinci;Beras Medium;;;;ton;B", "stok", "kosong semua"),
    ("03/08/2024;Kerinci;Beras Medium;1,234;1;0;ton;B", "stok", "ambigu"),
    ("01/01/2099;Bungo;Pertalite;100;5;10;kL;B", "tanggal", "di luar rentang"),
    ("02/08/2024;Bungo;Pertalite;100;500;10;kL;B", "penyaluran", "melebihi stok"),
]
GOOD_ROWS = [
    "01/08/2024;Bungo;Pertalite;100;5;10;kL;B",
    "01/08/2024;Kota Jambi;LPG 3 kg;500;50;0;tabung;B",
]


def bad_file(tmp_path: Path) -> Path:
    lines = [HEADER_ID, GOOD_ROWS[0], *[row for row, _, _ in BAD_ROWS], GOOD_ROWS[1]]
    return write(tmp_path / "bad.csv", "\n".join(lines) + "\n")


def test_each_bad_row_is_reported_with_row_number_column_and_reason(tmp_path):
    result, code = import_file(bad_file(tmp_path), dry_run=True, db=str(tmp_path / "w.duckdb"))
    assert code == 0 and result.status == "dry_run"
    errors = {e["row"]: e for e in result.details["error_rows"]}
    for offset, (_, column, words) in enumerate(BAD_ROWS):
        row = offset + 3  # header is row 1, the first good row is row 2
        assert row in errors, (row, column)
        assert errors[row]["reason_id"].startswith(f"Baris {row}, kolom {column}:"), errors[row]
        assert words in errors[row]["reason_id"] and errors[row]["reason_en"].startswith(
            f"Row {row},"
        )
    assert result.rows_rejected == len(BAD_ROWS) and result.rows_loaded == 0
    assert result.details["rows_accepted"] == 2
    assert not (tmp_path / "w.duckdb").exists()


def test_example_message_reads_like_the_spec(tmp_path):
    result, _ = import_file(bad_file(tmp_path), dry_run=True)
    first = result.details["error_rows"][0]["reason_id"]
    assert (
        first
        == "Baris 3, kolom stok: '12,3,4' bukan angka yang valid. Perbaiki angka lalu unggah ulang."
    )


def test_bad_rows_block_the_load_until_the_officer_accepts_partial(tmp_path):
    db = tmp_path / "w.duckdb"
    result, code = import_file(bad_file(tmp_path), db=str(db))
    assert code == 3 and result.status == "needs_confirmation" and not db.exists()
    result, code = import_file(bad_file(tmp_path), db=str(db), accept_partial=True, user="siti")
    assert code == 0 and result.status == "success"
    stored = read_df(
        "SELECT region_code, commodity, metric, value FROM facts ORDER BY ALL", path=db
    )
    assert len(stored) == 6 and set(stored.region_code) == {"1509", "1571"}
    rejected = read_df(
        "SELECT row_number, reason, raw FROM rejected_rows ORDER BY row_number", path=db
    )
    assert rejected.row_number.tolist() == list(range(3, 3 + len(BAD_ROWS)))
    assert all(" | " in reason for reason in rejected.reason)
    assert "12,3,4" in rejected.raw[0]
    run = read_df(
        "SELECT status, rows_read, rows_loaded, rows_rejected, message FROM ingest_runs", path=db
    ).iloc[0]
    assert (run.status, run.rows_read, run.rows_loaded, run.rows_rejected) == ("success", 15, 2, 13)
    assert "siti" in run.message


def test_conflicting_duplicate_rows_are_rejected(tmp_path):
    path = write(
        tmp_path / "dup.csv",
        "\n".join([HEADER_ID, ROWS_ID[0], ROWS_ID[0].replace("12.500", "12.600")]) + "\n",
    )
    result, _ = import_file(path, dry_run=True)
    assert [e["row"] for e in result.details["error_rows"]] == [3]
    assert "duplikat" in result.details["error_rows"][0]["reason_id"]


def test_reloading_a_corrected_report_revises_the_fact(tmp_path):
    db = tmp_path / "w.duckdb"
    first = write(tmp_path / "r1.csv", "\n".join([HEADER_ID, ROWS_ID[0]]) + "\n")
    second = write(
        tmp_path / "r2.csv", "\n".join([HEADER_ID, ROWS_ID[0].replace("12.500", "12.450")]) + "\n"
    )
    assert import_file(first, db=str(db))[1] == 0
    result, _ = import_file(second, db=str(db))
    assert result.details["facts_revised"] == 1
    revision = read_df("SELECT metric, old_value, new_value FROM fact_revisions", path=db).iloc[0]
    assert (revision.metric, revision.old_value, revision.new_value) == ("stock", 12500.0, 12450.0)


def test_template_files_round_trip(tmp_path):
    for path in (CSV_TEMPLATE, XLSX_TEMPLATE):
        db = tmp_path / f"{path.suffix[1:]}.duckdb"
        result, code = import_file(path, db=str(db))
        assert code == 0, result.errors
        stored = read_df("SELECT region_code, commodity, metric, value FROM facts", path=db)
        values = {(r.commodity, r.metric): r.value for r in stored.itertuples()}
        for _, _, commodity_name, stock, distribution, delivery, _, _ in EXAMPLE_ROWS:
            code_ = {
                "LPG 3 kg": "lpg_3kg",
                "Beras Medium": "beras_medium",
                "Pertalite": "pertalite",
            }[commodity_name]
            assert values[(code_, "stock")] == stock
            assert values[(code_, "distribution")] == distribution
            assert values[(code_, "delivery")] == delivery


def test_template_headers_are_the_documented_ones():
    header = CSV_TEMPLATE.read_text(encoding="utf-8").splitlines()[0]
    assert header == HEADER_ID
    sheet = openpyxl.load_workbook(XLSX_TEMPLATE, read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == HEADER_ID.split(";")


def test_upload_limits_come_from_settings(tmp_path, monkeypatch):
    path = write(tmp_path / "a.csv", "\n".join([HEADER_ID, *ROWS_ID]) + "\n")
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "2")
    result, code = import_file(path, dry_run=True)
    assert code == 1 and "melebihi batas 2" in result.errors[0]
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "100")
    monkeypatch.setenv("JSW_UPLOAD_MAX_MB", "0.0001")
    result, code = import_file(path, dry_run=True)
    assert code == 1 and "MB" in result.errors[0]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0", "tidak dapat dibaca sebagai Excel (.xls)"),
        ("macro.xlsm", b"PK", "tidak didukung"),
        ("broken.xlsx", b"not a zip", "tidak dapat dibaca"),
        ("other.csv", b"nama;umur\nBudi;40\n", "Kolom wajib tidak ada"),
        ("empty.csv", b"", "kosong"),
    ],
)
def test_unusable_files_fail_with_a_clear_message(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    db = tmp_path / "w.duckdb"
    result, code = import_file(path, db=str(db))
    assert code == 1 and result.status == "failed" and words in result.errors[0]
    runs = read_df("SELECT status FROM ingest_runs", path=db)
    assert (
        runs.status.tolist() == ["failed"]
        and read_df("SELECT count(*) AS n FROM facts", path=db).n[0] == 0
    )


def test_real_pihps_jambi_export_round_trips(realdata, tmp_path):
    path = realdata / "pihps_jambi_ifpd" / "pihps_jambi_province_daily_2020_2023.csv"
    db = tmp_path / "w.duckdb"
    result, code = import_file(path, db=str(db))
    assert code == 0 and result.details["layout"] == "wide_price", result.errors
    source = pd.read_csv(path)
    mapping = {
        "Beras Kualitas Medium I": "pihps_beras_medium_1",
        "Beras Kualitas Super II": "pihps_beras_super_2",
        "Gula Pasir Lokal": "pihps_gula_pasir_lokal",
        "Minyak Goreng Curah": "pihps_minyak_goreng_curah",
        "Beras": "pihps_beras",
        "Beras Kualitas Bawah I": "pihps_beras_bawah_1",
        "Beras Kualitas Bawah II": "pihps_beras_bawah_2",
        "Beras Kualitas Medium II": "pihps_beras_medium_2",
        "Beras Kualitas Super I": "pihps_beras_super_1",
        "Minyak Goreng": "pihps_minyak_goreng",
        "Minyak Goreng Kemasan Bermerk 1": "pihps_minyak_goreng_kemasan_1",
        "Minyak Goreng Kemasan Bermerk 2": "pihps_minyak_goreng_kemasan_2",
        "Gula Pasir": "pihps_gula_pasir",
        "Gula Pasir Kualitas Premium": "pihps_gula_pasir_premium",
    }
    stored = read_df("SELECT date, commodity, value, region_code, source FROM facts", path=db)
    assert set(stored.region_code) == {"15"} and set(stored.source) == {"pihps"}
    for column, code_ in mapping.items():
        expected = source[["Tanggal", column]].dropna()
        got = stored[stored.commodity == code_].sort_values("date")
        assert got.date.astype(str).str[:10].tolist() == expected.Tanggal.tolist()
        assert got.value.tolist() == expected[column].tolist()
    assert set(stored.commodity) == set(mapping.values())
    assert len(stored) == sum(source[c].notna().sum() for c in mapping)
    assert "Cabai Rawit" in result.details["ignored_columns"]


@pytest.mark.slow
def test_cli_dry_run_json_for_the_dashboard(tmp_path, capsys):
    env = {**os.environ, "JSW_DB": str(tmp_path / "w.duckdb"), "JSW_RAW_DIR": str(tmp_path / "raw")}
    completed = subprocess.run(
        [sys.executable, "-m", "ingest", "file", str(bad_file(tmp_path)), "--dry-run", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    body = json.loads(completed.stdout)
    assert body["status"] == "dry_run" and body["rows_rejected"] == len(BAD_ROWS)
    assert {"row", "column", "reason_id", "reason_en", "raw"} <= set(body["error_rows"][0])
    first = body["preview"][0]
    assert (first["row"], first["region_code"], first["metric"], first["value"]) == (
        2,
        "1509",
        "stock",
        100.0,
    )
    assert {p["row"] for p in body["preview"]} == {2, 3 + len(BAD_ROWS)}
    assert not (tmp_path / "w.duckdb").exists()
    code = ingest_main(
        ["file", str(bad_file(tmp_path)), "--user", "siti", "--db", str(tmp_path / "w.duckdb")]
    )
    assert code == 3 and "--accept-partial" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()


# ---------------------------------------------------------------- real layouts, one per kind
def facts_of(path: Path, **options) -> tuple[dict[tuple, float], object]:
    """(date, region, commodity, metric) -> value of a file, and the whole parse."""
    parsed = parse_file(path, Options(**options), upload_limits=False)
    facts = {
        (f.date.isoformat(), f.region_code, f.commodity, f.metric): f.value for f in parsed.facts
    }
    return facts, parsed


def test_every_sheet_is_read_or_named_with_the_reason(tmp_path):
    """Regency named by the sheet name; a recap sheet and a notes sheet are skipped and named."""
    book = openpyxl.Workbook()
    for name, stock in (("Kerinci", 120), ("Bungo", 80)):
        sheet = book.create_sheet(name)
        sheet.append(["tanggal", "komoditas", "stok", "satuan"])
        sheet.append(["05/08/2024", "Beras Medium", stock, "ton"])
    recap = book.create_sheet("Rekap")
    recap.append(["tanggal", "komoditas", "stok", "satuan"])
    recap.append(["05/08/2024", "Beras Medium", 200, "ton"])
    book["Sheet"].append(["Catatan: laporan dikirim tiap Senin"])
    book.save(tmp_path / "per_kabupaten.xlsx")
    facts, parsed = facts_of(tmp_path / "per_kabupaten.xlsx")
    assert facts == {
        ("2024-08-05", "1501", "beras_medium", "stock"): 120.0,
        ("2024-08-05", "1509", "beras_medium", "stock"): 80.0,
    }
    skipped = {s["sheet"]: s["reason"] for s in parsed.sheets_skipped}
    assert set(skipped) == {"Sheet", "Rekap"} and "summary" in skipped["Rekap"]
    assert "no table" in skipped["Sheet"]
    assert any("Rekap" in note for note in parsed.notes)


def bapanas_like(path: Path) -> Path:
    """A daily office table: title with the date, units row, two stacked blocks, footer rows."""
    header = ["No", "Kota/Kabupaten", "Beras Premium", "Beras Medium", "Bawang Merah", "tipe"]
    header += ["Beras Medium Penggilingan", "Gula Konsumsi di Petani/Pabrik Gula"]
    rows = [
        ["Harga Pangan Harian Provinsi Jambi, Kamis 26 Februari 2026"],
        [],
        header,
        ["", "", "Rp./Kg", "Rp/kg", "Rp./Kg", "konsumen", "", ""],
        [1, "Kab. Kerinci", 14900, 12483, 37667, "konsumen", "", ""],
        [2, "Kab. Tanjabbar", "-", "-", "-", "konsumen", "", ""],
        [3, "Kota Sungaipenuh", 15380, 0, 36800, "konsumen", "", ""],
        ["Rerata", "Grand Total", 15140, 12483, 37233, "konsumen", "", ""],
        ["", "HET/HAP", 14900, 12500, "36500 - 41500", "konsumen", "", ""],
        ["", "Tertinggi", 15380, 12483, 37667, "konsumen", "", ""],
        ["", "", "Kota Sungaipenuh", "Kab. Kerinci", "Kab. Kerinci", "konsumen", "", ""],
        ["", "", "", "", "", "produsen", "Rp/kg", "Rp/Kg"],
        [1, "Kab. Kerinci", "", "", "", "produsen", 12817, 15000],
        [2, "Kab. Tanjabbar", "", "", "", "produsen", "-", "-"],
        [3, "Kota Sungaipenuh", "", "", "", "produsen", 13067, "-"],
        ["Rerata", "Grand Total", "", "", "", "produsen", 12942, 15000],
    ]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_units_row_stacked_blocks_footer_rows_and_price_levels(tmp_path):
    facts, parsed = facts_of(bapanas_like(tmp_path / "harian.xlsx"))
    day = "2026-02-26"  # from the title row
    assert facts == {
        (day, "1501", "beras_premium", "price"): 14900.0,
        (day, "1501", "beras_medium", "price"): 12483.0,
        (day, "1572", "beras_premium", "price"): 15380.0,
        # producer block: mill-gate rice and farm/factory-gate sugar are their own levels
        (day, "1501", "beras_medium", "price_mill"): 12817.0,
        (day, "1501", "gula_pasir", "price_producer"): 15000.0,
        (day, "1572", "beras_medium", "price_mill"): 13067.0,
    }
    assert parsed.rejected == []
    notes = " ".join(parsed.notes)
    for words in ("title", "units row", "block 2", "'Rerata' skipped", "'HET/HAP' skipped"):
        assert words in notes, words
    assert "Bawang Merah" in notes and "1 price cell(s) of 0" in notes


def test_two_row_merged_header_units_in_header_and_stray_columns(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["LAPORAN STOK BAPOKTING"])
    sheet.append(["Tanggal", "Kabupaten/Kota", None, "Stok (Ton)", None, "Penyaluran (Ton)", None])
    sheet.append([None, None, None, "Beras Medium", "Gula Pasir", "Beras Medium", "Gula Pasir"])
    sheet.append(["5 Agu 2024", "Kab. Batang Hari", None, 40, 12.5, 3, 1])
    sheet.append(["5 Agu 2024", "Kuala Tungkal", None, 55, "-", 4, None])
    sheet.merge_cells("D2:E2")
    sheet.merge_cells("F2:G2")
    book.save(tmp_path / "dua_baris.xlsx")
    facts, parsed = facts_of(tmp_path / "dua_baris.xlsx")
    day = "2024-08-05"
    assert facts == {
        (day, "1504", "beras_medium", "stock"): 40.0,
        (day, "1504", "gula_pasir", "stock"): 12.5,
        (day, "1504", "beras_medium", "distribution"): 3.0,
        (day, "1504", "gula_pasir", "distribution"): 1.0,
        (day, "1507", "beras_medium", "stock"): 55.0,  # the seat town of Tanjung Jabung Barat
        (day, "1507", "beras_medium", "distribution"): 4.0,
    }
    assert any("two rows" in note for note in parsed.notes)


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_xls_and_ods_workbooks(tmp_path, suffix):
    header = ["tanggal", "kabupaten_kota", "komoditas", "stok", "satuan"]
    rows = [["05/08/2024", "Kodya Jambi", "LPG 3 kg", 4321, "tabung"]]
    path = tmp_path / f"laporan{suffix}"
    if suffix == ".xls":
        xlwt = pytest.importorskip("xlwt")
        book = xlwt.Workbook()
        sheet = book.add_sheet("laporan")
        for r, row in enumerate([header, *rows]):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
        book.save(str(path))
    else:
        pytest.importorskip("odf")
        pd.DataFrame(rows, columns=header).to_excel(path, engine="odf", index=False)
    facts, _ = facts_of(path)
    assert facts == {("2024-08-05", "1571", "lpg_3kg", "stock"): 4321.0}


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [("\t", "latin-1"), ("|", "utf-8"), (",", "cp1252"), (";", "utf-16")]
)
def test_csv_in_any_delimiter_and_encoding(tmp_path, delimiter, encoding):
    lines = [
        ["tanggal", "kabupaten_kota", "komoditas", "stok", "satuan", "pelapor"],
        ["05/08/2024", "Kab. Tanjabtim", "Beras Medium", "1234", "ton", "José Ñoño"],
    ]
    text = "\n".join(delimiter.join(line) for line in lines) + "\n"
    path = tmp_path / "laporan.csv"
    if encoding == "utf-16":
        path.write_bytes(text.encode("utf-16"))
        result, code = import_file(path, dry_run=True)
        assert code == 1 and "UTF-16" in result.errors[0]  # refused with what to do
        return
    path.write_bytes(text.encode(encoding))
    facts, parsed = facts_of(path)
    assert facts == {("2024-08-05", "1506", "beras_medium", "stock"): 1234.0}
    assert any("José Ñoño" in note for note in parsed.notes)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("26 Februari 2026", dt.date(2026, 2, 26)),
        ("Kamis, 26 Feb 2026", dt.date(2026, 2, 26)),
        ("7 Agu 2024", dt.date(2024, 8, 7)),
        ("7-Agt-2024", dt.date(2024, 8, 7)),
        ("1 Juni  2025 ", dt.date(2025, 6, 1)),
        ("1-2-2025", dt.date(2025, 2, 1)),
        ("01/02/2025", dt.date(2025, 2, 1)),
        (45511, dt.date(2024, 8, 7)),  # an Excel serial in a workbook cell
    ],
)
def test_indonesian_dates_in_workbooks(tmp_path, written, expected):
    path = xlsx(
        tmp_path / "tanggal.xlsx",
        [
            ["tanggal", "kabupaten_kota", "komoditas", "stok", "satuan"],
            [written, "Tebo", "Pertalite", 50, "kL"],
        ],
    )
    facts, _ = facts_of(path)
    assert facts == {(expected.isoformat(), "1508", "pertalite", "stock"): 50.0}


def test_month_periods_and_month_names_with_trailing_spaces():
    assert parse_period("2020-01") == dt.date(2020, 1, 1)
    assert parse_period("Juni ") is None  # a month without a year is not a period
    assert parse_period("Juni  2026 ") == dt.date(2026, 6, 1)
    assert find_date("harga_2026-02-26") == dt.date(2026, 2, 26)


PRICE_HEADER = "tanggal;kabupaten_kota;komoditas;harga_konsumen;satuan;pasar_outlet;pelapor"


def test_rupiah_in_both_separator_conventions(tmp_path):
    rows = [
        "05/08/2024;Kota Jambi;Beras Medium;Rp12,072;Rp/kg;Pasar Angso Duo;Budi",
        "05/08/2024;Kerinci;Beras Medium;Rp 13.500,-;Rp/kg;Pasar Sungai Penuh;Budi",
        "05/08/2024;Bungo;Beras Medium;13.250;Rp/kg;Pasar Muara Bungo;Budi",
    ]
    facts, parsed = facts_of(write(tmp_path / "harga.csv", "\n".join([PRICE_HEADER, *rows])))
    assert parsed.rejected == []
    assert facts == {
        ("2024-08-05", "1571", "beras_medium", "price"): 12072.0,
        ("2024-08-05", "1501", "beras_medium", "price"): 13500.0,
        ("2024-08-05", "1509", "beras_medium", "price"): 13250.0,
    }


def test_ambiguous_numbers_are_refused_unless_the_column_shows_its_convention(tmp_path):
    unknown = ["05/08/2024;Kota Jambi;Beras Medium;13,500;Rp/kg;Pasar A;Budi"]
    _, parsed = facts_of(write(tmp_path / "a.csv", "\n".join([PRICE_HEADER, *unknown])))
    assert parsed.facts == [] and "ambiguous" in parsed.rejected[0].reason_en
    english = unknown + ["05/08/2024;Kerinci;Beras Medium;12,750.50;Rp/kg;Pasar B;Budi"]
    facts, parsed = facts_of(write(tmp_path / "b.csv", "\n".join([PRICE_HEADER, *english])))
    assert parsed.rejected == []
    assert facts[("2024-08-05", "1571", "beras_medium", "price")] == 13500.0
    assert facts[("2024-08-05", "1501", "beras_medium", "price")] == 12750.5


def test_price_levels_are_kept_apart_or_refused(tmp_path):
    producer = write(
        tmp_path / "produsen.csv",
        "tanggal;kabupaten_kota;komoditas;harga_produsen;satuan\n05/08/2024;Kerinci;Beras Medium;10.500;Rp/kg\n",
    )
    facts, _ = facts_of(producer)
    assert facts == {("2024-08-05", "1501", "beras_medium", "price_producer"): 10500.0}
    silent = write(
        tmp_path / "harga.csv",
        "tanggal;kabupaten_kota;komoditas;harga;satuan\n05/08/2024;Kerinci;Beras Medium;13.500;Rp/kg\n",
    )
    result, code = import_file(silent, dry_run=True)
    assert code == 1 and "price level" in result.errors[0] and "--price-level" in result.errors[0]
    facts, _ = facts_of(silent, price_level="price_wholesale")
    assert facts == {("2024-08-05", "1501", "beras_medium", "price_wholesale"): 13500.0}


def test_producer_prices_are_stored_apart_from_the_consumer_price(tmp_path):
    db = tmp_path / "w.duckdb"
    path = bapanas_like(tmp_path / "harian.xlsx")
    result, code = import_file(path, db=str(db))
    assert code == 0, result.errors
    stored = read_df(
        "SELECT commodity, metric, value FROM daily_values WHERE region_code = '1501'", path=db
    )
    consumer = stored[stored.metric == "price"]
    assert sorted(consumer.value) == [12483.0, 14900.0]  # 12817 (mill-gate) is not among them
    assert set(stored.metric) == {"price", "price_mill", "price_producer"}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Ma. Jambi", "1505"),
        ("MUAROJAMBI", "1505"),
        ("Tanjabar", "1507"),
        ("TANJABBARAT", "1507"),
        ("Kab. Tanjab Tim", "1506"),
        ("Kodya Jambi", "1571"),
        ("Kota. Jambi", "1571"),
        ("Kota Sungaipenuh", "1572"),
        ("Kab. Batang Hari", "1504"),
        ("Pemerintah Kab. Batang Hari", "1504"),
        ("UPTD PPD SAMSAT KAB. BUNGO", "1509"),
        ("Muara Sabak", "1506"),
        ("Sengeti", "1505"),
        ("Muara Bulian", "1504"),
        ("Bangko", "1502"),
        ("Muara Tebo", "1508"),
        ("Kuala Tungkal", "1507"),
    ],
)
def test_real_regency_spellings_and_seat_towns(written, code):
    assert resolve_region_name(written) == code


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("Jambi", "ambiguous"),
        ("Kab. Jambi", "historical"),
        ("Bungo Tebo", "split in 1999"),
        ("1507", "code, not a name"),
        ("Kota Bangko", "not known"),
    ],
)
def test_ambiguous_historical_and_unknown_names_are_refused_with_the_reason(written, words):
    with pytest.raises(ValueProblem) as problem:
        resolve_region_name(written)
    assert words in problem.value.message_en


def test_unknown_names_get_a_suggestion_the_officer_can_accept(tmp_path):
    row = "05/08/2024;Kab. Merangn;Beras Medium;10;1;0;ton;Budi"
    path = write(tmp_path / "saran.csv", "\n".join([HEADER_ID, row]))
    result, code = import_file(path, dry_run=True)
    assert result.rows_rejected == 1 and "did you mean Merangin" in result.errors[0]
    unknown = result.details["unknown_regions"]
    assert unknown[0]["name"] == "Kab. Merangn" and unknown[0]["suggestions"][0]["code"] == "1502"
    db = tmp_path / "w.duckdb"
    result, code = import_file(path, db=str(db), aliases={"KAB MERANGN": "1502"})
    assert code == 0 and result.rows_loaded == 1 and "KAB MERANGN -> 1502" in result.message
    assert read_df("SELECT DISTINCT region_code FROM facts", path=db).region_code.tolist() == [
        "1502"
    ]


def test_an_impossible_value_refuses_the_whole_row(tmp_path):
    rows = [
        "05/08/2024;Kota Jambi;LPG 3 kg;12.500;4.200.000.000.000.000;1.000;tabung;Budi",
        "05/08/2024;Kerinci;Beras Medium;40;2;0;ton;Budi",
    ]
    path = write(tmp_path / "mustahil.csv", "\n".join([HEADER_ID, *rows]))
    facts, parsed = facts_of(path)
    assert facts == {
        ("2024-08-05", "1501", "beras_medium", "stock"): 40.0,
        ("2024-08-05", "1501", "beras_medium", "distribution"): 2.0,
        ("2024-08-05", "1501", "beras_medium", "delivery"): 0.0,
    }  # nothing of row 2, not even its plausible stock
    assert [r.row_number for r in parsed.rejected] == [2]
    assert "impossible" in parsed.rejected[0].reason_en


def test_history_loads_from_the_cli_beyond_the_upload_row_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("JSW_UPLOAD_MAX_ROWS", "20")
    start = dt.date(2024, 6, 1)
    rows = [
        f"{start + dt.timedelta(days=n):%d/%m/%Y};Kota Jambi;LPG 3 kg;{10_000 + n};0;0;tabung;Budi"
        for n in range(60)
    ]
    path = write(tmp_path / "riwayat.csv", "\n".join([HEADER_ID, *rows]))
    result, code = import_file(path, dry_run=True)  # the web upload keeps its limit
    assert code == 1 and "above the 20 limit" in result.errors[0]
    db = tmp_path / "w.duckdb"
    code = ingest_main(["file", str(path), "--db", str(db)])
    assert code == 0
    stored = read_df("SELECT count(*) AS n FROM facts WHERE metric = 'stock'", path=db)
    assert stored.n[0] == 60


def test_upload_preview_values_are_in_indonesian_format():
    data = {
        "preview": [
            {"row": 2, "date": "2024-08-05", "region_code": "1571", "commodity": "lpg_3kg",
             "metric": "stock", "value": 4321.0, "unit": "tabung"},
            {"row": 3, "date": "2024-08-05", "region_code": "1501", "commodity": "beras_medium",
             "metric": "price", "value": 13500.0, "unit": "Rp/kg"},
            {"row": 4, "date": "2024-08-05", "region_code": "1501", "commodity": "beras_medium",
             "metric": "stock", "value": 1234.5, "unit": "ton"},
        ]
    }  # fmt: skip
    frame = preview_rows(data, {}, {}, "id")
    assert frame.iloc[:, -1].tolist() == ["4.321 tabung", "Rp 13.500/kg", "1.234,5 ton"]
    english = preview_rows(data, {}, {}, "en")
    assert english.iloc[:, -1].tolist() == ["4,321 tabung", "Rp 13,500/kg", "1,234.5 ton"]


# ---------------------------------------------------------------- the real office files
def run_ingest(args: list[str], province: str, tmp_path: Path) -> dict:
    """``python -m ingest file ... --json`` for a deployment in ``province`` (JSW_PROVINCE)."""
    env = {
        **os.environ,
        "JSW_PROVINCE": province,
        "JSW_DB": str(tmp_path / f"w{province}.duckdb"),
        "JSW_RAW_DIR": str(tmp_path / "raw"),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "ingest", "file", *args, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.stdout, completed.stderr[-2000:]
    return json.loads(completed.stdout)


def stored_facts(db: Path) -> dict[tuple, float]:
    frame = read_df("SELECT date, region_code, commodity, metric, value FROM facts", path=db)
    return {
        (str(r.date)[:10], r.region_code, r.commodity, r.metric): r.value
        for r in frame.itertuples()
    }


@pytest.mark.slow
def test_real_bapanas_daily_table_loads_cell_by_cell(realdata, tmp_path):
    """Checked by hand against the workbook: C3 14900 and D3 12483 (Kab. Pacitan, consumer),
    C40 14900 (Kota Batu), row 4 all '-' (Kab. Ponorogo), AG51 12800 (Kab. Tulungagung, Beras
    Medium Penggilingan, producer block) and AM53 15000 (Kab. Kediri, Gula Konsumsi di
    Petani/Pabrik Gula); rows 41-46 and 86-91 are footers; the date is in the file name."""
    path = str(realdata / "officer_files" / "bapanas_jatim_harian_kabkota_2026-02-26.xlsx")
    refused = run_ingest([path, "--dry-run"], "15", tmp_path)
    assert refused["status"] == "failed" and "Jawa Timur Province" in refused["errors"][0]
    body = run_ingest([path, "--user", "tester"], "35", tmp_path)
    assert body["status"] == "success" and body["rows_rejected"] == 0, body["errors"][:3]
    facts = stored_facts(tmp_path / "w35.duckdb")
    day = "2026-02-26"
    assert facts[(day, "3501", "beras_premium", "price")] == 14900.0
    assert facts[(day, "3501", "beras_medium", "price")] == 12483.0
    assert facts[(day, "3579", "beras_premium", "price")] == 14900.0
    assert not [k for k in facts if k[1] == "3502" and k[3] == "price"]
    assert facts[(day, "3504", "beras_medium", "price_mill")] == 12800.0
    assert facts[(day, "3506", "gula_pasir", "price_producer")] == 15000.0
    assert {k[0] for k in facts} == {day} and 14796.0 not in facts.values()
    assert len({k[1] for k in facts}) == 37  # all but Kab. Ponorogo (rows 4 and 49 all "-")
    assert any("block 2" in note for note in body["notes"])


@pytest.mark.slow
def test_real_satu_data_export_loads_once_its_price_level_is_told(realdata, tmp_path):
    """Checked by hand: row 2 (KABUPATEN PACITAN, 2020-01, BERAS MEDIUM, jumlah 8500) and row 3
    (BERAS PREMIUM 10500); GABAH/JAGUNG/KEDELAI rows are not watched; jumlah 0 = no data; row
    176 repeats KOTA KEDIRI 2020-01 BERAS MEDIUM (8721) after row 32 (8704): refused, not guessed."""
    path = str(realdata / "officer_files" / "jatim_harga_pertanian_kabkota_2020_2025.xlsx")
    assert "Jawa Timur" in run_ingest([path, "--dry-run"], "15", tmp_path)["errors"][0]
    untold = run_ingest([path, "--dry-run"], "35", tmp_path)
    assert untold["status"] == "failed" and "price level" in untold["errors"][0]
    args = [path, "--price-level", "konsumen", "--accept-partial"]
    body = run_ingest(args, "35", tmp_path)
    assert body["status"] == "success", body["errors"][:3]
    assert {row["row"] for row in body["error_rows"]} >= {176}
    assert all("duplicate" in row["reason_en"] for row in body["error_rows"])
    facts = stored_facts(tmp_path / "w35.duckdb")
    assert facts[("2020-01-01", "3501", "beras_medium", "price")] == 8500.0
    assert facts[("2020-01-01", "3501", "beras_premium", "price")] == 10500.0
    assert facts[("2020-01-01", "3571", "beras_medium", "price")] == 8704.0
    assert {k[2] for k in facts} == {"beras_medium", "beras_premium"}
    assert min(facts.values()) > 0


@pytest.mark.slow
def test_real_pihps_per_market_csv_is_refused_with_the_reason(realdata, tmp_path):
    """`No;Komoditas;Tanggal;Provinsi;Kota / Kelurahan;Pasar;Harga (Rp)`: Jawa Barat, Bawang Merah."""
    path = str(realdata / "officer_files" / "pihps_jabar_bawang_merah_per_pasar_2019_2025.csv")
    assert "Jawa Barat" in run_ingest([path, "--dry-run"], "15", tmp_path)["errors"][0]
    body = run_ingest([path, "--dry-run"], "32", tmp_path)
    assert "does not watch: Bawang Merah (32742) rows" in body["errors"][0]


def test_accepted_suggestions_map_the_name_in_the_upload_service(tmp_path):
    hints = [{"code": "1502", "name": "Merangin", "score": 93.0}]
    choices = suggestion_choices(hints, "(biarkan ditolak)")
    assert list(choices) == ["Merangin (1502)", "(biarkan ditolak)"]
    assert choices["(biarkan ditolak)"] == ""
    body = "\n".join([HEADER_ID, "05/08/2024;Kab. Merangn;LPG 3 kg;12.500;1.150;1.000;tabung;Siti"])
    db = str(tmp_path / "w.duckdb")
    refused = check_officer_file(db, "laporan.csv", body.encode(), "petugas")
    assert refused.rows_rejected == 1 and not refused.preview
    accepted = check_officer_file(
        db, "laporan.csv", body.encode(), "petugas", aliases={"Kab. Merangn": "1502"}
    )
    assert accepted.rows_rejected == 0
    assert {row["region_code"] for row in accepted.preview} == {"1502"}


def test_a_held_value_holds_its_whole_row(tmp_path):
    """Stock typed ten times too large: the 8x guard holds it, and the row's other values with it."""
    db = tmp_path / "w.duckdb"
    start = dt.date(2024, 7, 20)
    history = [
        f"{start + dt.timedelta(days=n):%d/%m/%Y};Kota Jambi;LPG 3 kg;12.500;1.000;1.000;tabung;Budi"
        for n in range(10)
    ]
    assert (
        import_file(write(tmp_path / "riwayat.csv", "\n".join([HEADER_ID, *history])), db=str(db))[
            1
        ]
        == 0
    )
    odd = "30/07/2024;Kota Jambi;LPG 3 kg;125.000;1.100;1.000;tabung;Budi"
    result, code = import_file(
        write(tmp_path / "salah.csv", "\n".join([HEADER_ID, odd])), db=str(db)
    )
    assert code == 0 and result.details["facts_held"] == 3, result.details
    held = read_df("SELECT metric, value, ratio FROM held_values ORDER BY metric", path=db)
    assert held.metric.tolist() == ["delivery", "distribution", "stock"]
    assert held.set_index("metric").ratio["stock"] == pytest.approx(10.0)
    stored = read_df("SELECT count(*) AS n FROM facts WHERE date = DATE '2024-07-30'", path=db)
    assert stored.n[0] == 0


def test_regencies_as_columns_commodity_and_metric_from_the_title(tmp_path):
    """Dates down, one column per regency; 'HARGA BERAS MEDIUM … (konsumen)' in the title; yesterday's
    price, the HET and a province row are not observations."""
    rows = [
        ["HARGA ECERAN BERAS MEDIUM (Rp/kg) TINGKAT KONSUMEN"],
        ["Tanggal", "Kerinci", "Kota Jambi", "Ma. Jambi", "HET", "Provinsi Jambi"],
        ["5 Agu 2024", 13500, 13750, "-", 13100, 13600],
        ["6 Agu 2024", 13550, 13800, 13400, 13100, 13650],
    ]
    facts, parsed = facts_of(xlsx(tmp_path / "harga_kolom.xlsx", rows))
    assert facts == {
        ("2024-08-05", "1501", "beras_medium", "price"): 13500.0,
        ("2024-08-05", "1571", "beras_medium", "price"): 13750.0,
        ("2024-08-06", "1501", "beras_medium", "price"): 13550.0,
        ("2024-08-06", "1571", "beras_medium", "price"): 13800.0,
        ("2024-08-06", "1505", "beras_medium", "price"): 13400.0,
    }
    assert {"HET", "Provinsi Jambi"} <= set(parsed.ignored_columns)


def test_commodity_from_the_sheet_name_and_regency_from_the_title(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LPG 3 Kg"
    sheet.append(["LAPORAN STOK PANGKALAN KABUPATEN TANJUNG JABUNG TIMUR"])
    sheet.append(["Hari/Tanggal", "Stok", "Penyaluran", "Harga Kemarin", "Satuan"])
    sheet.append(["Senin, 05 Agustus 2024", 3200, 410, 19000, "tabung"])
    sheet.append(["Provinsi Jambi", 99999, 9999, None, "tabung"])
    book.save(tmp_path / "pangkalan.xlsx")
    facts, parsed = facts_of(tmp_path / "pangkalan.xlsx")
    assert facts == {
        ("2024-08-05", "1506", "lpg_3kg", "stock"): 3200.0,
        ("2024-08-05", "1506", "lpg_3kg", "distribution"): 410.0,
    }
    assert parsed.rejected == []  # the province row is a summary, skipped and named
    notes = " ".join(parsed.notes)
    assert "'Provinsi Jambi' skipped" in notes
    assert (
        "commodity taken from 'LPG 3 Kg'" in notes
        and "regency taken from .LAPORAN STOK PANGKALAN" in notes.replace("'", ".")
    )
    assert "Harga Kemarin" in parsed.ignored_columns


def test_a_national_table_keeps_the_home_province_rows(tmp_path):
    """Province-level prices of every province: Jambi's rows load at the province, the others
    are counted and skipped; a table of other provinces only is refused, naming them."""
    lines = [
        "Tanggal,Komoditas,Provinsi,Harga",
        "19/05/2022,Beras Premium,Nusa Tenggara Barat,10600.0",
        "19/05/2022,Beras Premium,Jambi,11909.0",
        "20/05/2022,Beras Premium,Jambi,",
        "20/05/2022,Beras Premium,Aceh,11000.0",
    ]
    path = write(tmp_path / "provinsi.csv", "\n".join(lines))
    facts, parsed = facts_of(path, price_level="price")
    assert facts == {("2022-05-19", "15", "beras_premium", "price"): 11909.0}
    assert any("2 row(s) of other provinces skipped" in note for note in parsed.notes)
    foreign = write(tmp_path / "lain.csv", "\n".join(lines[:2] + lines[-1:]))
    result, code = import_file(foreign, dry_run=True, price_level="konsumen")
    assert code == 1 and "Aceh, Nusa Tenggara Barat" in result.errors[0]


def test_a_long_price_export_with_yesterday_columns_reads_today_only(tmp_path):
    """A Bapanas-style export: 'Harga Kemarin', 'Tanggal Kemarin' and the gaps are not read."""
    lines = [
        "Timestamp,ID,Komoditas,Satuan,Harga,Harga Kemarin,Tanggal Kemarin,Gap,Gap Persen",
        "2025-09-13,27,Beras Premium,Rp./Kg,16000,15500,12-9-2025,500,3.23",
        "2025-09-13,28,Beras Medium,Rp./Kg,0,13250,12-9-2025,0,0",
        "2025-09-13,35,Cabai Rawit Merah,Rp./Kg,60000,58000,12-9-2025,2000,3.4",
    ]
    path = write(tmp_path / "harga_konsumen_kab_kerinci.csv", "\n".join(lines))
    facts, parsed = facts_of(path)
    assert facts == {("2025-09-13", "1501", "beras_premium", "price"): 16000.0}
    assert {"Harga Kemarin", "Tanggal Kemarin", "Gap Persen"} <= set(parsed.ignored_columns)
    notes = " ".join(parsed.notes)
    assert "Cabai Rawit Merah (1 rows)" in notes and "1 price cell(s) of 0" in notes


def test_dates_as_columns_with_regencies_down_the_rows(tmp_path):
    rows = [
        ["Stok LPG 3 kg (tabung) per kabupaten/kota"],
        ["Kabupaten/Kota", dt.datetime(2024, 8, 5), "06/08/2024", "7 Agu 2024"],
        ["Kab. Sarolangun", 5100, 4900, "-"],
        ["Muara Bungo", 7200, 7150, 7000],
        ["Jumlah", 12300, 12050, 7000],
    ]
    facts, parsed = facts_of(xlsx(tmp_path / "stok_harian.xlsx", rows))
    assert facts == {
        ("2024-08-05", "1503", "lpg_3kg", "stock"): 5100.0,
        ("2024-08-06", "1503", "lpg_3kg", "stock"): 4900.0,
        ("2024-08-05", "1509", "lpg_3kg", "stock"): 7200.0,
        ("2024-08-06", "1509", "lpg_3kg", "stock"): 7150.0,
        ("2024-08-07", "1509", "lpg_3kg", "stock"): 7000.0,
    }
    assert parsed.rejected == [] and any("'Jumlah' skipped" in n for n in parsed.notes)


def test_a_data_row_is_never_taken_for_a_header(tmp_path):
    row = "01/08/2024;Kota Jambi;LPG 3 kg;310.000;16.000;15.500;tabung;Budi"
    result, code = import_file(write(tmp_path / "tanpa_judul.csv", f"{row}\n{row}\n"), dry_run=True)
    assert code == 1 and "Required columns are missing" in result.errors[0]
