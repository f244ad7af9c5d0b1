"""Export files on disk, streamed: one pass for the digest and the encoding, then decoded lines one at a time.

The same decoding rules as `forms_csv.decode_export` (which reads bytes already in memory), without holding the
file: a forced encoding, else a BOM, UTF-16 without a BOM (many NUL bytes in the first 4 KiB), UTF-8 when the
whole file is valid UTF-8, line by line (UTF-8 where valid, cp1252 where not) when it is mostly UTF-8, else
cp1252. A line split on b"\\n" never cuts a UTF-8 character, so validity can be judged line by line.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.errors import ParseError
from pipeline.text import utf8_counts

HEAD_BYTES = 4096
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class FileScan:
    """What one pass over an export's bytes found: its digest and how to decode it."""

    digest: str  # sha256 of the bytes, the cursor's record of the file
    codec: str  # a codec name, or "utf-8-lines": UTF-8 per line with cp1252 for the lines that are not
    skip: int = 0  # bytes of BOM to skip


def scan_file(path: str, encoding: str = "") -> FileScan:
    """Digest and decoding of the file at `path` in one streamed pass; ParseError for a workbook or binary."""
    digest = hashlib.sha256()
    valid, in_sequences, high = True, 0, 0
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        handle.seek(0)
        for line in handle:
            digest.update(line)
            if not line.isascii():
                sequences, highs = utf8_counts(line)
                in_sequences, high = in_sequences + sequences, high + highs
                valid = valid and _valid_utf8(line)
    if head.startswith(b"PK\x03\x04"):
        raise ParseError(path, "looks like an Excel workbook (.xlsx); export the form entries as CSV instead")
    return FileScan(digest.hexdigest(), *_codec(head, encoding, valid, in_sequences, high))


def _codec(head: bytes, encoding: str, valid: bool, in_sequences: int, high: int) -> tuple[str, int]:
    if encoding:
        return encoding, 0
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if head.count(b"\x00") > len(head) // 4:
        return ("utf-16-le" if head[1::2].count(b"\x00") > head[0::2].count(b"\x00") else "utf-16-be"), 0
    if valid:
        return "utf-8", 0
    mostly = in_sequences > 0 and in_sequences > high - in_sequences
    return ("utf-8-lines" if mostly else "cp1252"), 0


def _valid_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decoded_lines(path: str, scan: FileScan) -> Iterator[tuple[str, bool]]:
    """The file's lines (line ends kept) as text, each with whether it needed cp1252 in a mostly-UTF-8 file."""
    if scan.codec not in ("utf-8", "utf-8-lines", "cp1252"):
        yield from _text_mode_lines(path, scan)
        return
    with open(path, "rb") as handle:
        handle.seek(scan.skip)
        for number, line in enumerate(handle, 1):
            if scan.codec == "utf-8-lines":
                try:
                    text, fallback = line.decode("utf-8"), False
                except UnicodeDecodeError:
                    text, fallback = line.decode("cp1252", errors="replace"), True
            else:
                text, fallback = line.decode(scan.codec, errors="replace"), False
            yield _checked(text.lstrip("\ufeff") if number == 1 else text, number, path), fallback


def _text_mode_lines(path: str, scan: FileScan) -> Iterator[tuple[str, bool]]:
    with open(path, "rb") as raw:
        raw.seek(scan.skip)
        with io.TextIOWrapper(raw, encoding=scan.codec, errors="replace", newline="") as handle:
            for number, line in enumerate(handle, 1):
                yield _checked(line.lstrip("\ufeff") if number == 1 else line, number, path), False


def _checked(text: str, number: int, path: str) -> str:
    if number <= 20 and "\x00" in text:
        raise ParseError(path, "binary file, not a CSV export")
    return text
