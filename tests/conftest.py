"""Shared fixtures: environment isolation, stores, settings, the local HTTP server."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Prefect: unit tests must never reach a Prefect API (a developer's .env or profile
# included); flow tests start their own session harness.
os.environ["PREFECT_API_URL"] = ""
os.environ["PREFECT_SERVER_EPHEMERAL_ENABLED"] = "false"
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ.pop("PLAUDIT_CONFIG", None)

import pytest  # noqa: E402

from pipeline.settings import load_settings  # noqa: E402
from storage.db import open_memory_db  # noqa: E402
from storage.schema import internal_migrations  # noqa: E402
from tests.localserver import local_server  # noqa: E402,F401

REALWORLD = Path(__file__).resolve().parents[1].parent / "shared" / "realworld"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def preserve_environ():
    """Restore os.environ after each test (settings and Prefect both read it)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def fresh_db():
    """An in-memory internal store with the full schema."""
    db = open_memory_db(internal_migrations)
    yield db
    db.close()


@pytest.fixture
def make_settings(tmp_path):
    """Build settings in a temporary data folder from a TOML body and overrides."""
    def build(toml: str = "", **overrides):
        config = tmp_path / "plaudit.toml"
        config.write_text(toml, encoding="utf-8")
        defaults = {"allow_private_addresses": True, "http_delay_seconds": 0.0, "http_retries": 0}
        return load_settings(config, env={}, **{**defaults, **overrides})
    return build


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium for the module's tests (see tests/browser.py)."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def realworld(*parts: str) -> Path:
    """A path under ../shared/realworld, skipping the test when the folder is absent."""
    if not REALWORLD.is_dir():
        pytest.skip("../shared/realworld is not present (third-party data, not shipped with Plaudit)")
    return REALWORLD.joinpath(*parts)
