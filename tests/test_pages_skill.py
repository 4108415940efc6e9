"""Kesehatan Data shows the stored alert skill with its 90 % ranges beside the old figures."""

from __future__ import annotations

import pytest

from forecasting import score
from tests.test_pages_alerts import app
from tests.test_skill_score import INCIDENTS, YEAR, _firings, _pairs

pytestmark = pytest.mark.usefixtures("fresh_page_caches")


def _skill_table(at):
    for frame in at.dataframe:
        value = frame.value
        if len(value.columns) and value.columns[0] in ("Ukuran", "Measure"):
            return value
    return None


@pytest.mark.slow
def test_without_a_score_the_page_says_how_to_make_one(pages_db):
    at = app(page="pages/kesehatan_data.py")
    assert not at.exception
    assert any("forecasting score" in i.value for i in at.info)
    assert _skill_table(at) is None


@pytest.mark.slow
def test_the_latest_score_is_shown_with_ranges_and_the_old_figures(pages_db):
    firings = _firings(
        [
            ("2025-03-05", "1501", "lpg_3kg", "stock", "A1"),
            ("2025-08-09", "1571", "beras_medium", "price", "A4"),
            ("2025-10-01", "1502", "lpg_3kg", "stock", "A5"),
        ]
    )
    pairs = _pairs([("1501", "lpg_3kg", "stock"), ("1502", "lpg_3kg", "stock"),
                    ("1571", "beras_medium", "price")])  # fmt: skip
    legacy = score.score_firings(firings, INCIDENTS, YEAR)
    result = {
        "replay_id": "replay-test", "date_from": "2025-01-01", "date_to": "2025-12-31",
        "incidents_source": "kejadian_2025.csv",
        "skill": score.skill_scores(firings, INCIDENTS, YEAR, pairs),
        "legacy": {k: v for k, v in legacy.items() if k != "details"},
    }  # fmt: skip
    score.store_score(pages_db, result)
    at = app(page="pages/kesehatan_data.py")
    assert not at.exception
    table = _skill_table(at)
    assert table is not None
    rows = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert rows["Deteksi: semua kejadian"] == "2/3"
    assert rows["Deteksi: quota cut"] == "1/2"
    assert rows["Median jarak waktu (hari)"] == "5,5"
    ranges = dict(zip(table.iloc[:, 0], table.iloc[:, 2], strict=True))
    assert ranges["Deteksi: semua kejadian"].startswith("0,")
    old = dict(zip(table.iloc[:, 0], table.iloc[:, 3], strict=True))
    assert old["Deteksi: semua kejadian"] == "recall 0,67"
    assert any("kejadian_2025.csv" in c.value for c in at.caption)
