"""The honest alert skill: detection by kind and place, episodes, precision, intervals, files."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from forecasting import ground_truth, score
from warehouse.db import init_warehouse

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _incidents(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["incident_id", "region_code", "commodity", "kind", "cause_date", "start_date",
                 "end_date"],
    )  # fmt: skip
    for column in ("cause_date", "start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _firings(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["as_of", "region_code", "commodity", "kind", "alert_id"])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def _pairs(pairs: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["region_code", "commodity", "kind"])


INCIDENTS = _incidents(
    [
        ("a", "1501", "lpg_3kg", "quota_cut", "2025-03-01", "2025-03-15", "2025-03-25"),
        ("b", "1502", "lpg_3kg", "quota_cut", "2025-06-01", "2025-06-12", "2025-06-20"),
        ("c", "1571", "beras_medium", "price_spike", "2025-08-01", "2025-08-10", "2025-08-20"),
    ]
)


def test_only_a_warning_of_the_incidents_kind_and_place_between_cause_and_breach_counts():
    firings = _firings(
        [
            ("2025-03-05", "1501", "lpg_3kg", "stock", "A1"),  # warning 10 days ahead
            ("2025-03-20", "1501", "lpg_3kg", "stock", "A1"),  # during the breach
            ("2025-06-05", "1502", "lpg_3kg", "price", "A2"),  # wrong kind
            ("2025-06-14", "1502", "lpg_3kg", "stock", "A3"),  # after the breach: late
            ("2025-07-25", "1571", "beras_medium", "price", "A4"),  # before the cause: false
            ("2025-08-09", "1571", "beras_medium", "price", "A4"),  # joins A4, 1 day ahead
        ]
    )
    pairs = _pairs([("1501", "lpg_3kg", "stock"), ("1502", "lpg_3kg", "stock"),
                    ("1502", "lpg_3kg", "price"), ("1571", "beras_medium", "price")])  # fmt: skip
    result = score.skill_scores(firings, INCIDENTS, YEAR, pairs)
    leads = {d["incident_id"]: d["lead_days"] for d in result["details"]}
    assert leads == {"a": 10, "b": None, "c": 1}
    assert result["pod_by_kind"]["quota_cut"]["detected"] == 1
    assert result["pod_by_kind"]["price_spike"]["pod"] == 1.0
    assert [d["first_alert"] for d in result["details"]][1] == "2025-06-14"
    # episodes: A1 true, A2 false (price alert on a stock incident), A3 true (in the incident),
    # A4 true (one of its days is in the incident window)
    assert result["false_alarms"]["all"]["false_episodes"] == 1
    assert result["false_alarms"]["price"]["false_episodes"] == 1
    assert result["false_alarms"]["stock"]["false_episodes"] == 0
    # 3 pairs with data, one year: 1 false episode / 3 pair-years
    assert result["false_alarms"]["all"]["per_pair_year"] == pytest.approx(1 / 3, abs=0.01)
    # warning days: 03-05, 08-09; false days: 06-05 (price), 07-25; in-breach days left out
    precision = result["warning_precision"]
    assert (precision["warning_days"], precision["false_days"]) == (2, 2)
    assert precision["precision"] == 0.5


def test_intervals_are_honest_about_small_counts():
    assert score.pod_interval(11, 11)[0] == pytest.approx(0.762, abs=0.002)
    assert score.pod_interval(11, 11)[1] == 1.0
    low, high = score.pod_interval(5, 10)
    assert low < 0.5 < high and high - low > 0.4
    firings = _firings([("2025-03-01", "1501", "lpg_3kg", "stock", f"X{i}") for i in range(1)])
    pairs = _pairs([(str(1501 + i), "lpg_3kg", "stock") for i in range(10)])
    result = score.skill_scores(firings, INCIDENTS.iloc[0:0], YEAR, pairs)
    block = result["false_alarms"]["stock"]
    assert block["per_pair_year"] == pytest.approx(0.1, abs=0.001)
    low, high = block["per_pair_year_interval"]
    assert low == 0.0 and 0.1 < high <= 0.4


def test_incidents_outside_the_replayed_period_do_not_count_and_missing_cause_uses_30_days():
    incidents = _incidents(
        [
            ("old", "1501", "lpg_3kg", "stop", "2024-05-01", "2024-05-10", "2024-05-20"),
            ("nocause", "1501", "lpg_3kg", "stop", None, "2025-05-10", "2025-05-20"),
        ]
    )
    firings = _firings([("2025-04-12", "1501", "lpg_3kg", "stock", "B1")])
    result = score.skill_scores(firings, incidents, YEAR, _pairs([("1501", "lpg_3kg", "stock")]))
    assert result["incidents"] == 1
    assert result["details"][0]["lead_days"] == 28


def _incidents_file(tmp_path: Path, name: str, content: str) -> tuple[Path, Path]:
    """An empty warehouse and an incidents file ``name`` holding ``content``."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return init_warehouse(tmp_path / "w.duckdb"), path


