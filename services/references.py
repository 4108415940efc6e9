"""Officer corrections of the dated reference prices (HET, HAP, subsidised and list prices)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from services.common import ServiceError, require_user
from warehouse import reference_edits

PathLike = str | os.PathLike[str] | None


@dataclass(frozen=True)
class ReferenceCorrection:
    """A new reference price starting on ``valid_from`` (province-wide without a region)."""

    commodity: str
    region_code: str | None
    kind: str
    value: float
    valid_from: dt.date
    source: str
    note: str | None = None


@dataclass(frozen=True)
class ReferenceCorrectionResult:
    """The stored correction and who made it."""

    correction: ReferenceCorrection
    user: str


def correct_reference_price(
    db: PathLike, correction: ReferenceCorrection, user: str | None
) -> ReferenceCorrectionResult:
    """Close the price in force the day before and start the new one, audited, in one transaction."""
    officer = require_user(user)
    try:
        reference_edits.add_reference_price(
            correction.commodity,
            correction.region_code,
            correction.kind,
            correction.value,
            correction.valid_from,
            correction.source,
            officer,
            correction.note,
            path=db,
        )
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    return ReferenceCorrectionResult(correction, officer)
