"""The demo: it says what still works after it ends, and `--serve` keeps its configuration runnable."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from plaudit.demo import run_demo

PLAUDIT = Path(sys.executable).with_name("plaudit")


def test_demo_says_its_listing_pages_are_gone_when_it_ends(tmp_path, capsys):
    # Issue 9, item 14: the demo's configuration could not run again after `make demo`, and nothing said so.
    assert run_demo(tmp_path / "demo", use_prefect=False) == 0
    out = capsys.readouterr().out
    assert "Selected testimonials: 4 published" in out
    assert "only while it ran" in out and "plaudit demo --serve" in out


def test_demo_serve_keeps_the_listing_pages_for_another_run(tmp_path):
    demo = subprocess.Popen([str(PLAUDIT), "demo", "--no-prefect", "--serve", "--data-dir", str(tmp_path / "d")],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        lines = []
        for line in demo.stdout:
            lines.append(line)
            if line.startswith("serving the demo's listing pages"):
                break
        assert lines and lines[-1].startswith("serving"), "".join(lines)
        again = subprocess.run([str(PLAUDIT), "--config", str(tmp_path / "d" / "plaudit.toml"), "run", "--no-prefect"],
                               capture_output=True, text=True, timeout=120)
        assert "FAILED" not in again.stdout and again.returncode in (0, 3), again.stdout + again.stderr
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=30)
    assert "stopped serving" in demo.stdout.read()
