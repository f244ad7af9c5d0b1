"""Option B scheduling: serve the nightly flow on a cron schedule against a persistent Prefect server.

    prefect server start --background
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    plaudit serve schedule            # daily at schedule_time in schedule_timezone, until interrupted

`python -m flows.serve --cron "0 3 * * *" --timezone America/New_York` does the same with an explicit schedule.
The embedded default needs none of this: cron or a systemd timer calling `plaudit run` is enough.
"""

from __future__ import annotations

import argparse

from prefect import serve
from prefect.schedules import Cron

from flows.nightly import nightly
from pipeline.settings import Settings

DEPLOYMENT = "plaudit-nightly"


def daily_cron(settings: Settings) -> str:
    """The cron expression of a daily run at the settings' schedule_time (HH:MM)."""
    hour, minute = settings.schedule_time.split(":")
    return f"{int(minute)} {int(hour)} * * *"


def serve_nightly(settings: Settings, cron: str | None = None, timezone: str | None = None) -> None:
    """Serve the nightly flow for these settings, daily at schedule_time unless a cron is given."""
    config = settings.config_path
    _serve({"config_path": str(config.resolve()) if config else None,
            "data_dir": str(settings.data_dir.resolve())},
           cron or daily_cron(settings), timezone or settings.schedule_timezone)


def _serve(parameters: dict, cron: str, timezone: str) -> None:
    """One scheduled deployment, one run at a time, served until interrupted."""
    deployment = nightly.to_deployment(name=DEPLOYMENT, schedule=Cron(cron, timezone=timezone),
                                       parameters=parameters, concurrency_limit=1)
    serve(deployment, pause_on_shutdown=False)


def main(argv: list[str] | None = None) -> None:
    """`python -m flows.serve`: serve the nightly flow on an explicit schedule."""
    parser = argparse.ArgumentParser(description="Serve Plaudit's nightly flow on a schedule.")
    parser.add_argument("--config", help="path to plaudit.toml")
    parser.add_argument("--cron", default="0 3 * * *", help="cron expression (default: 03:00 daily)")
    parser.add_argument("--timezone", default="America/New_York", help="IANA time zone of the schedule")
    args = parser.parse_args(argv)
    _serve({"config_path": args.config}, args.cron, args.timezone)


if __name__ == "__main__":
    main()
