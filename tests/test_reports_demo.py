"""The weekly export on the shared demo warehouse (and on the forecast warehouse when present)."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.export import read_back, write_export
from reports.weekly import build_weekly
from reports.weeks import IsoWeek
from warehouse.db import read_df

DEMO_END = dt.date(2026, 11, 20)  # the demo_warehouse fixture ends on this Friday


def test_demo_export_matches_sql_over_daily_values(demo_warehouse, tmp_path):
    export = build_weekly(demo_warehouse, today=DEMO_END + dt.timedelta(days=1))
    assert export.week == IsoWeek(2026, 46) and not export.stale
    expected = read_df(
        "SELECT region_code, commodity, avg(value) AS mean_price, count(*) AS n"
        " FROM daily_values WHERE metric = 'price' AND date BETWEEN ? AND ?"
        " GROUP BY ALL",
        [export.week.monday, export.week.monday + dt.timedelta(days=2)],
        path=demo_warehouse,
    ).set_index(["region_code", "commodity"])
    detail = export.detail.set_index(["region_code", "commodity"])
    assert len(detail) == 11 * detail.index.get_level_values("commodity").nunique()
    reported = detail[detail.mean_price.notna()].index
    assert set(reported) == set(expected.index)  # rows without reports stay empty
    diffs = (detail.loc[expected.index, "mean_price"] - expected["mean_price"]).abs()
    assert (diffs <= 0.005 + 1e-9).all()
    assert (detail.loc[expected.index, "days_reported"] == expected["n"]).all()
    written = write_export(export, tmp_path, "excel-id")
    back = read_back(tmp_path / f"jsw_weekly_detail_{export.week.label}_excel-id.csv", "excel-id")
    assert len(back) == written.manifest["rows"]["detail"] == len(export.detail)
    assert back.mean_price.sum() == pytest.approx(export.detail.mean_price.sum(), abs=0.01)


def test_forecast_warehouse_statuses_reach_the_export(request):
    try:
        path = request.getfixturevalue("forecast_warehouse")
    except pytest.FixtureLookupError:
        pytest.skip("forecast_warehouse fixture not available")
    newest = read_df("SELECT max(date) AS d FROM facts", path=path).d[0]  # a Timestamp
    export = build_weekly(path, today=newest, allow_stale=True)
    latest_run = read_df(
        "SELECT s.run_id FROM statuses s LEFT JOIN forecast_runs r USING (run_id)"
        " WHERE s.as_of <= ? GROUP BY s.run_id"
        " ORDER BY max(s.as_of) DESC, max(r.created_at) DESC LIMIT 1",
        [export.week.sunday + dt.timedelta(days=7)],
        path=path,
    )
    assert export.status_run_id == latest_run.run_id[0]
    statuses = read_df(
        "SELECT region_code, commodity, level FROM statuses WHERE run_id = ?",
        [export.status_run_id],
        path=path,
    ).set_index(["region_code", "commodity"])
    detail = export.detail.set_index(["region_code", "commodity"])
    common = detail.index.intersection(statuses.index)
    assert len(common) > 0
    assert (detail.loc[common, "status_level"].astype(int) == statuses.loc[common, "level"]).all()
    in_alert = set(detail[detail.status_level.fillna(0) >= 2].index.get_level_values(0))
    flagged = set(export.regencies[export.regencies.in_alert == 1].region_code)
    assert flagged == in_alert
