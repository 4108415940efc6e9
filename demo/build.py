"""``python -m ingest demo``: build the deterministic demo warehouse.

Daily price, stock, distribution and delivery for every region x commodity, with calendar
effects (Ramadan, Idul Fitri, Nataru), regional price differences, reporting gaps and planted
incidents (the ground truth used to score alerts). Same seed, years, end date and panel size
give identical facts and incidents. See docs/demo_data.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import duckdb
import numpy as np
import pandas as pd

from demo.incidents import (
    Incident,
    apply_supply_causes,
    calibrate_supply,
    incident_rows,
    measure_price,
    measure_supply,
    place_incidents,
    price_multiplier,
    size_price_incident,
)
from demo.profiles import (
    REMOTE_EXTRA_COVER,
    Panel,
    build_panel,
    commodity_units,
    reference_table,
    thresholds_table,
)
from demo.sim import (
    PriceInputs,
    SeriesDraws,
    StockInputs,
    Timeline,
    commodity_prices,
    days_of_cover,
    delivery_schedule,
    draw_series,
    gap_probability,
    make_timeline,
    reference_matrix,
    season_factor,
    simulate_stock,
)
from ingest.loader import RunLog, insert_run, upsert_facts
from warehouse.db import WarehouseError, db_path, reader, write_transaction
from warehouse.geography import province

SOURCE = "demo"
METRICS = ("price", "stock", "distribution", "delivery")
ProgressCallback = Callable[[str, int, int], None]


class DemoRefused(RuntimeError):
    """The target warehouse holds data that the demo must not replace."""


@dataclass
class DemoSummary:
    """What one demo build wrote."""

    path: str
    run_id: str
    seed: int
    start: date
    end: date
    regions: int
    commodities: int
    facts: int
    price_gaps: int
    incidents: int
    ongoing_incidents: int
    seconds: float

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        return data


def _start_date(end: date, years: int) -> date:
    try:
        return end.replace(year=end.year - years)
    except ValueError:  # 29 February
        return end.replace(year=end.year - years, day=28)


def make_run_id(seed: int, years: int, end: date, regions: int, commodities: int) -> str:
    """A run id that depends only on the build parameters (so builds are reproducible)."""
    return f"demo-s{seed}-y{years}-{end:%Y%m%d}-r{regions}-c{commodities}"


def non_demo_facts(path: os.PathLike[str] | str) -> int:
    """How many facts from other sources the warehouse holds (0 when it does not exist)."""
    target = db_path(path)
    if not target.exists():
        return 0
    try:
        with reader(target) as con:
            query = "SELECT count(*) FROM facts WHERE source <> ?"
            count = con.execute(query, [SOURCE]).fetchone()[0]
            con.complete()
    except duckdb.CatalogException:
        return 0  # a warehouse without a facts table holds nothing to lose
    except (duckdb.Error, WarehouseError) as exc:
        raise DemoRefused(
            f"{target} exists but could not be read ({exc}). If a refresh is running, wait and "
            "try again; otherwise use --force to replace it, or choose another --db. / "
            f"{target} ada tetapi tidak dapat dibaca. Jika pembaruan sedang berjalan, tunggu lalu "
            "coba lagi; jika tidak, pakai --force untuk mengganti, atau pilih --db lain."
        ) from exc
    return int(count)


@dataclass
class _Build:
    """Working state of one build."""

    panel: Panel
    timeline: Timeline
    seed: int
    incidents: list[Incident]
    thresholds: pd.DataFrame
    delivery: np.ndarray | None = None
    distribution: np.ndarray | None = None
    stock: np.ndarray | None = None
    cover: np.ndarray | None = None
    price: np.ndarray | None = None
    reported: np.ndarray | None = None


def _series_commodity(panel: Panel) -> list[str]:
    return [p.code for p in panel.profiles for _ in panel.region_codes]


def _stock_inputs(
    panel: Panel, timeline: Timeline, draws: SeriesDraws
) -> tuple[StockInputs, np.ndarray]:
    n_regions = len(panel.region_codes)
    population = panel.regions["population"].to_numpy(dtype=float)
    remote = panel.regions["remote"].to_numpy(dtype=bool)
    weekday = timeline.days.day_of_week.to_numpy()
    expected, demand, target, lot, decimals = [], [], [], [], []
    for c, profile in enumerate(panel.profiles):
        rows = slice(c * n_regions, (c + 1) * n_regions)
        season = season_factor(timeline, profile.demand_season, 3)
        weekly = profile.weekly_factors()[weekday]
        plan = (population * profile.per_capita)[:, None] * season[None, :]
        noise = np.exp(0.06 * draws.z_demand[rows] - 0.0018)
        decimals_c = profile.decimals
        demand.append(np.round(plan * weekly[None, :] * noise, decimals_c))
        expected.append(plan)
        lo, hi = profile.cover_days
        target_c = lo + (hi - lo) * draws.target_u[rows]
        target.append(target_c * np.where(remote, 1.0 + REMOTE_EXTRA_COVER, 1.0))
        unit = 10.0**-decimals_c
        daily = population * profile.per_capita
        lot.append(np.maximum(np.minimum(profile.lot, np.round(daily / unit) * unit), unit))
        decimals.append(np.full(n_regions, decimals_c))
    is_delivery, next_gap = delivery_schedule(draws.intervals, draws.phase)
    n_series = len(panel.profiles) * n_regions
    inputs = StockInputs(
        demand=np.vstack(demand),
        expected=np.vstack(expected),
        is_delivery=is_delivery,
        next_gap=next_gap,
        noise=np.exp(0.03 * draws.z_delivery),
        target=np.concatenate(target),
        lot=np.concatenate(lot),
        cut=np.zeros_like(is_delivery),
        cut_frac=np.ones(n_series),
    )
    return inputs, np.concatenate(decimals)


def _simulate_supply(build: _Build, draws: SeriesDraws, progress: Callable[[str], None]) -> None:
    inputs, decimals = _stock_inputs(build.panel, build.timeline, draws)
    apply_supply_causes(inputs, build.incidents, decimals)
    commodity_of = _series_commodity(build.panel)
    siaga = {
        i.series: float(build.thresholds.loc[commodity_of[i.series], "siaga_cover_days"])
        for i in build.incidents
    }
    calibrate_supply(inputs, build.incidents, siaga)
    progress("calibrate_incidents")
    build.delivery, build.distribution, build.stock = simulate_stock(inputs)
    build.cover = days_of_cover(build.stock, build.distribution)
    for incident in build.incidents:
        if incident.template.effect == "supply":
            measure_supply(
                incident, build.cover[incident.series], siaga[incident.series], build.timeline.n
            )
    progress("simulate_stock")


def _simulate_prices(build: _Build, draws: SeriesDraws, references: pd.DataFrame) -> None:
    panel, timeline = build.panel, build.timeline
    n_regions = len(panel.region_codes)
    offsets = panel.regions["price_offset"].to_numpy(dtype=float)
    prices = []
    for c, profile in enumerate(panel.profiles):
        rows = slice(c * n_regions, (c + 1) * n_regions)
        reference = reference_matrix(references, profile.code, panel.region_codes, timeline.days)
        thr = build.thresholds.loc[profile.code]
        inputs = PriceInputs(
            profile=profile,
            reference=reference,
            offsets=offsets,
            cover=build.cover[rows],
            waspada_cover=float(thr["waspada_cover_days"]),
            z_trend=draws.z_trend[rows],
            z_noise=draws.z_noise[rows],
            incident=np.ones((n_regions, timeline.n)),
        )
        price = commodity_prices(inputs, timeline, build.seed)
        own = [
            i
            for i in build.incidents
            if i.template.effect == "price" and i.template.commodity == profile.code
        ]
        if own:
            siaga_ratio = 1.0 + float(thr["siaga_price_pct"]) / 100.0
            price = _plant_price_incidents(build, draws, inputs, price, own, c, siaga_ratio)
        prices.append(price)
    build.price = np.vstack(prices)
    build.reported = draws.u_gap >= gap_probability(timeline)[None, :]


def _plant_price_incidents(
    build: _Build,
    draws: SeriesDraws,
    inputs: PriceInputs,
    price: np.ndarray,
    own: list[Incident],
    commodity_index: int,
    siaga_ratio: float,
) -> np.ndarray:
    """Size each price incident from the undisturbed prices, re-price, measure start and end."""
    timeline = build.timeline
    first_row = commodity_index * len(build.panel.region_codes)
    limits: dict[str, np.ndarray] = {}
    for incident in own:
        r = incident.series - first_row
        base = float(np.median(price[r, incident.cause - 28 : incident.cause]))
        ref_now = inputs.reference[r, incident.cause]
        has_reference = bool(np.isfinite(ref_now))
        ratio = siaga_ratio * ref_now / base if has_reference else siaga_ratio
        size_price_incident(incident, base, ratio)
        inputs.incident[r] *= price_multiplier(incident, timeline.n)
        limits[incident.incident_id] = (
            inputs.reference[r] * siaga_ratio
            if has_reference
            else np.full(timeline.n, base * siaga_ratio)
        )
    price = commodity_prices(inputs, timeline, build.seed)
    reported = draws.u_gap >= gap_probability(timeline)[None, :]
    for incident in own:
        r = incident.series - first_row
        measure_price(incident, price[r], reported[incident.series], limits[incident.incident_id])
    return price


def _fact_frames(build: _Build, units: dict[str, tuple[str, str]]) -> Iterator[pd.DataFrame]:
    """Yield one facts DataFrame per commodity and metric (data window only)."""
    panel, timeline = build.panel, build.timeline
    n_regions = len(panel.region_codes)
    window = slice(timeline.burn, timeline.n)
    dates = timeline.days[window].values.astype("datetime64[D]")
    n_days = len(dates)
    region_codes = pd.Categorical(np.repeat(panel.region_codes, n_days))
    all_dates = np.tile(dates, n_regions)
    arrays = {
        "price": build.price,
        "stock": build.stock,
        "distribution": build.distribution,
        "delivery": build.delivery,
    }
    for c, profile in enumerate(panel.profiles):
        rows = slice(c * n_regions, (c + 1) * n_regions)
        price_unit, stock_unit = units.get(profile.code, ("Rp/kg", "ton"))
        for metric in METRICS:
            values = arrays[metric][rows, window].ravel()
            keep = build.reported[rows, window].ravel() if metric == "price" else None
            frame = pd.DataFrame(
                {
                    "date": all_dates,
                    "region_code": region_codes,
                    "value": values,
                }
            )
            if keep is not None:
                frame = frame[keep]
            frame["commodity"] = profile.code
            frame["metric"] = metric
            frame["unit"] = price_unit if metric == "price" else stock_unit
            yield frame


def _insert_reference_extras(con: duckdb.DuckDBPyConnection, panel: Panel) -> None:
    """Synthetic regions, commodities, thresholds and LPG HET rows of the scale-out mode."""
    extras = (
        ("regions", panel.extra_regions),
        ("region_aliases", panel.extra_aliases),
        ("commodities", panel.extra_commodities),
        ("thresholds", panel.extra_thresholds),
        ("reference_prices", panel.extra_references),
    )
    for table, frame in extras:
        if frame is None or not len(frame):
            continue
        columns = ", ".join(frame.columns)
        con.register("extra_frame", frame)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM extra_frame")  # noqa: S608 - fixed names
        con.unregister("extra_frame")


def build_demo(
    path: os.PathLike[str] | str | None = None,
    seed: int = 7,
    years: int = 3,
    end: date | None = None,
    regions: int | None = None,
    commodities: int | None = None,
    progress: ProgressCallback | None = None,
    force: bool = False,
) -> DemoSummary:
    """Generate the demo panel and write it as a fresh warehouse at ``path``.

    Refuses (``DemoRefused``) to replace a warehouse holding non-demo facts unless ``force``.
    ``progress(step, done, total)`` is called after each step.
    """
    clock = time.perf_counter()
    target = db_path(path)
    if years < 1:
        raise ValueError("years must be at least 1")
    end = end or date.today()
    if not force:
        existing = non_demo_facts(target)
        if existing:
            raise DemoRefused(
                f"{target} holds {existing} facts from real sources; the demo would replace them. "
                "Use --force to replace it, or choose another --db. / "
                f"{target} berisi {existing} data dari sumber nyata; demo akan menimpanya. "
                "Pakai --force untuk mengganti, atau pilih --db lain."
            )
    panel = build_panel(regions, commodities, seed)
    n_chunks = len(panel.profiles) * len(METRICS)
    total = 5 + n_chunks
    done = 0

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(name, done, total)

    start = _start_date(end, years)
    timeline = make_timeline(start, end)
    draws = draw_series(panel, timeline.n, seed)
    step("setup")
    build = _Build(
        panel=panel,
        timeline=timeline,
        seed=seed,
        incidents=place_incidents(
            timeline, panel.region_codes, panel.commodity_codes, panel.stand_ins
        ),
        thresholds=thresholds_table(panel),
    )
    _simulate_supply(build, draws, step)
    _simulate_prices(build, draws, reference_table(panel))
    step("simulate_prices")
    run_id = make_run_id(seed, years, end, len(panel.region_codes), len(panel.profiles))
    units = commodity_units()
    names = _commodity_names(panel)
    region_names = dict(zip(panel.regions["bps_code"], panel.regions["name"], strict=True))
    siaga_of = build.thresholds["siaga_cover_days"].to_dict()
    incidents = incident_rows(build.incidents, timeline, region_names, names, siaga_of)
    started = datetime.now(UTC).replace(tzinfo=None)
    # synthetic reports have no arrival lag: stamped with the first day of the history, every
    # value counts as known on its own date (and the build stays identical per seed)
    reported = datetime.combine(timeline.days[0].date(), datetime.min.time())
    facts = 0
    with write_transaction(target, fresh=True) as con:
        con.execute("SET enable_progress_bar = false")  # our own progress goes to the caller
        _insert_reference_extras(con, panel)
        for frame in _fact_frames(build, units):
            facts += upsert_facts(con, frame, SOURCE, run_id, known_at=reported).inserted
            step("write_facts")
        con.register("incident_frame", incidents)
        columns = ", ".join(incidents.columns)
        con.execute(f"INSERT INTO incidents ({columns}) SELECT {columns} FROM incident_frame")  # noqa: S608 - fixed names
        con.unregister("incident_frame")
        gaps = int((~build.reported[:, timeline.burn :]).sum())
        summary = DemoSummary(
            path=str(target),
            run_id=run_id,
            seed=seed,
            start=timeline.days[timeline.burn].date(),
            end=end,
            regions=len(panel.region_codes),
            commodities=len(panel.profiles),
            facts=facts,
            price_gaps=gaps,
            incidents=len(incidents),
            ongoing_incidents=int((incidents["end_date"] == end).sum()),
            seconds=0.0,
        )
        run = RunLog(run_id, SOURCE, started, "success", facts, facts, 0)
        run.message = (
            f"demo warehouse ({province().name}): seed {seed}, {summary.start} to {end}, "
            f"{summary.regions} regions x {summary.commodities} commodities, "
            f"{summary.incidents} planted incidents"
        )
        insert_run(con, run)
    step("done")
    summary.seconds = round(time.perf_counter() - clock, 2)
    return summary


def _commodity_names(panel: Panel) -> dict[str, tuple[str, str]]:
    from warehouse.reference import read_reference_csv

    frame = pd.concat([read_reference_csv("commodities"), panel.extra_commodities])
    return {row.code: (row.name_id, row.name_en) for row in frame.itertuples(index=False)}


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date in the form YYYY-MM-DD (e.g. 2026-11-20)"
        ) from None


def parser() -> argparse.ArgumentParser:
    """Command-line options of ``python -m ingest demo``."""
    p = argparse.ArgumentParser(
        prog="python -m ingest demo",
        description="Build the demo warehouse: synthetic, deterministic data with planted incidents.",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--years", type=int, default=3, help="years of daily history (default 3)")
    p.add_argument(
        "--end", type=_parse_date, default=None, help="last day YYYY-MM-DD (default today)"
    )
    p.add_argument(
        "--db", default=None, help="warehouse path (default JSW_DB or data/warehouse.duckdb)"
    )
    p.add_argument("--force", action="store_true", help="replace a warehouse holding non-demo data")
    p.add_argument(
        "--progress-json",
        action="store_true",
        help="print one JSON line per step and a final summary JSON line on stdout",
    )
    p.add_argument(
        "--regions", type=int, default=None, help="number of regions (>11 adds synthetic ones)"
    )
    p.add_argument(
        "--commodities",
        type=int,
        default=None,
        help="number of commodities (>8 adds synthetic ones)",
    )
    return p


def _print_json(payload: dict[str, object]) -> None:
    print(json.dumps(payload, default=str), flush=True)


def main(argv: list[str]) -> int:
    """Entry point of ``python -m ingest demo``."""
    args = parser().parse_args(argv)
    if args.years < 1:
        parser().error("--years must be at least 1")
    bar = None
    if args.progress_json:

        def progress(step: str, done: int, total: int) -> None:
            _print_json({"step": step, "done": done, "total": total})

    else:
        from tqdm import tqdm

        bar = tqdm(total=1, desc="demo", file=sys.stderr, unit="step")

        def progress(step: str, done: int, total: int) -> None:
            bar.total = total
            bar.set_description(step)
            bar.update(done - bar.n)

    try:
        summary = build_demo(
            args.db,
            seed=args.seed,
            years=args.years,
            end=args.end,
            regions=args.regions,
            commodities=args.commodities,
            progress=progress,
            force=args.force,
        )
    except (DemoRefused, WarehouseError, ValueError) as exc:
        if bar is not None:
            bar.close()
        if args.progress_json:
            _print_json({"error": str(exc)})
        print(f"demo: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, DemoRefused | ValueError) else 1
    if bar is not None:
        bar.close()
    if args.progress_json:
        _print_json({"summary": summary.to_json()})
    else:
        s = summary
        print(
            f"Demo warehouse written to {s.path}\n"
            f"  run {s.run_id}: {s.start} to {s.end}, {s.regions} regions x {s.commodities} "
            f"commodities\n  {s.facts:,} facts ({s.price_gaps:,} unreported prices), "
            f"{s.incidents} incidents ({s.ongoing_incidents} ongoing), {s.seconds:.1f} s"
        )
    return 0
