"""Smoke test of the real nightly Prefect flow against a local server and real stores."""

from __future__ import annotations

import pytest

from pipeline.steps import open_store
from tests.test_pipeline_e2e import demo_settings

pytestmark = pytest.mark.flow


def test_nightly_flow_runs_every_stage_and_reports(prefect_harness, local_server, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.nightly import run_flow

    settings = demo_settings(local_server, tmp_path)
    report = run_flow(settings)
    assert report["status"] == "partial"  # the demo export has one broken row, reported and skipped
    assert {name: src["new"] for name, src in report["sources"].items()} == {
        "review-form": 11, "health-directory": 8, "website": 5, "hosted-form": 0}  # nothing sent to the form yet
    assert report["score"]["scored"] == 24 and report["publish"]["published"] == 0

    again = run_flow(settings)
    assert all(src.get("new", 0) == 0 for src in again["sources"].values())
    with open_store(settings) as db:
        assert db["reviews"].count == 24
        assert [r["status"] for r in db["runs"].rows] == ["partial", "ok"]

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["plaudit-run"])))
    assert artifacts and "Plaudit run" in artifacts[0].data