def test_a_hand_written_file_reads_names_codes_and_day_first_dates(tmp_path):
    db, path = _incidents_file(
        tmp_path,
        "kejadian.csv",
        "wilayah;komoditas;jenis;tanggal_sebab;mulai;selesai;catatan\n"
        "Kab. Kerinci;LPG 3 kg;kuota dipotong;01/03/2025;15/03/2025;25/03/2025;SPBE\n"
        "1571;beras_medium;harga naik;;2025-08-10;;pasar\n"
        "Tanjab Barat;Pertalite;stock;2025-06-01;2025-06-12;2025-06-20;\n",
    )
    frame = ground_truth.read_incidents_file(path, db)
    assert frame["region_code"].tolist() == ["1501", "1571", "1507"]
    assert frame["commodity"].tolist() == ["lpg_3kg", "beras_medium", "pertalite"]
    assert frame["start_date"].iloc[0] == pd.Timestamp("2025-03-15")
    assert pd.isna(frame["cause_date"].iloc[1])
    assert frame["end_date"].iloc[1] == frame["start_date"].iloc[1]
    assert [ground_truth.alert_kind_of(k) for k in frame["kind"]] == ["stock", "price", "stock"]


def test_a_bad_file_names_every_bad_row_and_column(tmp_path):
    db, path = _incidents_file(
        tmp_path,
        "bad.csv",
        "region,commodity,kind,cause_date,start,end,note\n"
        "Kota Jambi,lpg_3kg,stop,2025-03-01,2025-03-15,2025-03-25,ok\n"
        "Atlantis,lpg_3kg,stop,2025-03-01,2025-03-15,2025-03-25,\n"
        "Kota Jambi,avtur,stop,2025-03-20,2025-03-15,32/13/2025,\n",
    )
    with pytest.raises(ground_truth.IncidentFileError) as caught:
        ground_truth.read_incidents_file(path, db)
    message = str(caught.value)
    assert "row 3, column region: 'Atlantis'" in message
    assert "row 4, column commodity: 'avtur'" in message
    assert "row 4, column end: '32/13/2025' is not a date" in message
    assert "row 4, column cause_date" in message
    assert "row 2" not in message
    missing = tmp_path / "nohead.csv"
    missing.write_text("region,commodity\nKota Jambi,lpg_3kg\n", encoding="utf-8")
    with pytest.raises(ground_truth.IncidentFileError, match="row 1: missing column"):
        ground_truth.read_incidents_file(missing, db)


@pytest.mark.slow
def test_score_command_rejects_a_bad_file_with_a_clear_message_and_stores_nothing(tmp_path):
    db, path = _incidents_file(
        tmp_path, "bad.csv", "region,commodity,kind,start\nJambi,lpg_3kg,stop,2025-01-01\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "forecasting", "score", "--db", str(db), "--json",
         "--incidents", str(path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "row 2, column region: 'Jambi'" in json.loads(done.stdout)["error"]
