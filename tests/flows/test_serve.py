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
