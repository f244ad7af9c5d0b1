"""The `csv` source: form-tool exports on disk, streamed a chunk of rows at a time.

Settings: the `[[sources]]` table's `path` (a file, glob or folder of *.csv, read in sorted order), `preset`,
`columns`, `consent_version`, `rating_scale`, `encoding` (see `forms_csv`).

Files are local, so the HTTP client is not used. Each file is read in three streamed passes: its digest and
encoding (`csv_files.scan_file`), its date column (whether n/n/yyyy dates are day-first), then its rows, yielded
`CHUNK_ROWS` at a time, so a million-row export never sits in memory. The cursor is `{"files": {path: sha256}}`:
a file whose bytes are unchanged is not parsed again (the sweep is then not `complete`: its reviews came from an
earlier run); a changed file is read whole and the store's upsert makes the re-read idempotent. Mid-sweep the
cursor also holds `resume` (the file, its digest and the last row stored), so an interrupted import goes on
from there, unless the file changed meanwhile.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from typing import Any

from pipeline.errors import ConfigError, ParseError, SourceUnavailable
from pipeline.models import Batch, Skipped, SourceConfig
from pipeline.sources import form_presets as presets
from pipeline.sources.base import ChunkedSource, Fetcher, SweepContext
from pipeline.sources.csv_files import FileScan, decoded_lines, scan_file
from pipeline.sources.forms_csv import file_day_first, file_item, read_rows, resolve_columns

CHUNK_ROWS = 10_000


class CsvFormSource(ChunkedSource):
    """Reviews from form-tool CSV exports on disk (`config.path`: a file, glob or folder of *.csv)."""

    def __init__(self, config: SourceConfig):
        presets.get_preset(config.preset)
        resolve_columns([], config.preset, config.columns)  # unknown fields fail now, not mid-run
        if config.encoding:
            try:
                "".encode(config.encoding)
            except LookupError:
                raise ConfigError(f"source {config.name!r}: unknown encoding {config.encoding!r}") from None
        self.config = config

    def files(self) -> list[str]:
        """The export files `config.path` matches, sorted."""
        pattern = os.path.expanduser(self.config.path)
        if os.path.isdir(pattern):
            pattern = os.path.join(pattern, "*.csv")
        return sorted(p for p in glob.glob(pattern) if not os.path.isdir(p))

    def sweep(self, client: Fetcher | None, cursor: dict[str, Any], context: SweepContext) -> Iterator[Batch]:
        """Every changed export, chunk by chunk; SourceUnavailable when none matches or every one fails."""
        paths = self.files()
        if not paths:
            raise SourceUnavailable(self.config.name, f"no file matches path {self.config.path!r}; "
                                                      "check `path` in this source's table in plaudit.toml")
        known = dict((cursor or {}).get("files") or {})
        sweep = _Sweep.resumed(cursor)
        for path in paths:
            if path not in sweep.done:
                yield from self._file(path, known.get(path), sweep, known)
        if sweep.failures and not sweep.passed:
            reasons = "; ".join(f"{s.where}: {s.reason}" for s in sweep.failures)
            raise SourceUnavailable(self.config.name, f"no export could be read ({reasons})")
        yield Batch(skipped=sweep.failures, cursor={"files": sweep.done}, complete=sweep.complete, last=True)

    def _file(self, path: str, known: str | None, sweep: _Sweep, files: dict[str, str]) -> Iterator[Batch]:
        """One export's chunks (none when unchanged or unreadable, which the sweep notes)."""
        try:
            scan = scan_file(path, self.config.encoding)
            if scan.digest == known and sweep.path != path:
                sweep.file_done(path, scan.digest, read=False)
                return
            yield from self._rows(path, scan, sweep, files)
        except OSError as exc:
            sweep.failed(Skipped(path, f"cannot read the file: {exc.strerror or exc}"))
        except ParseError as exc:
            sweep.failed(Skipped(path, exc.reason))

    def _rows(self, path: str, scan: FileScan, sweep: _Sweep, files: dict[str, str]) -> Iterator[Batch]:
        start = sweep.row if (sweep.path, sweep.digest) == (path, scan.digest) else 0
        day_first = file_day_first(decoded_lines(path, scan), self.config, path)
        chunk, row = Batch(last=False), 0
        for row, item in enumerate(read_rows(decoded_lines(path, scan), self.config, path, day_first), 1):
            if row <= start:
                continue
            file_item(chunk, item)
            if isinstance(item, Skipped) and item.reason.startswith("malformed"):
                sweep.complete = False
            if len(chunk.reviews) + len(chunk.skipped) >= CHUNK_ROWS:
                chunk.cursor = sweep.cursor(files, path, scan.digest, row)
                yield chunk
                chunk = Batch(last=False)
        sweep.file_done(path, scan.digest, read=True)
        chunk.pages = 1
        chunk.cursor = sweep.cursor(files, None, None, 0)
        yield chunk


class _Sweep:
    """A CSV sweep's progress: files done (their digests), failures, and the row reached in the current file."""

    def __init__(self, done: dict[str, str], passed: list[str], complete: bool, path: str | None,
                 digest: str | None, row: int):
        self.done, self.passed, self.complete = done, passed, complete
        self.path, self.digest, self.row = path, digest, row
        self.failures: list[Skipped] = []

    @classmethod
    def resumed(cls, cursor: dict[str, Any]) -> _Sweep:
        """The sweep a cursor's `resume` describes, or a new one."""
        resume = (cursor or {}).get("resume")
        if not isinstance(resume, dict):
            return cls({}, [], True, None, None, 0)
        return cls(dict(resume.get("done") or {}), list(resume.get("passed") or []), bool(resume.get("complete")),
                   resume.get("path"), resume.get("digest"), int(resume.get("row") or 0))

    def cursor(self, files: dict[str, str], path: str | None, digest: str | None, row: int) -> dict[str, Any]:
        """The cursor that resumes after `row` of `path` (or after the files done)."""
        return {"files": {**files, **self.done},
                "resume": {"done": self.done, "passed": self.passed, "complete": self.complete,
                           "path": path, "digest": digest, "row": row}}

    def file_done(self, path: str, digest: str, read: bool) -> None:
        """A file finished: read through, or unchanged since it was last read (its reviews came earlier)."""
        self.done[path] = digest
        self.passed.append(path)
        self.complete = self.complete and read
        self.path, self.digest, self.row = None, None, 0

    def failed(self, reason: Skipped) -> None:
        """A file that could not be used."""
        self.failures.append(reason)
        self.complete = False
