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
from ingest.officer_file import import_file
from ingest.template import CSV_TEMPLATE, EXAMPLE_ROWS, XLSX_TEMPLATE
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
