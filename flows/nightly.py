"""The nightly Prefect flow: one task per source (bounded thread pool), one task per stage.

A run covers every source, or one location's (the per-location deployments of flows/deploy.py); with
`dask_workers` its score stage runs in id ranges on a local Dask cluster (flows/backfill.py).

Tasks wrap pipeline functions and pass only names, ids and counts; no result is cached or persisted, so no
patient text reaches Prefect's database. The counts-only run report is saved in the internal store and as a
Prefect artifact.
"""

from __future__ import annotations

import contextlib
from typing import Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.backfill import api_for_workers, score_on_dask
from flows.hooks import notify_failure
from pipeline import steps
from pipeline.net.client import PoliteClient
from pipeline.runs import STAGES, begin_run, end_run, record_stage, run_stage
from pipeline.errors import ConfigError
from pipeline.models import SourceConfig
from pipeline.settings import Settings, load_settings
from storage.state import last_run

_NO_STATE = {"cache_policy": NO_CACHE, "persist_result": False}


@task(name="collect-source", retries=1, retry_delay_seconds=5, **_NO_STATE)
def collect_source(settings: Settings, name: str, client: PoliteClient, run_id: int) -> dict[str, Any]:
    """Collect one source into the internal store (failures are reported, not raised)."""
    return steps.collect_source(settings, name, client, run_id)


@task(name="stage", task_run_name="{name}", **_NO_STATE)
def stage(settings: Settings, name: str) -> dict[str, Any]:
    """Run one pipeline stage: its counts, or its error (a failed stage never stops the next phases)."""
    return run_stage(name, settings)


def report_artifacts(report: dict[str, Any]) -> None:
    """Publish the counts-only run report as Prefect artifacts."""
    rows = [{"source": name, "status": src["status"], "fetched": src.get("fetched", 0), "new": src.get("new", 0),
             "updated": src.get("updated", 0), "skipped": src.get("skipped", 0), "error": src.get("error", "")}
            for name, src in report["sources"].items()]
    create_table_artifact(key="plaudit-sources", table=rows, description="Reviews collected per source")
    lines = [f"# Plaudit run {report['run_id']}: {report['status']}"]
    for name in STAGES:
        if name in report:
            lines.append(f"- **{name}**: " + ", ".join(f"{k} {v}" for k, v in report[name].items()))
    for name, error in report.get("stage_errors", {}).items():
        lines.append(f"- **{name} failed**: {error}")
    create_markdown_artifact(key="plaudit-run", markdown="\n".join(lines), description="Run summary (counts only)")


@flow(name="plaudit-nightly", persist_result=False, on_failure=[notify_failure], on_crashed=[notify_failure])
def nightly(config_path: str | None = None, data_dir: str | None = None, location: str | None = None,
            dask_workers: int = 0) -> dict[str, Any]:
    """Collect every source (or one location's) in parallel, then score, dedupe, suggest, retain and publish."""
    settings = load_settings(config_path, **({"data_dir": data_dir} if data_dir else {}))
    names = [s.name for s in sources_of(settings, location) if s.policy != "ignore"]
    run_id = begin_run(settings, "prefect" if location is None else f"prefect:{location}")
    client = PoliteClient(settings)
    try:
        futures = [collect_source.submit(settings, name, client, run_id) for name in names]
        report: dict[str, Any] = {"sources": {name: f.result() for name, f in zip(names, futures)}}
        for name in STAGES:
            on_dask = name == "score" and dask_workers > 0
            record_stage(report, name, score_on_dask(settings, dask_workers) if on_dask else stage(settings, name))
    finally:
        client.close()
    report = end_run(settings, run_id, report)
    report_artifacts(report)
    if report["status"] == "failed":
        raise RuntimeError(f"nightly run {run_id} failed; see `plaudit status`")
    return report


def sources_of(settings: Settings, location: str | None) -> tuple[SourceConfig, ...]:
    """Every source, or only those of one configured location."""
    if location is None:
        return settings.sources
    known = [loc.id for loc in settings.locations]
    if location not in known:
        raise ConfigError(f"location {location!r} is not configured (known: {', '.join(known) or 'none'})")
    return tuple(s for s in settings.sources if s.location == location)


def run_flow(settings: Settings, dask_workers: int = 0) -> dict[str, Any]:
    """Run the nightly flow in this process with a source thread pool sized by the settings."""
    runner = ThreadPoolTaskRunner(max_workers=max(1, settings.source_workers))
    config = str(settings.config_path) if settings.config_path else None
    with api_for_workers() if dask_workers else contextlib.nullcontext():
        state = nightly.with_options(task_runner=runner)(config, str(settings.data_dir), None, dask_workers,
                                                         return_state=True)
    if state.is_completed():
        return state.result()
    return _failed_report(settings, state)


def _failed_report(settings: Settings, state) -> dict[str, Any]:
    """The stored report of a run whose flow failed, or a minimal one if it crashed before writing it."""
    with steps.open_store(settings) as db:
        run = last_run(db)
    if run and run["status"] == "failed":
        return {**run["report"], "status": "failed"}
    return {"status": "failed", "sources": {}, "error": f"flow {state.type.value.lower()}: {state.message}"}
