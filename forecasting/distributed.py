"""Fan the forecasting batch out over a Dask distributed cluster.

Only the per-series work (``run_chunk``: backtest, choose, refit, forecast) leaves this
process; reading the warehouse, statuses, signals, alerts and the single write transaction
stay where the batch was started. The workers need the same project code and packages
(``pip install -r requirements.txt`` and this repository on their ``PYTHONPATH``); they never
open the warehouse.

Start a cluster with ``dask scheduler`` and ``dask worker tcp://HOST:8786 --nthreads 1``
(one thread per worker process: statsmodels fits are CPU-bound and hold the GIL), then run
``python -m forecasting run --scheduler tcp://HOST:8786``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from forecasting.series import SeriesResult, SeriesTask, run_chunk

Progress = Callable[[int, int], None]
CHUNK_SERIES = 8
CONNECT_TIMEOUT_SECONDS = 10.0


class ClusterUnavailable(ValueError):
    """The Dask scheduler could not be reached (a message for the person running the batch)."""


def chunked(tasks: Sequence[SeriesTask], size: int) -> list[list[SeriesTask]]:
    """Consecutive chunks of at most ``size`` tasks (fewer round trips to the scheduler)."""
    return [list(tasks[start : start + size]) for start in range(0, len(tasks), size)]


def in_task_order(
    tasks: Sequence[SeriesTask], results: Iterable[SeriesResult]
) -> list[SeriesResult]:
    """Results sorted back into the order of their tasks (completion order is arbitrary)."""
    order = {(t.region, t.commodity, t.metric): i for i, t in enumerate(tasks)}
    return sorted(results, key=lambda r: order[(r.region, r.commodity, r.metric)])


def connect(scheduler: str, timeout: float | None = None):
    """A ``distributed.Client`` for ``scheduler``, or ``ClusterUnavailable`` with a clear reason."""
    from distributed import Client

    try:
        return Client(scheduler, timeout=timeout or CONNECT_TIMEOUT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnavailable(
            f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with "
            "'dask scheduler' and at least one 'dask worker', or run without --scheduler"
        ) from exc


def run_tasks_on_cluster(
    tasks: Sequence[SeriesTask],
    scheduler: str,
    progress: Progress | None = None,
    chunk_size: int = CHUNK_SERIES,
) -> list[SeriesResult]:
    """Run every task on the cluster at ``scheduler``; results come back in task order."""
    from distributed import as_completed

    if not tasks:
        return []
    total = len(tasks)
    size = max(1, min(chunk_size, total // 8 or 1))
    results: list[SeriesResult] = []
    client = connect(scheduler)
    try:
        with client.as_current():
            futures = client.map(run_chunk, chunked(tasks, size), pure=False)
            for future in as_completed(futures):
                results.extend(future.result())
                if progress:
                    progress(len(results), total)
    finally:
        client.close()
    return in_task_order(tasks, results)


def execute(
    tasks: Sequence[SeriesTask],
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> list[SeriesResult]:
    """The executor choice: a Dask cluster when ``scheduler`` is given, else the local pool."""
    if scheduler:
        return run_tasks_on_cluster(tasks, scheduler, progress)
    from forecasting.batch import run_tasks

    return run_tasks(tasks, workers, progress)
