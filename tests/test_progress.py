"""Progress: a bar on a terminal, periodic log lines elsewhere, nothing for small work."""

from __future__ import annotations

import io
import logging

from pipeline.ops.progress import Tracker


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_a_terminal_a_log_line_gives_count_rate_and_time_left(caplog):
    clock = Clock()
    caplog.set_level(logging.INFO, logger="pipeline.ops.progress")
    with Tracker("score", 10_000, stream=io.StringIO(), interval=30, clock=clock) as progress:
        clock.now = 10
        progress.advance(2_000)  # before the interval: nothing yet
        clock.now = 40
        progress.advance(2_000)
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "score: 4,000/10,000 (40%), 100/s, about 1 min 0 s left"
    assert lines[1] == "score: 4,000 done in 40 s"


def test_on_a_terminal_a_bar_is_drawn():
    terminal = Terminal()
    with Tracker("score", 10_000, stream=terminal) as progress:
        progress.advance(10_000)
    assert "score" in terminal.getvalue() and "10000/10000" in terminal.getvalue().replace(",", "")


def test_small_work_shows_nothing(caplog):
    caplog.set_level(logging.INFO, logger="pipeline.ops.progress")
    terminal = Terminal()
    with Tracker("score", 40, stream=terminal, interval=0) as progress:
        progress.advance(40)
    assert terminal.getvalue() == "" and caplog.records == []


def test_an_unknown_total_shows_count_and_rate_once_past_the_minimum():
    terminal = Terminal()
    with Tracker("collect form", None, stream=terminal, minimum=1_000) as progress:
        progress.advance(600)
        assert terminal.getvalue() == ""  # a small import stays silent
        progress.advance(600)
        progress.advance(300)
    assert "collect form" in terminal.getvalue() and "1500" in terminal.getvalue().replace(",", "")


def test_a_large_import_logs_its_progress_under_cron(tmp_path, caplog):
    """Collecting a 6,000-row export without a terminal writes a line with the count at the end."""
    import csv

    from pipeline import steps
    from pipeline.runs import begin_run
    from pipeline.settings import load_settings

    export = tmp_path / "form.csv"
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Rating", "Review", "Date"])
        writer.writerows([f"Patient {i}", 5, f"Visit number {i} went well.", "2026-01-02"] for i in range(6_000))
    config = tmp_path / "plaudit.toml"
    config.write_text('[plaudit]\ndata_dir = "data"\n\n[[sources]]\nname = "form"\nkind = "csv"\n'
                      'path = "form.csv"\n[sources.columns]\nname = "Name"\nrating = "Rating"\ntext = "Review"\n'
                      'submitted_at = "Date"\n')
    settings = load_settings(config, env={})
    caplog.set_level(logging.INFO, logger="pipeline.ops.progress")
    result = steps.collect_source(settings, "form", None, begin_run(settings, "test"))
    assert result["new"] == 6_000, result
    assert "collect form: 6,000 done in" in " ".join(r.getMessage() for r in caplog.records)
