"""Large backfills: the score stage in coarse id ranges on a Dask cluster (prefect-dask), one writer storing.

Each task gets an id range, never review text, and reads the texts itself from a read-only connection to the
internal store. Task parameters travel through Dask and the flow's parameters are recorded in Prefect's
database, so handing texts to tasks would copy patient text out of the store; a range is two ids. Results
(scores, offsets and flag names, no text) come back through Dask in memory (`persist_result=False`, no cache)
and the flow's own process stores them as each range finishes: SQLite has one writer at a time.

Tasks hold thousands of reviews each (`RANGE`), never one per review: a task run costs Prefect tens of
milliseconds and a few kilobytes. Dask workers must be able to open the store file, so they run on the machine
that holds it (a `LocalCluster`, as `plaudit run --dask-workers N` starts).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

from pipeline import backfill
from pipeline.errors import PlauditError
from pipeline.settings import Settings, load_settings
from pipeline.steps import describe_error

_NO_STATE = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="score-range", **_NO_STATE)
def score_range(settings: Settings, after: str, through: str) -> dict[str, Any]:
    """Score the reviews waiting in one id range on a Dask worker; the results and which worker ran it."""
    return {"results": backfill.score_range(settings, after, through), "worker": _worker()}


def _worker() -> str:
    """The Dask worker running this task ("local" under another task runner)."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "local"


@flow(name="plaudit-backfill-scores", persist_result=False)
def backfill_scores(config_path: str | None = None, data_dir: str | None = None,
                    range_size: int = backfill.RANGE) -> dict[str, Any]:
    """Score every review waiting for it in id ranges on the flow's task runner; store each range as it ends."""
    settings = load_settings(config_path, **({"data_dir": data_dir} if data_dir else {}))
    futures = [score_range.submit(settings, after, through)
               for after, through in backfill.plan_ranges(settings, range_size)]
    writer = backfill.ScoreWriter(settings)
    workers: set[str] = set()
    try:
        for future in as_completed(futures):
            done = future.result()
            writer.store(done["results"])
            workers.add(done["worker"])
    finally:
        writer.close()
    return {**writer.counts(), "dask_workers": len(workers)}


def dask_runner(workers: int):
    """A task runner on a fresh local Dask cluster: `workers` processes of one thread each, on 127.0.0.1."""
    # Dask's scheduler and workers log every connection at INFO; read when distributed is first imported,
    # here and in the worker processes it spawns
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise PlauditError("scoring on Dask needs prefect-dask: pip install 'plaudit[dask]'") from exc
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs={
        "n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1",
        "dashboard_address": None, "silence_logs": logging.WARNING})


@contextlib.contextmanager
def api_for_workers(timeout: int = 120) -> Iterator[None]:
    """Make sure other processes can reach the same Prefect API as this one.

    Embedded mode starts Prefect's temporary server on first use, in this process only; a Dask worker would
    start a second one. Start it now and put its address in the settings the workers receive.
    """
    if get_current_settings().api.url:
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start(timeout=timeout)
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield


def score_on_dask(settings: Settings, workers: int) -> dict[str, Any]:
    """Run the score stage on a local Dask cluster: {"counts": ...} or {"error": ...}, as `run_stage` does."""
    config = str(settings.config_path) if settings.config_path else None
    try:
        counts = backfill_scores.with_options(task_runner=dask_runner(workers))(
            config, str(settings.data_dir), backfill.RANGE)
    except Exception as exc:  # a failed stage is reported and the next stages still run
        return {"error": describe_error(exc)}
    return {"counts": counts}
