"""Indonesian calendar effects shared by ingest and forecasting."""

from seasons.calendar import (
    FEATURE_COLUMNS,
    KINDS,
    calendar_features,
    daily_features,
    holiday_table,
    idul_adha_dates,
    idul_fitri_dates,
)

__all__ = [
    "FEATURE_COLUMNS",
    "KINDS",
    "calendar_features",
    "daily_features",
    "holiday_table",
    "idul_adha_dates",
    "idul_fitri_dates",
]
