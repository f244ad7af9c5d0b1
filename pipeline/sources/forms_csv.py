"""Patient reviews from the CSV exports of form tools (Gravity Forms, WPForms, Google Forms, Typeform, Jotform).

Settings (one `[[sources]]` table with `kind = "csv"`): `path` (a file or glob of exports, read in sorted
order), `preset` and `columns` (how headers map to fields, see `form_presets`), `consent_version` (the version
label of the consent wording the form showed, stored on every Consent), `rating_scale` (the form's best
rating; a fraction such as "8/10" carries its own), `encoding` (force a text encoding instead of detecting it).

Files are local, so `collect` ignores the HTTP client. The cursor is `{"files": {path: sha256}}`: a file
whose bytes are unchanged is not parsed again (the batch is then not `complete`); a changed file is read whole
and the store's upsert makes the re-read idempotent.

Malformed rows are found with the csv module in strict mode: a stray quote raises `csv.Error`; the row is
skipped and every line it swallowed after its first is parsed again, so an unbalanced quote costs one row,
not the rest of the file. A row whose field count differs from the header is skipped (extra empty trailing
cells are allowed). Row numbers are spreadsheet rows: the header is row 1 and a multi-line cell is one row.

Cells become values in `form_values` (ratings, consent, submission dates). Dates "n/n/yyyy" are read
month-first unless the same file shows day-first elsewhere; then every review of the file is re-dated.
A form without a consent column gives `Consent(given=None)`: not publishable, and not recorded as a "no".
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

from pipeline.errors import ConfigError, ParseError, SourceUnavailable
from pipeline.models import Batch, Consent, RawReview, Skipped, SourceConfig
from pipeline.sources import form_presets as presets
from pipeline.sources.form_values import infer_day_first, parse_consent, parse_rating, parse_submitted
from pipeline.text import MAX_TEXT_CHARS, clean_text, decode_bytes, decode_lines, mostly_utf8, too_long

FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # one cell; csv's default (128 KiB) rejects long testimonials


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: its spreadsheet row, the file line it starts on, and its cells or why it is unreadable."""

    row: int
    line: int
    cells: list[str] | None
    error: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """The reviews read from one export, the rows skipped, and how many of those were malformed."""

    reviews: list[RawReview] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    malformed: int = 0
    notes: list[Skipped] = field(default_factory=list)


class _Lines:
    """Physical lines for csv.reader, remembering those the current record took so they can be re-read."""

    def __init__(self, text: str):
        self._lines = iter(io.StringIO(text, newline=""))
        self._back: list[tuple[int, str]] = []
        self._count = 0
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.pop()
        else:
            line = next(self._lines)
            self._count += 1
            item = (self._count, line)
        self.taken.append(item)
        return item[1]

    def push_back(self, items: list[tuple[int, str]]) -> None:
        self._back.extend(reversed(items))


def iter_records(text: str, delimiter: str = ",") -> Iterator[Record]:
    """Records of a CSV text, numbered as spreadsheet rows; a malformed one is reported and parsing goes on."""
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:  # only ever raised: the limit is global to the process
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    row = 0
    while True:
        lines.taken = []
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row += 1
            lines.push_back(lines.taken[1:])  # what a stray quote swallowed is read again as rows
            yield Record(row, lines.taken[0][0] if lines.taken else 0, None, str(exc))
            continue
        row += 1
        yield Record(row, lines.taken[0][0] if lines.taken else 0, cells)


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: comma, tab (Excel "Unicode text") or semicolon (European Excel)."""
    counts = {",": 0, "\t": 0, ";": 0}
    quoted = False
    for ch in text[: text.find("\n") if "\n" in text else 10_000]:
        quoted = not quoted if ch == '"' else quoted
        if not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def decode_export(data: bytes, where: str, encoding: str = "") -> tuple[str, list[int]]:
    """Text of an export and the file lines that needed cp1252: a forced encoding, else BOM, UTF-16 without
    BOM, UTF-8, line by line when the file is mostly UTF-8 with a few other lines, then cp1252."""
    if data.startswith(b"PK\x03\x04"):
        raise ParseError(where, "looks like an Excel workbook (.xlsx); export the form entries as CSV instead")
    if encoding:
        return data.decode(encoding, errors="replace").lstrip("\ufeff"), []
    head, fallback = data[:4096], []
    if head.count(b"\x00") > len(head) // 4 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head[1::2].count(b"\x00") > head[0::2].count(b"\x00") else "utf-16-be"
        text = data.decode(codec, errors="replace")
    elif not data.startswith((b"\xff\xfe", b"\xfe\xff")) and not _is_utf8(data) and mostly_utf8(data):
        text, fallback = decode_lines(data.removeprefix(b"\xef\xbb\xbf"))
    else:
        text = decode_bytes(data)
    if "\x00" in text[:4096]:
        raise ParseError(where, "binary file, not a CSV export")
    return text.lstrip("\ufeff"), fallback


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def header_key(header: str) -> str:
    """A header compared case- and space-insensitively ("  Name_First: " -> "name first")."""
    key = header.replace("\ufeff", "").replace("_", " ").casefold()
    return " ".join(key.split()).rstrip(":*").strip()


def resolve_columns(headers: list[str], preset: str = "generic",
                    overrides: dict[str, Any] | None = None) -> dict[str, tuple[int, ...]]:
    """Column indexes per canonical field: overrides, then the preset's exact names, then its patterns."""
    keys = [header_key(h) for h in headers]
    table = presets.get_preset(preset)
    chosen = {f: tuple(_matches(keys, _override_names(f, v), set())) for f, v in (overrides or {}).items()}
    for phase in ("names", "patterns"):
        for name in presets.FIELDS:
            if name not in chosen:
                used = {i for idx in chosen.values() for i in idx}
                found = _matches(keys, getattr(table[name], phase), used, regex=phase == "patterns")
                if found:
                    chosen[name] = found
    if not chosen.get("text") and "text" not in (overrides or {}) and "improvement" not in (overrides or {}):
        _lone_column_is_text(chosen, keys, table)
    return {name: idx for name, idx in chosen.items() if idx}


