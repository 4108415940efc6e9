"""Weekly price backtest split by weeks with and without a price step, with Diebold–Mariano.

Real PIHPS prices move in steps: most weeks repeat last week's price exactly, so a backtest
over all weeks mostly measures flat weeks, which the naive forecast gets right by definition.
Here every rolling origin (one per week) forecasts ``h`` weeks ahead with the naive model and
the candidates; a target week **has a step** when its weekly mean differs from the last
observed week by more than 0.1 %. For each group (flat / step) and model: MAE, RMSE, and a
Diebold–Mariano test of squared-error loss against naive (Newey–West variance with ``h − 1``
lags, Harvey–Leybourne–Newbold small-sample correction, two-sided p from Student t), pooled
over series (series are correlated, so the p-values are optimistic).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.models import fit_predict, regular_series

STEP_PCT = 0.1
MODELS = ("ets", "uc_calendar")


def weekly(series: pd.Series) -> pd.Series:
    """W-MON weekly means of a daily series, gaps interpolated."""
    return regular_series(series.resample("W-MON").mean().dropna(), "W-MON")


def origin_errors(y: pd.Series, h: int, n_origins: int, models=MODELS) -> pd.DataFrame:
    """Errors at horizon ``h`` of naive and each model from ``n_origins`` weekly origins."""
    last = len(y) - h
    first = max(30, last - n_origins + 1)
    params: dict[str, np.ndarray | None] = {}
    rows = []
    for n in range(first, last + 1):
        train, actual = y.iloc[:n], float(y.iloc[n + h - 1])
        base = float(train.iloc[-1])
        step = abs(actual / base - 1) * 100 > STEP_PCT
        row = {"origin": train.index[-1], "step": step, "naive": actual - base}
        for model in models:
            try:
                output = fit_predict(train, h, model, (80,), params.get(model))
            except (ValueError, FloatingPointError, np.linalg.LinAlgError):
                row[model] = np.nan
                continue
            params.setdefault(model, output.params)
            row[model] = actual - float(output.mean[h - 1])
        rows.append(row)
    return pd.DataFrame(rows)


def diebold_mariano(e_model: np.ndarray, e_naive: np.ndarray, h: int) -> dict:
    """DM test of squared-error loss (model − naive); negative statistic = model better."""
    d = e_model**2 - e_naive**2
    d = d[~np.isnan(d)]
    n = len(d)
    if n < 8 or np.allclose(d, 0):
        return {"dm": None, "p_value": None, "n": n}
    centred = d - d.mean()
    variance = centred @ centred / n
    for lag in range(1, h):
        variance += 2 * (1 - lag / h) * (centred[lag:] @ centred[:-lag]) / n
    if variance <= 0:
        return {"dm": None, "p_value": None, "n": n}
    dm = d.mean() / np.sqrt(variance / n)
    correction = np.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    statistic = float(dm * correction)
    return {"dm": round(statistic, 2), "p_value": round(float(2 * stats.t.sf(abs(statistic), n - 1)), 4),
            "n": n}  # fmt: skip


def step_split(series: dict[str, pd.Series], h: int = 1, n_origins: int = 104) -> dict:
    """Backtest every weekly series; MAE/RMSE and DM per group (all, flat, step) and model."""
    errors = pd.concat(
        [origin_errors(y, h, n_origins).assign(series=name) for name, y in series.items()],
        ignore_index=True,
    )
    groups = {"all": errors, "flat": errors[~errors["step"]], "step": errors[errors["step"]]}
    out: dict = {"horizon_weeks": h, "step_pct": STEP_PCT, "series": sorted(series)}
    for group, frame in groups.items():
        block: dict = {"weeks": int(len(frame))}
        for model in ("naive", *MODELS):
            e = frame[model].to_numpy(float)
            block[model] = {"mae": round(float(np.nanmean(np.abs(e))), 1),
                            "rmse": round(float(np.sqrt(np.nanmean(e**2))), 1)}  # fmt: skip
            if model != "naive":
                block[model]["vs_naive"] = diebold_mariano(e, frame["naive"].to_numpy(float), h)
        out[group] = block
    out["step_share"] = round(float(errors["step"].mean()), 3)
    return out
