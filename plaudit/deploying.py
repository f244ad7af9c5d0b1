"""`plaudit deploy`: the practice's nightly deployments on a Prefect server, for workers to run (flows/deploy.py)."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from pipeline.errors import PlauditError
from pipeline.settings import Settings


def register_deployments(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    """`plaudit deploy`: register the practice's deployments with the Prefect server at PREFECT_API_URL."""
    _require_server("deployments")
    from flows.deploy import practice_slug, register

    names = register(settings, args.pool, args.practice, args.per, scheduled=not args.unscheduled)
    queue = args.practice or practice_slug(settings)
    for name in names:
        print(f"deployed {name}", file=out)
    print(f"start this machine's worker: prefect worker start --pool {args.pool} --work-queue {queue}", file=out)
    return 0


def serve_schedule(settings: Settings, cron: str | None, timezone: str | None, out: TextIO) -> int:
    """`plaudit serve schedule`: serve the nightly flow on its schedule against the Prefect server, until stopped."""
    _require_server("the scheduled deployment")
    from flows.serve import daily_cron, serve_nightly

    print(f"serving plaudit-nightly on {os.environ['PREFECT_API_URL']}: cron {cron or daily_cron(settings)!r} "
          f"in {timezone or settings.schedule_timezone} (Ctrl-C stops it)", file=out, flush=True)
    serve_nightly(settings, cron, timezone)
    return 0


def _require_server(what: str) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        raise PlauditError(f"{what} live on a Prefect server: set PREFECT_API_URL (e.g. "
                           "http://127.0.0.1:4200/api for `prefect server start`)")
