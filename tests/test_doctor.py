"""`plaudit doctor` finds what would spoil a night, and says how to fix each thing."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.ops import doctor
from pipeline.runs import run_nightly
from plaudit.cli import main
from tests.test_pipeline_e2e import demo_settings


@pytest.fixture
def settings(local_server, tmp_path):
    settings = demo_settings(local_server, tmp_path)
    run_nightly(settings)
    settings.internal_db.chmod(0o600)
    settings.data_dir.chmod(0o700)
    return settings


def problems(settings, network=True) -> dict[str, doctor.Finding]:
    return {f.check: f for f in doctor.examine(settings, ["plaudit"], network) if not f.ok}


def test_a_healthy_installation_has_only_the_missing_schedule_to_report(settings, capsys):
    assert set(problems(settings)) == {"schedule"}
    assert main(["--config", str(settings.config_path), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "ok      source health-directory: http://127.0.0.1" in out and "robots.txt allows it" in out
    assert "fix: `plaudit schedule install`" in out


def test_a_world_readable_internal_store_is_a_problem_with_its_fix(settings):
    settings.internal_db.chmod(0o644)
    found = problems(settings)["permissions"]
    assert "readable by every user" in found.detail and found.fix == f"chmod 600 {settings.internal_db}"


def test_a_field_outside_the_allowlist_in_the_public_store_is_found(settings):
    with sqlite3.connect(settings.public_db) as conn:
        conn.execute("ALTER TABLE testimonials ADD COLUMN email TEXT")
        conn.execute("INSERT INTO meta (key, value) VALUES ('internal_path', 'x')")
    found = problems(settings)["public store"]
    assert "testimonials.email" in found.detail and "meta:internal_path" in found.detail


def test_unreachable_sources_and_missing_exports_are_named(settings, local_server):
    local_server.route("/directory/sunrise-pain.html", status=500)
    for path in (settings.data_dir / "exports").glob("*.csv"):
        path.unlink()
    found = problems(settings)
    assert "no file matches" in found["source review-form"].detail
    assert "HTTP 500" in found["source health-directory"].detail
    assert "source health-directory" not in problems(settings, network=False)


def test_pending_migrations_and_a_broken_store_are_reported(settings):
    with sqlite3.connect(settings.internal_db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_quote_public_state'")
    assert "m008_quote_public_state" in problems(settings)["migrations"].detail
    settings.internal_db.write_bytes(b"not a database at all" * 100)
    assert "restore the latest backup" in problems(settings)["internal store"].fix
