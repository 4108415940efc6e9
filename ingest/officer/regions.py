"""Regency names as officers really write them: prefixes, abbreviations, seat towns, suggestions.

A name maps to a regency only when exactly one regency fits. Historical names and names that
fit several regencies are refused with the reason; unknown names get the nearest known names
as suggestions (the officer may accept one in the upload page, ``--alias NAME=CODE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ingest.normalise import ValueProblem, region_lookup
from warehouse.geography import province
from warehouse.reference import normalise_alias, read_reference_csv

SUGGESTION_MIN_SCORE = 75
OFFICE_WORDS = {"UPTD", "PPD", "SAMSAT", "POLRES", "PEMERINTAH", "PEMKAB", "PEMKOT", "DINAS"}
KAB_WORDS = {"KAB", "KABUPATEN"}
KOTA_WORDS = {"KOTA", "KODYA", "KOTAMADYA", "KOTIF"}
# token -> replacement tokens (abbreviations seen in office files)
ABBREVIATIONS = {
    "MA": "MUARO",
    "MUARA": "MUARO",
    "SEI": "SUNGAI",
    "SUNGAIPENUH": "SUNGAI PENUH",
    "TANJAB": "TANJUNG JABUNG",
    "TANJABBAR": "TANJUNG JABUNG BARAT",
    "TANJABAR": "TANJUNG JABUNG BARAT",
    "TANJABBARAT": "TANJUNG JABUNG BARAT",
    "TANJABTIM": "TANJUNG JABUNG TIMUR",
    "TANJABTIMUR": "TANJUNG JABUNG TIMUR",
    "TANJUNGJABUNG": "TANJUNG JABUNG",
    "BAR": "BARAT",
    "BRT": "BARAT",
    "TIM": "TIMUR",
    "TMR": "TIMUR",
}
# Names that once existed or fit several regencies: refused, with the reason.
HISTORICAL = {
    "KAB JAMBI": (
        "'{name}' adalah nama lama (sebelum 1999, kini Muaro Jambi dan Kota Jambi); tulis nama "
        "kabupaten/kota yang sekarang",
        "'{name}' is a historical name (before 1999, now Muaro Jambi and Kota Jambi); write "
        "today's regency/city name",
    ),
    "BUNGO TEBO": (
        "'{name}' adalah kabupaten lama yang sejak 1999 dipecah menjadi Bungo dan Tebo; tulis "
        "salah satunya",
        "'{name}' is a former regency split in 1999 into Bungo and Tebo; write one of them",
    ),
}


@dataclass(frozen=True)
class Known:
    """A regency or city of the reference table, with its kind and the keys it answers to."""

    code: str
    name: str
    kind: str  # "kab" | "kota"
    core: str  # compact name without kind words
    seat: str  # compact seat town


def _expand(tokens: list[str]) -> list[str]:
    words: list[str] = []
    for token in tokens:
        words += ABBREVIATIONS.get(token, token).split()
    return words


@lru_cache(maxsize=4096)
def name_key(text: object) -> tuple[str | None, str]:
    """(kind or None, compact core) of a written name: ``'Kab. Tanjabbar'`` -> ('kab', 'TANJUNGJABUNGBARAT')."""
    tokens = [t for t in normalise_alias(str(text or "")).split() if t not in OFFICE_WORDS]
    kind = None
    if tokens and tokens[0] in KAB_WORDS:
        kind, tokens = "kab", tokens[1:]
    elif tokens and tokens[0] in KOTA_WORDS:
        kind, tokens = "kota", tokens[1:]
    elif len(tokens) > 1 and tokens[-1] in KOTA_WORDS:
        kind, tokens = "kota", tokens[:-1]
    elif len(tokens) > 1 and tokens[-1] in KAB_WORDS:
        kind, tokens = "kab", tokens[:-1]
    tokens = [t for t in tokens if t not in KAB_WORDS]
    return kind, "".join(_expand(tokens))


@lru_cache(maxsize=1)
def known_regions() -> tuple[Known, ...]:
    """Every regency/city of ``data/regions.csv`` with its keys."""
    frame = read_reference_csv("regions")
    result = []
    for row in frame.itertuples(index=False):
        kind = "kota" if str(row.type).lower().startswith("kota") else "kab"
        _, core = name_key(row.name)
        seat_name = getattr(row, "seat", "")
        _, seat = name_key(seat_name if isinstance(seat_name, str) else "")
        result.append(Known(str(row.bps_code), str(row.name), kind, core, seat))
    return tuple(result)


@lru_cache(maxsize=1)
def _alias_cores() -> dict[str, set[str]]:
    """Compact core of every committed alias -> codes (aliases carry the kinds they were given)."""
    cores: dict[str, set[str]] = {}
    for alias, code in region_lookup().items():
        if alias.isdigit():
            continue
        cores.setdefault(name_key(alias)[1], set()).add(code)
    return cores


def _province_core() -> str:
    """A bare name shared by the province and its capital city (Jambi): ask, do not guess."""
    return name_key(province().name)[1]


def region_names() -> dict[str, str]:
    """BPS code -> reference name."""
    return {k.code: k.name for k in known_regions()}


def _refuse_historical(text: str) -> None:
    kind, core = name_key(text)
    for name, (message_id, message_en) in HISTORICAL.items():
        h_kind, h_core = name_key(name)
        if core == h_core and (h_kind is None or kind in (None, h_kind)):
            if h_kind == "kab" and kind is None:
                continue  # a bare "Jambi" is handled as ambiguous below
            raise ValueProblem(message_id.format(name=text), message_en.format(name=text))


def suggestions(text: str, limit: int = 3) -> list[dict[str, object]]:
    """The nearest known regencies to an unknown name: ``[{code, name, score}]``."""
    _, core = name_key(text)
    if not core:
        return []
    choices: dict[str, str] = {}
    for known in known_regions():
        choices[known.core] = known.code
        if known.seat:
            choices.setdefault(known.seat, known.code)
    for alias_core, codes in _alias_cores().items():
        if len(codes) == 1:
            choices.setdefault(alias_core, next(iter(codes)))
    names = region_names()
    found: dict[str, float] = {}
    for choice, score, _ in process.extract(core, list(choices), scorer=fuzz.WRatio, limit=10):
        code = choices[choice]
        if score >= SUGGESTION_MIN_SCORE and code not in found:
            found[code] = round(float(score), 1)
    ranked = sorted(found.items(), key=lambda item: -item[1])[:limit]
    return [{"code": code, "name": names.get(code, code), "score": score} for code, score in ranked]


class RegionProblem(ValueProblem):
    """An unknown region name, with suggestions the officer may accept."""

    def __init__(self, message_id: str, message_en: str, name: str, hints: list[dict]) -> None:
        super().__init__(message_id, message_en)
        self.name = name
        self.hints = hints


def resolve_region_name(text: object, extra: dict[str, str] | None = None) -> str:
    """BPS code for a written regency/city name, or ValueProblem/RegionProblem with the reason."""
    raw = " ".join(str(text or "").split())
    if extra and normalise_alias(raw) in extra:
        return extra[normalise_alias(raw)]
    outcome = _resolve_cached(raw)
    if isinstance(outcome, ValueProblem):
        raise outcome.with_traceback(None)
    return outcome


@lru_cache(maxsize=4096)
def _resolve_cached(raw: str) -> str | ValueProblem:
    try:
        return _resolve(raw)
    except ValueProblem as problem:
        return problem


def _resolve(raw: str) -> str:
    """The resolution of one spelling (cached: a file repeats its names on every row)."""
    if not raw:
        raise ValueProblem("kabupaten/kota kosong", "regency/city is empty")
    _refuse_historical(raw)
    code = region_lookup().get(normalise_alias(raw))
    if code is not None and not raw.isdigit():
        return code
    if re.fullmatch(r"[\d.]+", raw):
        raise ValueProblem(
            f"'{raw}' adalah kode, bukan nama; kode di berkas sering berbeda antar-sumber, tulis nama kabupaten/kota",
            f"'{raw}' is a code, not a name; codes differ between sources, write the regency/city name",
        )
    kind, core = name_key(raw)
    candidates = _candidates(kind, core)
    if kind is None and core == _province_core() and all(k.kind == "kota" for k in candidates):
        raise ValueProblem(
            f"'{raw}' ambigu: bisa provinsi atau kota; tulis 'Kota {raw.title()}' atau nama kabupaten",
            f"'{raw}' is ambiguous: it may be the province or the city; write 'Kota {raw.title()}' "
            "or a regency name",
        )
    if len(candidates) == 1:
        return candidates[0].code
    if len(candidates) > 1:
        options = " / ".join(f"'{k.name}'" for k in candidates)
        raise ValueProblem(
            f"'{raw}' ambigu: bisa {options}; tulis nama lengkapnya (Kab./Kota)",
            f"'{raw}' is ambiguous: it may be {options}; write the full name (Kab./Kota)",
        )
    hints = suggestions(raw)
    hint_id = f"; mungkin maksudnya {hints[0]['name']}?" if hints else ""
    hint_en = f"; did you mean {hints[0]['name']}?" if hints else ""
    raise RegionProblem(
        f"kabupaten/kota '{raw}' tidak dikenal{hint_id}",
        f"regency/city '{raw}' is not known{hint_en}",
        raw,
        hints,
    )


def _candidates(kind: str | None, core: str) -> list[Known]:
    if not core:
        return []
    regions = known_regions()
    by_name = [k for k in regions if k.core == core and kind in (None, k.kind)]
    if by_name:
        return by_name
    alias_codes = _alias_cores().get(core, set())
    by_alias = [k for k in regions if k.code in alias_codes and kind in (None, k.kind)]
    if len(by_alias) == 1 or (by_alias and kind is not None):
        return by_alias
    if kind == "kota":
        return []
    return [k for k in regions if k.kind == "kab" and k.seat == core]
