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
