"""Past one machine: per-location deployments on a process work pool, run for real by a Prefect worker.

The worker is `prefect worker start --run-once` in its own process against the session's Prefect server on
127.0.0.1; it starts the flow run in a further process, which collects only the deployed location's sources.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.steps import open_store
from tests.test_pipeline_e2e import demo_settings

pytestmark = pytest.mark.flow
POOL, PRACTICE = "plaudit-test", "sunrise"
WORKER_TIMEOUT = 300  # seconds; a loaded 2-core machine takes well under a minute


def two_locations(config: str) -> str:
    """The demo configuration with its website moved to a second location, Brandon (and no politeness wait:
    the worker's flow run reads this file, not the test's settings)."""
    config = config.replace("http_delay_seconds = 0.1", "http_delay_seconds = 0.0")
    head, sep, website = config.partition('[[sources]]\nname = "website"')
    website = website.replace('location = "tampa"', 'location = "brandon"')
    return head + '[[locations]]\nid = "brandon"\nname = "Brandon clinic"\n\n' + sep + website


def test_one_deployment_per_location_run_by_a_worker_collects_that_location_only(prefect_harness, local_server,
                                                                                   tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import get_current_settings

    from flows.deploy import register

    settings = demo_settings(local_server, tmp_path, two_locations)
    names = register(settings, POOL, PRACTICE)
    assert names == ["plaudit-nightly/sunrise-tampa", "plaudit-nightly/sunrise-brandon"]
    with get_client(sync_client=True) as client:
        assert client.read_work_pool(POOL).type == "process"
        assert client.read_work_queue_by_name(PRACTICE, work_pool_name=POOL).concurrency_limit == 1
        deployment = client.read_deployment_by_name("plaudit-nightly/sunrise-brandon")
    assert deployment.parameters["location"] == "brandon"
    assert deployment.schedules[0].schedule.cron == "0 3 * * *"
    assert deployment.schedules[0].schedule.timezone == settings.schedule_timezone

    run = run_deployment("plaudit-nightly/sunrise-tampa", timeout=0)
    api = get_current_settings().api.url
    env = {**os.environ, "PREFECT_API_URL": api, "PREFECT_HOME": str(tmp_path / "worker-home"),
           "PREFECT_LOGGING_LEVEL": "WARNING"}
    worker = subprocess.run([sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--work-queue",
                             PRACTICE, "--type", "process", "--run-once"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=WORKER_TIMEOUT)
    assert worker.returncode == 0, worker.stdout + worker.stderr

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run.id).state
    assert state.is_completed(), f"{state}\n{worker.stdout}{worker.stderr}"
    with open_store(settings) as db:
        by_location = dict(db.execute("SELECT location, count(*) FROM reviews GROUP BY location").fetchall())
        by_source = dict(db.execute("SELECT source, count(*) FROM reviews GROUP BY source").fetchall())
        trigger = db.execute("SELECT trigger FROM runs").fetchall()
    assert by_location == {"tampa": 19}
    assert by_source == {"review-form": 11, "health-directory": 8}
    assert trigger == [("prefect:tampa",)]
