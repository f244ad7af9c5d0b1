"""Dask backfill benchmark: the score stage in id ranges on one and on two Dask workers, same corpus, same run.

    python bench/dask_backfill.py               # N = 20,000 reviews
    python bench/dask_backfill.py --n 100000

Builds one store of N synthetic ~80-word reviews waiting for scores (bench/synthetic.py), copies it for each
run, and times the `plaudit-backfill-scores` flow (flows/backfill.py) on a local Dask cluster of one and then
two worker processes (alternating, `--repeat` times; the best run of each counts), against Prefect's
temporary local server. The clock starts once the cluster is up and its workers have loaded the scoring rules
(that fixed cost is printed apart); it covers planning the ranges, scoring on the workers and storing through
the one writer. For reference it also times the ordinary in-process score stage with one and two scoring
processes (no Prefect). Prints reviews/s for each, the speed-up of two Dask workers over one, and the load
average: on a shared 2-core machine other work takes CPU from the second worker.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.synthetic import iter_reviews, write_csv_exports  # noqa: E402
from pipeline import backfill, steps  # noqa: E402
from pipeline.runs import begin_run  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from storage import reviews as review_store  # noqa: E402

CONFIG = """
[plaudit]
data_dir = "data"
score_workers = 1

[[sources]]
name = "bench-form"
kind = "csv"
path = "{exports}/*.csv"
preset = "gravityforms"
columns = {{ text = "Review", rating = "Rating", consent = "Consent" }}
"""


def prepare_env(folder: Path) -> None:
    """Prefect's temporary server in `folder`, quiet; set before Prefect is imported."""
    os.environ.update({"PREFECT_HOME": str(folder / "prefect"), "PREFECT_SERVER_EPHEMERAL_ENABLED": "true",
                       "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING",
                       "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
                       "DASK_LOGGING__DISTRIBUTED": "error"})
    (folder / "prefect").mkdir(parents=True, exist_ok=True)


def build_store(n: int, folder: Path):
    """Collect n synthetic reviews into a store; they wait for scores."""
    write_csv_exports(iter_reviews(n), folder / "exports")
    settings = settings_in(folder / "base", folder / "exports")
    steps.collect_source(settings, "bench-form", None, begin_run(settings, "bench"))
    return settings


def settings_in(folder: Path, exports: Path):
    """Settings for a data folder of its own reading the shared exports."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plaudit.toml").write_text(CONFIG.format(exports=exports))
    settings = load_settings(folder / "plaudit.toml", env={})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


def copy_store(base, folder: Path, exports: Path):
    """A fresh copy of the base store (SQLite's backup API), with settings pointing at it."""
    settings = settings_in(folder, exports)
    with sqlite3.connect(base.internal_db) as source, sqlite3.connect(settings.internal_db) as target:
        source.backup(target)
    return settings


def in_process(settings) -> float:
    """Seconds for the ordinary score stage in this process."""
    start = time.perf_counter()
    steps.score_new(settings)
    return time.perf_counter() - start


def _warm() -> None:
    """Load the flow module and the scoring rules in a Dask worker, as its first range would."""
    import flows.backfill  # noqa: F401
    from pipeline.judge.scoring import score_record

    score_record("Warm up: Dr. Lee cured my pain. Call 813-555-0100.", 5)


def on_dask(settings, workers: int, range_size: int) -> tuple[float, float, dict]:
    """(fixed seconds: cluster start and warm-up, backfill seconds, the flow's counts) on `workers` workers."""
    from distributed import Client, LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows.backfill import backfill_scores

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(_warm)
        fixed = time.perf_counter() - start
        start = time.perf_counter()
        runner = DaskTaskRunner(address=cluster.scheduler_address)
        counts = backfill_scores.with_options(task_runner=runner)(
            str(settings.config_path), str(settings.data_dir), range_size)
        seconds = time.perf_counter() - start
    return fixed, seconds, counts


def check(settings, n: int) -> None:
    """Every review was scored."""
    with steps.open_store(settings) as db:
        left = review_store.count_needing(db, "needs_score")
    if left:
        raise SystemExit(f"{left} of {n} reviews were left unscored")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="synthetic reviews (default 20,000)")
    parser.add_argument("--range", type=int, default=backfill.RANGE, help="reviews per task (default 5,000)")
    parser.add_argument("--repeat", type=int, default=2, help="Dask runs per worker count; the best counts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="plaudit-dask-bench-") as tmp:
        folder = Path(tmp)
        prepare_env(folder)
        from flows.backfill import api_for_workers

        base = build_store(args.n, folder)
        tasks = -(-args.n // args.range)
        print(f"corpus: {args.n:,} synthetic reviews waiting for scores, {tasks} ranges of up to {args.range:,}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before")
        for workers in (1, 2):
            plain = replace(copy_store(base, folder / f"plain{workers}", folder / "exports"), score_workers=workers)
            seconds = in_process(plain)
            check(plain, args.n)
            print(f"  in-process score stage, score_workers = {workers} {seconds:7.2f} s  "
                  f"{args.n / seconds:8,.0f} reviews/s  (no Prefect)")
        best: dict[int, float] = {}
        with api_for_workers():
            for attempt in range(args.repeat):  # alternating, so a busy spell on the machine hits both alike
                for workers in (1, 2):
                    settings = copy_store(base, folder / f"dask{workers}-{attempt}", folder / "exports")
                    fixed, seconds, counts = on_dask(settings, workers, args.range)
                    check(settings, args.n)
                    best[workers] = min(best.get(workers, seconds), seconds)
                    print(f"  Dask, {workers} worker{'s' if workers > 1 else ' '}                      "
                          f"{seconds:7.2f} s  {args.n / seconds:8,.0f} reviews/s  ({counts['ranges']} tasks on "
                          f"{counts['dask_workers']} worker(s); cluster start and warm-up {fixed:.1f} s, not counted)")
    rates = {workers: args.n / seconds for workers, seconds in best.items()}
    print(f"best of {args.repeat}: one Dask worker {rates[1]:,.0f} reviews/s, two {rates[2]:,.0f} reviews/s")
    print(f"speed-up, two Dask workers over one: {rates[2] / rates[1]:.2f}x "
          f"(load average {os.getloadavg()[0]:.1f} after: other work on the machine shares its CPUs)")

if __name__ == "__main__":
    main()
