"""The scheduled option: `python -m flows.serve` builds one nightly deployment on a cron schedule."""

import pytest

pytestmark = pytest.mark.flow


def test_serve_builds_a_cron_deployment_with_time_zone(prefect_harness, monkeypatch):
    import flows.serve as serve_module

    served = []
    monkeypatch.setattr(serve_module, "serve", lambda *deployments, **options: served.append((deployments, options)))
    serve_module.main(["--config", "/srv/plaudit/plaudit.toml", "--cron", "0 4 * * *", "--timezone", "America/New_York"])
    (deployment,), options = served[0]
    schedule = deployment.schedules[0].schedule
    assert (schedule.cron, schedule.timezone) == ("0 4 * * *", "America/New_York")
    assert deployment.parameters == {"config_path": "/srv/plaudit/plaudit.toml"}
    assert deployment.concurrency_limit == 1 and options == {"pause_on_shutdown": False}


def test_plaudit_serve_schedule_registers_the_nightly_at_schedule_time_and_serves_it(prefect_harness, local_server,
                                                                                      tmp_path):
    """`plaudit serve schedule` in its own process against the session's Prefect server on 127.0.0.1."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import get_current_settings

    from tests.test_pipeline_e2e import demo_settings

    settings = demo_settings(local_server, tmp_path, lambda text: text.replace(
        "[plaudit]\n", '[plaudit]\nschedule_time = "04:30"\nschedule_timezone = "America/Chicago"\n', 1))
    env = {**os.environ, "PREFECT_API_URL": get_current_settings().api.url, "PREFECT_LOGGING_LEVEL": "WARNING",
           "PREFECT_HOME": str(tmp_path / "prefect-home")}
    server = subprocess.Popen([sys.executable, "-m", "plaudit", "--config", str(settings.config_path), "serve",
                               "schedule"], env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        deployment, deadline = None, time.monotonic() + 120
        with get_client(sync_client=True) as client:
            while deployment is None and server.poll() is None and time.monotonic() < deadline:
                try:
                    deployment = client.read_deployment_by_name("plaudit-nightly/plaudit-nightly")
                except ObjectNotFound:
                    time.sleep(0.5)
        assert deployment is not None, f"no deployment registered (exit {server.poll()})"
        schedule = deployment.schedules[0].schedule
        assert (schedule.cron, schedule.timezone) == ("30 4 * * *", "America/Chicago")
        assert deployment.parameters == {"config_path": str(settings.config_path.resolve()),
                                         "data_dir": str(settings.data_dir.resolve())}
        assert server.poll() is None, "the served schedule stopped on its own"
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=60)[0]
    assert "cron '30 4 * * *' in America/Chicago" in output


def test_plaudit_serve_schedule_without_a_prefect_server_says_what_to_set(tmp_path, monkeypatch, capsys):
    from plaudit.cli import main

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    config = tmp_path / "plaudit.toml"
    config.write_text('[plaudit]\ndata_dir = "data"\n\n[[sources]]\nname = "form"\nkind = "csv"\npath = "x.csv"\n')
    assert main(["--config", str(config), "serve", "schedule"]) != 0
    assert "PREFECT_API_URL" in capsys.readouterr().err
