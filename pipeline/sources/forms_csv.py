"""Patient reviews from the CSV exports of form tools (Gravity Forms, WPForms, Google Forms, Typeform, Jotform).

Settings (one `[[sources]]` table with `kind = "csv"`): `path` (a file or glob of exports, read in sorted
order), `preset` and `columns` (how headers map to fields, see `form_presets`), `consent_version` (the version
label of the consent wording the form showed, stored on every Consent), `rating_scale` (the form's best
rating; a fraction such as "8/10" carries its own), `encoding` (force a text encoding instead of detecting it).

Files are read by `csv_source.CsvFormSource`, streamed (`csv_files`); this module turns lines into reviews
(`read_rows`), a row at a time, and `parse_csv_text`/`parse_csv_bytes` do the same for an export in memory.

Malformed rows are found with the csv module in strict mode: a stray quote raises `csv.Error`; the row is
skipped and every line it swallowed after its first is parsed again, so an unbalanced quote costs one row,
not the rest of the file. A row whose field count differs from the header is skipped (extra empty trailing
cells are allowed). Row numbers are spreadsheet rows: the header is row 1 and a multi-line cell is one row.

Cells become values in `form_values` (ratings, consent, submission dates). Dates "n/n/yyyy" are read
month-first unless the same file shows day-first elsewhere (`file_day_first`, a first pass over the file).
A form without a consent column gives `Consent(given=None)`: not publishable, and not recorded as a "no".
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import ConfigError, ParseError
from pipeline.models import Consent, RawReview, Skipped, SourceConfig
from pipeline.sources import form_presets as presets
from pipeline.sources.form_values import infer_day_first, parse_consent, parse_rating, parse_submitted
from pipeline.text import MAX_TEXT_CHARS, clean_text, decode_bytes, decode_lines, mostly_utf8, too_long

FIELD_SIZE_LIMIT = 64 * 1024 * 1024  # one cell; csv's default (128 KiB) rejects long testimonials
FALLBACK_NOTE = "not valid UTF-8: read as Windows-1252"


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: its spreadsheet row, the file line it starts on, and its cells or why it is unreadable."""

    row: int
    line: int
    cells: list[str] | None
    error: str | None = None
    fallback: bool = False  # a line of it needed cp1252 (a mostly-UTF-8 file)


@dataclass(slots=True)
class ParsedFile:
    """The reviews read from one export, the rows skipped, and how many of those were malformed."""

    reviews: list[RawReview] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    malformed: int = 0
    notes: list[Skipped] = field(default_factory=list)


