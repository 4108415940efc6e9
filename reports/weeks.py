"""ISO weeks: parsing ``YYYY-Www``, the default week, and the days that count."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEK_RE = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True)
class IsoWeek:
    """One ISO week (Monday to Sunday)."""

    year: int
    week: int

    @property
    def label(self) -> str:
        """``2026-W47``."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return self.monday + dt.timedelta(days=6)

    def days(self, weekdays: tuple[int, ...]) -> list[dt.date]:
        """The dates of the given weekdays (0 = Monday) in this week."""
        return [self.monday + dt.timedelta(days=d) for d in weekdays]

    def shifted(self, weeks: int) -> IsoWeek:
        """The week ``weeks`` weeks later (negative = earlier)."""
        return week_of(self.monday + dt.timedelta(weeks=weeks))


def week_of(day: dt.date) -> IsoWeek:
    """The ISO week containing ``day``."""
    iso = day.isocalendar()
    return IsoWeek(iso.year, iso.week)


def parse_week(text: str) -> IsoWeek:
    """``"2026-W47"`` -> IsoWeek(2026, 47); raises ValueError with a clear message."""
    match = _WEEK_RE.match(str(text).strip())
    if not match:
        raise ValueError(
            f"Minggu tidak valid / invalid week: {text!r}. Format: YYYY-Www, mis./e.g. 2026-W47"
        )
    year, week = int(match.group(1)), int(match.group(2))
    try:
        dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(
            f"Minggu {week} tidak ada di tahun {year} / no week {week} in {year}"
        ) from None
    return IsoWeek(year, week)


def last_complete_week(newest: dt.date) -> IsoWeek:
    """The last ISO week whose Sunday is on or before ``newest`` (the newest data date)."""
    return week_of(newest) if newest.isoweekday() == 7 else week_of(newest - dt.timedelta(weeks=1))
