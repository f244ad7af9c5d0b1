"""Past one machine: one deployment of the nightly flow per location, run by Prefect workers from a work pool.

Run on each practice's machine, against the shared Prefect server; it reads that machine's plaudit.toml:

    export PREFECT_API_URL=http://prefect.internal:4200/api
    plaudit deploy --pool plaudit          # daily at schedule_time in schedule_timezone
    prefect worker start --pool plaudit --work-queue <practice>

Each practice has its own work queue with a concurrency limit of 1 (its locations share its SQLite stores, so
one of its runs goes at a time) and its own worker, on the machine that holds those stores. Deployments name
the flow by module path (`flows.nightly.nightly`): the worker imports it from the installed plaudit package,
so no code is uploaded anywhere, and the parameters carry only paths and a location id.
"""

from __future__ import annotations

import re

from prefect import deploy
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments.runner import EntrypointType
from prefect.exceptions import ObjectNotFound
from prefect.schedules import Cron

from flows.nightly import nightly
from flows.serve import daily_cron
from pipeline.errors import ConfigError, PlauditError
from pipeline.settings import Settings

PER = ("location", "practice")


def practice_slug(settings: Settings) -> str:
    """A queue and deployment name for the practice, from its name (e.g. "sunrise-pain-wellness")."""
    slug = re.sub(r"[^a-z0-9]+", "-", settings.practice_name.lower()).strip("-")
    if not slug:
        raise ConfigError("practice_name gives no usable name; pass --practice NAME")
    return slug


def targets(settings: Settings, per: str) -> list[str | None]:
    """The location ids to deploy one by one, or [None] for one deployment of the whole practice."""
    if per == "practice":
        return [None]
    if not settings.locations:
        raise ConfigError("no [[locations]] are configured: deploy with --per practice, or add locations")
    collected = [s for s in settings.sources if s.policy != "ignore"]
    unplaced = [s.name for s in collected if not s.location]
    if unplaced:
        raise ConfigError(f"sources {', '.join(unplaced)} have no location, so no location's deployment would "
                          "collect them: give each a location, or deploy with --per practice")
    return [loc.id for loc in settings.locations if any(s.location == loc.id for s in collected)]


def prepare_pool(pool: str, queue: str) -> None:
    """Create the process work pool if needed, and the practice's queue with a concurrency limit of 1."""
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            found = client.read_work_pool(pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(
                name=pool, type="process", base_job_template=ProcessWorker.get_default_base_job_template()))
        else:
            if found.type != "process":
                raise PlauditError(f"work pool {pool!r} is of type {found.type!r}; Plaudit needs a process pool")
        try:
            existing = client.read_work_queue_by_name(queue, work_pool_name=pool)
        except ObjectNotFound:
            client.create_work_queue(name=queue, work_pool_name=pool, concurrency_limit=1)
        else:
            if existing.concurrency_limit != 1:
                client.update_work_queue(existing.id, concurrency_limit=1)


def register(settings: Settings, pool: str, practice: str | None = None, per: str = "location",
             scheduled: bool = True) -> list[str]:
    """Register the practice's deployments on `pool` (its queue named after the practice); returns their names.

    Scheduled daily at `schedule_time` in `schedule_timezone`, or not at all (runs started by hand or the UI).
    """
    if settings.config_path is None:
        raise ConfigError("deployments run a plaudit.toml on the worker's machine: pass --config")
    practice = practice or practice_slug(settings)
    prepare_pool(pool, practice)
    schedule = Cron(daily_cron(settings), timezone=settings.schedule_timezone) if scheduled else None
    deployments = [
        nightly.to_deployment(
            name=f"{practice}-{location}" if location else practice,
            parameters={"config_path": str(settings.config_path.resolve()),
                        "data_dir": str(settings.data_dir.resolve()), "location": location},
            work_queue_name=practice, entrypoint_type=EntrypointType.MODULE_PATH,
            tags=["plaudit", practice] + ([location] if location else []),
            description=f"Plaudit nightly for {settings.practice_name}"
                        + (f", {settings.location_name(location)}" if location else ""),
            **({"schedule": schedule} if schedule else {}))
        for location in targets(settings, per)]
    deploy(*deployments, work_pool_name=pool, print_next_steps_message=False, ignore_warnings=True)
    return [f"{nightly.name}/{d.name}" for d in deployments]