class _Lines:
    """Physical lines for csv.reader, remembering those the current record took so they can be re-read.

    Fed (text, needed-cp1252) pairs, a line at a time, so a file is never held whole.
    """

    def __init__(self, lines: Iterable[tuple[str, bool]]):
        self._lines = iter(lines)
        self._back: list[tuple[int, str, bool]] = []
        self._count = 0
        self.taken: list[tuple[int, str, bool]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._back:
            item = self._back.pop()
        else:
            line, fallback = next(self._lines)
            self._count += 1
            item = (self._count, line, fallback)
        self.taken.append(item)
        return item[1]

    def push_back(self, items: list[tuple[int, str, bool]]) -> None:
        self._back.extend(reversed(items))


def text_lines(text: str, fallback_lines: Iterable[int] = ()) -> Iterator[tuple[str, bool]]:
    """The lines of a text (line ends kept), each with whether it is one of the `fallback_lines` (1-based)."""
    fallback = set(fallback_lines)
    for number, line in enumerate(io.StringIO(text, newline=""), 1):
        yield line, number in fallback


def iter_records(text: str | Iterable[tuple[str, bool]], delimiter: str = ",") -> Iterator[Record]:
    """Records of a CSV text (or of its lines), numbered as spreadsheet rows; a malformed one is reported and
    parsing goes on."""
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:  # only ever raised: the limit is global to the process
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    lines = _Lines(text_lines(text) if isinstance(text, str) else text)
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
        fallback = any(item[2] for item in lines.taken)
        yield Record(row, lines.taken[0][0] if lines.taken else 0, cells, fallback=fallback)


def delimited_records(lines: Iterable[tuple[str, bool]]) -> Iterator[Record]:
    """Records of an export's lines, with the delimiter its header line uses."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        return iter(())
    return iter_records(itertools.chain([first], lines), sniff_delimiter(first[0]))


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
    def lines() -> Iterator[tuple[str, bool]]:
        return text_lines(text, fallback_lines or ())

    parsed = ParsedFile()
    for item in read_rows(lines(), config, where, file_day_first(lines(), config, where)):
        file_item(parsed, item)
        parsed.malformed += isinstance(item, Skipped) and item.reason.startswith("malformed")
    return parsed


def file_item(into: Any, item: RawReview | Skipped) -> None:
    """Put one row's outcome where it belongs in a result with reviews, notes and skipped lists."""
    if isinstance(item, RawReview):
        into.reviews.append(item)
    elif item.reason == FALLBACK_NOTE:
        into.notes.append(item)
    else:
        into.skipped.append(item)


def read_rows(lines: Iterable[tuple[str, bool]], config: SourceConfig, where: str,
              day_first: bool | None = None) -> Iterator[RawReview | Skipped]:
    """A review or a Skipped (a row left out, or a note on a kept row) per row of an export, in file order.

    Raises ParseError before any row when the file has no header or no review-text column.
    """
    records = delimited_records(lines)
    headers, columns = _header(next(records, None), config, where)
    name = os.path.basename(where)
    for record in records:
        outcome = _row_outcome(record, headers, columns, config, day_first)
        if isinstance(outcome, RawReview):
            yield outcome
            if record.fallback:
                yield Skipped(f"{name} row {record.row}", FALLBACK_NOTE)
        elif outcome:
            yield Skipped(f"{name} row {record.row}", outcome, expected=outcome.startswith("no review"))


def file_day_first(lines: Iterable[tuple[str, bool]], config: SourceConfig, where: str) -> bool | None:
    """Whether the export's n/n/yyyy dates are day-first, judged from its whole date column (a first pass)."""
    records = delimited_records(lines)
    headers, columns = _header(next(records, None), config, where)
    dates = columns.get("submitted_at", ())
    if not dates:
        return None
    return infer_day_first(next((record.cells[i] for i in dates if record.cells[i].strip()), None)
                           for record in records if record.cells is not None and len(record.cells) >= len(headers))


def _header(header: Record | None, config: SourceConfig, where: str) -> tuple[list[str], dict[str, tuple[int, ...]]]:
    if header is None or not header.cells or not any(cell.strip() for cell in header.cells):
        raise ParseError(where, "no header row; is this a CSV export of form entries?")
    headers = [clean_text(cell, 500) for cell in header.cells]
    columns = resolve_columns(headers, config.preset, config.columns)
    if "text" not in columns and "improvement" not in columns:
        raise ParseError(where, _no_text_reason(headers))
    return headers, columns


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
                 config: SourceConfig, day_first: bool | None = None) -> RawReview | str | None:
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
    review = row_review(cells, headers, columns, config, day_first)
    if review is None:
        column = headers[(columns.get("text") or columns["improvement"])[0]]
        return f"no review text (column {column!r} is empty)"
    return too_long(review.text) or too_long(review.improvement or "") or review


def row_review(cells: list[str], headers: list[str], columns: dict[str, tuple[int, ...]],
               config: SourceConfig, day_first: bool | None = None) -> RawReview | None:
    """The review in one well-formed row; None when its text is empty. `day_first`: see `file_day_first`."""
    def get(name: str, limit: int = 500) -> str:
        found = next((cells[i] for i in columns.get(name, ()) if cells[i].strip()), "")
        return clean_text(found, limit)

    text = get("text", MAX_TEXT_CHARS + 1)  # over the limit is refused by the caller, never cut
    improvement = get("improvement", MAX_TEXT_CHARS + 1)  # "what could we do better?": kept for staff
    if not text and not improvement:
        return None
    raw_date = " ".join(next((cells[i] for i in columns.get("submitted_at", ()) if cells[i].strip()), "").split())
    submitted = parse_submitted(raw_date, day_first)
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