def _lone_column_is_text(chosen: dict[str, tuple[int, ...]], keys: list[str], table: presets.Preset) -> None:
    """A form's only free-text column is the review text when its header also reads as one ("Comments or
    suggestions"); a form that only asks what to improve keeps it as `improvement`."""
    columns = chosen.get("improvement", ())
    text = table["text"]
    if columns and any(keys[i] in {header_key(n) for n in text.names}
                       or any(re.search(p, keys[i], re.I) for p in text.patterns) for i in columns):
        chosen["text"] = chosen.pop("improvement")


def _override_names(name: str, value: Any) -> list[str]:
    if name not in presets.FIELDS:
        raise ConfigError(f"csv columns: unknown field {name!r}; fields are {', '.join(presets.FIELDS)}")
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"csv columns.{name}: expected a header name or a list of names, got {value!r}")


def _matches(keys: list[str], wanted: Any, used: set[int], regex: bool = False) -> tuple[int, ...]:
    """Columns of the first name or pattern that matches; every column sharing that header (duplicates)."""
    for item in wanted:
        test = re.compile(item, re.I).search if regex else header_key(item).__eq__
        hits = [i for i, key in enumerate(keys) if i not in used and test(key)]
        if hits:
            return tuple(i for i in hits if keys[i] == keys[hits[0]])
    return ()


def parse_csv_text(text: str, config: SourceConfig, where: str = "export.csv",
                   fallback_lines: list[int] | None = None) -> ParsedFile:
    """Reviews from one export's text; ParseError when the file has no header or no review-text column.

    `fallback_lines` are file lines decoded as cp1252; the rows holding them are noted in the result.
    """
    records = iter_records(text, sniff_delimiter(text))
    header = next(records, None)
    if header is None or not header.cells or not any(cell.strip() for cell in header.cells):
        raise ParseError(where, "no header row; is this a CSV export of form entries?")
    headers = [clean_text(cell, 500) for cell in header.cells]
    columns = resolve_columns(headers, config.preset, config.columns)
    if "text" not in columns and "improvement" not in columns:
        raise ParseError(where, _no_text_reason(headers))
    name = os.path.basename(where)
    parsed = ParsedFile()
    pending = sorted(fallback_lines or [])
    for record in records:
        outcome = _row_outcome(record, headers, columns, config)
        if isinstance(outcome, RawReview):
            parsed.reviews.append(outcome)
        elif outcome:
            parsed.skipped.append(Skipped(f"{name} row {record.row}", outcome, expected=outcome.startswith("no review")))
            parsed.malformed += outcome.startswith("malformed")
        while pending and pending[0] < record.line:
            pending.pop(0)  # a line of the header, or of a record already passed
        if pending and record.cells is not None and pending[0] < record.line + _span(record):
            parsed.notes.append(Skipped(f"{name} row {record.row}", "not valid UTF-8: read as Windows-1252"))
            while pending and pending[0] < record.line + _span(record):
                pending.pop(0)
    if infer_day_first([r.published_raw for r in parsed.reviews]):
        parsed.reviews = [_redate(r) for r in parsed.reviews]
    return parsed


def _span(record: Record) -> int:
    """File lines a record covers (its cells may hold line breaks)."""
    return 1 + sum(cell.count("\n") for cell in record.cells or [])


def parse_csv_bytes(data: bytes, config: SourceConfig, where: str = "export.csv") -> ParsedFile:
    """Reviews from one export's bytes, decoded with `config.encoding` or detected."""
    text, fallback = decode_export(data, where, config.encoding)
    return parse_csv_text(text, config, where, fallback)


def _no_text_reason(headers: list[str]) -> str:
    shown = ", ".join(repr(h) for h in headers[:40]) + (" …" if len(headers) > 40 else "")
    example = next((h for h in headers if h), "Your review")
    return (f"no review-text column among the headers {shown}; name it in this source's table in plaudit.toml, "
            f"e.g. columns = {{ text = \"{example}\" }}")


