"""Progress of long work (backfills, imports, large publishes): a bar on a terminal, log lines elsewhere.

On a terminal (stderr is a TTY) a rich progress bar shows the count, the rate and the time left. Under cron, CI
or Prefect, where nobody watches a bar, a log line with the same figures is written every `interval` seconds,
so a night's log says how far a long run got. Work smaller than `minimum` shows nothing: a nightly run that
scores 40 reviews needs no bar. When the total is unknown (an import read as it streams), the count and rate
appear once `minimum` items are done.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

log = logging.getLogger(__name__)
DEFAULT_MINIMUM = 5000


class Tracker:
    """Counts work done towards a total and reports it (a bar or periodic log lines); use as a context manager."""

    def __init__(self, label: str, total: int | None, *, stream: TextIO | None = None, interval: float = 30.0,
                 minimum: int = DEFAULT_MINIMUM, clock=time.monotonic):
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self.interval, self.clock = interval, clock
        self.minimum = minimum
        self.quiet = total is None or total < minimum  # an unknown total speaks up once it reaches the minimum
        self.started = self.last_line = clock()
        self._bar: Progress | None = None
        self._task = None

    def __enter__(self) -> Tracker:
        if not self.quiet:
            self._start_bar()
        return self

    def _start_bar(self) -> None:
        if _is_terminal(self.stream):
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                                 console=Console(file=self.stream), transient=False)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, rate="", completed=self.done)

    def advance(self, count: int) -> None:
        """Record `count` more items done."""
        self.done += count
        if self.quiet:
            if self.total is None and self.done >= self.minimum:
                self.quiet = False
                self._start_bar()  # drawn with the count so far
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=count, rate=f"{self.rate():,.0f}/s")
        elif self.clock() - self.last_line >= self.interval:
            self.last_line = self.clock()
            log.info("%s", self.line())

    def rate(self) -> float:
        """Items per second so far."""
        return self.done / max(self.clock() - self.started, 1e-9)

    def line(self) -> str:
        """The figures as one line: done (of total, percent), rate, time left."""
        rate = self.rate()
        if not self.total:
            return f"{self.label}: {self.done:,} done, {rate:,.0f}/s"
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        return (f"{self.label}: {self.done:,}/{self.total:,} ({self.done / self.total:.0%}), {rate:,.0f}/s, "
                f"about {_duration(left)} left")

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif not self.quiet and self.done:
            log.info("%s: %s done in %s", self.label, f"{self.done:,}", _duration(self.clock() - self.started))


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _duration(seconds: float) -> str:
    if seconds == float("inf"):
        return "an unknown time"
    minutes, secs = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min {secs} s" if minutes else f"{secs} s"
