"""Real headless Chromium for browser tests: Debian's chromium driven by Playwright (no browser download).

Tests that need it use `pytestmark = needs_chromium` and the `browser` fixture from tests/conftest.py.
"""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = shutil.which("chromium")
# Without the background-networking flags Chromium keeps trying Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
needs_chromium = pytest.mark.skipif(CHROMIUM is None,
                                    reason="Debian chromium is not installed (make test installs it)")


def launch(playwright):
    """A headless Debian Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