def _row_outcome(record: Record, headers: list[str], columns: dict[str, tuple[int, ...]],
                 config: SourceConfig) -> RawReview | str | None:
    """A review, the reason the row is skipped, or None for a blank row."""
    if record.cells is None:
        return f"malformed row (line {record.line} of the file): {record.error}; check its quotes"
    cells = record.cells
    if not any(cell.strip() for cell in cells):
        return None
    if len(cells) > len(headers) and not any(cell.strip() for cell in cells[len(headers):]):
        cells = cells[: len(headers)]
    if len(cells) != len(headers):
        return (f"malformed row (line {record.line} of the file): {len(cells)} fields where the header has "
                f"{len(headers)}; a delimiter or quote is probably missing")
    review = row_review(cells, headers, columns, config)
    if review is None:
        column = headers[(columns.get("text") or columns["improvement"])[0]]
        return f"no review text (column {column!r} is empty)"
    return too_long(review.text) or too_long(review.improvement or "") or review


def row_review(cells: list[str], headers: list[str], columns: dict[str, tuple[int, ...]],
               config: SourceConfig) -> RawReview | None:
    """The review in one well-formed row; None when its text is empty."""
    def get(name: str, limit: int = 500) -> str:
        found = next((cells[i] for i in columns.get(name, ()) if cells[i].strip()), "")
        return clean_text(found, limit)

    text = get("text", MAX_TEXT_CHARS + 1)  # over the limit is refused by the caller, never cut
    improvement = get("improvement", MAX_TEXT_CHARS + 1)  # "what could we do better?": kept for staff
    if not text and not improvement:
        return None
    raw_date = " ".join(next((cells[i] for i in columns.get("submitted_at", ()) if cells[i].strip()), "").split())
    submitted = parse_submitted(raw_date)
    author = " ".join(part for part in (get("first_name"), get("last_name")) if part) or get("name")
    return RawReview(
        source=config.name, external_id=get("id", 200) or None, text=text,
        rating=parse_rating(get("rating", 100), config.rating_scale), author=author or None,
        published=submitted[:10] if submitted else None, published_raw=raw_date or None,
        title=get("title") or None, email=get("email", 320) or None, phone=get("phone", 64) or None,
        consent=_row_consent(cells, headers, columns, config, submitted),
        location=get("location", 100) or None, improvement=improvement or None,
    )


def _row_consent(cells: list[str], headers: list[str], columns: dict[str, tuple[int, ...]],
                 config: SourceConfig, at: str | None) -> Consent:
    if "consent" not in columns:
        return Consent(given=None)  # the form had no consent box: not publishable, but never a "no"
    index = next((i for i in columns["consent"] if cells[i].strip()), columns["consent"][0])
    text_cell = next((cells[i] for i in columns.get("consent_text", ()) if cells[i].strip()), "")
    return parse_consent(cells[index], headers[index], text_cell, config.consent_version, at)


def _redate(review: RawReview) -> RawReview:
    """The review with its n/n/yyyy date read day-first (the file showed that order elsewhere)."""
    submitted = parse_submitted(review.published_raw, day_first=True)
    consent = review.consent
    if consent is not None and consent.given is not None:
        consent = replace(consent, at=submitted)
    return replace(review, published=submitted[:10] if submitted else None, consent=consent)


class CsvFormSource:
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

    def collect(self, client: Any, cursor: dict[str, Any]) -> Batch:
        """Read every changed export; SourceUnavailable when none matches or every one fails."""
        paths = self.files()
        if not paths:
            raise SourceUnavailable(self.config.name, f"no file matches path {self.config.path!r}; "
                                                      "check `path` in this source's table in plaudit.toml")
        known = dict((cursor or {}).get("files") or {})
        batch, files = Batch(), {}
        failed = [path for path in paths if not self._collect_file(path, known.get(path), batch, files)]
        if len(failed) == len(paths):
            reasons = "; ".join(f"{s.where}: {s.reason}" for s in batch.skipped)
            raise SourceUnavailable(self.config.name, f"no export could be read ({reasons})")
        batch.complete = batch.complete and not failed
        batch.cursor = {"files": files}
        return batch

    def _collect_file(self, path: str, known: str | None, batch: Batch, files: dict[str, str]) -> bool:
        """Add one export to the batch (or leave it, when unchanged); False when it could not be used."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            batch.skipped.append(Skipped(path, f"cannot read the file: {exc.strerror or exc}"))
            return False
        digest = hashlib.sha256(data).hexdigest()
        if digest == known:
            files[path] = digest
            batch.complete = False  # its reviews were delivered by an earlier run, not this one
            return True
        try:
            parsed = parse_csv_bytes(data, self.config, where=path)
        except ParseError as exc:
            batch.skipped.append(Skipped(path, exc.reason))
            return False
        batch.reviews.extend(parsed.reviews)
        batch.skipped.extend(parsed.skipped)
        batch.notes.extend(parsed.notes)
        batch.complete = batch.complete and not parsed.malformed
        batch.pages += 1
        files[path] = digest
        return True
