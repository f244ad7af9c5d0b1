"""Option B scheduling: serve the nightly flow on a cron schedule against a persistent Prefect server.

    prefect server start --background
    PREFECT_API_URL=http://127.0.0.1:4200/api python -m flows.serve --cron "0 3 * * *" --timezone America/New_York

The embedded default needs none of this: cron or a systemd timer calling `plaudit run` is enough.
"""

from __future__ import annotations

import argparse

from prefect import serve
from prefect.schedules import Cron

from flows.nightly import nightly


def main(argv: list[str] | None = None) -> None:
    """Serve the nightly flow until interrupted; one run at a time."""
    parser = argparse.ArgumentParser(description="Serve Plaudit's nightly flow on a schedule.")
    parser.add_argument("--config", help="path to plaudit.toml")
    parser.add_argument("--cron", default="0 3 * * *", help="cron expression (default: 03:00 daily)")
    parser.add_argument("--timezone", default="America/New_York", help="IANA time zone of the schedule")
    args = parser.parse_args(argv)
    deployment = nightly.to_deployment(name="plaudit-nightly", schedule=Cron(args.cron, timezone=args.timezone),
                                       parameters={"config_path": args.config}, concurrency_limit=1)
    serve(deployment, pause_on_shutdown=False)


if __name__ == "__main__":
    main()
