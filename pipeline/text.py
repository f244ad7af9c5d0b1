"""Text helpers shared by every stage: cleaning untrusted text, normalising it, hashing it, splitting sentences.

Review text is hostile input. `clean_text` turns whatever a source delivered (HTML fragments, odd encodings,
control characters, megabyte bodies) into plain, bounded Unicode text; everything downstream works on that.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

MAX_TEXT_CHARS = 100_000  # a longer review is refused with a reported reason, never cut silently

_TAG_RE = re.compile(r"<[^>]{0,2000}>")
# Inline tags sit inside words and sentences ("<a>helpful</a>!"): removed without a space, as a browser shows them.
_INLINE_TAG_RE = re.compile(r"</?(?:a|abbr|b|big|cite|code|del|em|font|i|ins|mark|q|s|small|span|strike|strong|sub|"
                            r"sup|time|u)(?:\s[^>]{0,2000})?/?>", re.IGNORECASE)
_HIDDEN_BLOCK_RE = re.compile(r"<(script|style|template|noscript)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u3000]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")
_READ_MORE_RE = re.compile(r"(?:(?:\.\.\.|…)\s*(?:read|see)?\s*more|\s(?:read|see) more)\s*$", re.IGNORECASE)
_NORMAL_DROP_RE = re.compile(r"[^\w\s]", re.UNICODE)
_BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")
_ABBREVIATIONS = frozenset("dr mr mrs ms st jr sr vs etc prof mt no approx dept e.g i.e a.m p.m".split())
_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
_WORD_RE = re.compile(r"\w+(?:['’]\w+)?", re.UNICODE)
_ALNUM_RE = re.compile(r"[^\W_]")  # a character isalnum() is true of


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode bytes from a file or response: BOM, declared charset, UTF-8, then cp1252 as a last resort."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    for codec in filter(None, (declared, "utf-8")):
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def too_long(text: str) -> str | None:
    """The reason a cleaned review text is refused (over MAX_TEXT_CHARS), or None when it may be kept whole.

    Sources clean review text with `max_chars=MAX_TEXT_CHARS + 1`, so a text over the limit shows as one.
    """
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return f"review text over {MAX_TEXT_CHARS:,} characters: not stored (no review is that long; check the source)"


def decode_lines(data: bytes) -> tuple[str, list[int]]:
    """Mostly-UTF-8 bytes decoded line by line: UTF-8 where a line is valid, cp1252 where it is not.

    Returns the text and the (1-based) line numbers that needed cp1252, so one Latin-1 row in a UTF-8 export
    does not turn every "Peña" of the file into "PeÃ±a".
    """
    lines, fallback = [], []
    for number, line in enumerate(data.split(b"\n"), 1):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            fallback.append(number)
    return "\n".join(lines), fallback


def mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes belong to valid UTF-8 sequences (the file was meant as UTF-8)."""
    in_sequences, high = utf8_counts(data)
    return in_sequences > 0 and in_sequences > high - in_sequences


def utf8_counts(data: bytes) -> tuple[int, int]:
    """Bytes inside well-formed UTF-8 sequences, and all bytes above 0x7F (summed per line by streamed reads)."""
    return sum(len(m) for m in _UTF8_SEQUENCE_RE.findall(data)), len(_HIGH_BYTE_RE.findall(data))


def clean_text(raw: str | None, max_chars: int = MAX_TEXT_CHARS, markup: bool = True) -> str:
    """Plain text from untrusted input: tags dropped, entities decoded, controls removed, spaces tidied.

    markup=False is for text already taken out of a parsed page: its entities are decoded and anything that
    looks like a tag is the patient's own text ("Eve <admin>"), so both are kept as they are.
    """
    if not raw:
        return ""
    if raw.isascii() and raw.isprintable() and "<" not in raw and "&" not in raw and "  " not in raw:
        # most cells: one line of plain printable text, nothing to clean (checked with C-speed tests)
        return raw.strip()[:max_chars].strip()
    text = raw[: max_chars * 4]
    if markup:
        if "<" in text:
            text = _TAG_RE.sub(" ", _INLINE_TAG_RE.sub("", _HIDDEN_BLOCK_RE.sub(" ", text)))
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL_RE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_RE.sub(" ", text)
    text = _BLANK_LINES_RE.sub("\n\n", text)
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    return text[:max_chars].strip()


def strip_read_more(text: str) -> str:
    """Drop a trailing "… Read more" left by truncated listing pages."""
    return _READ_MORE_RE.sub("", text).rstrip()


def normalise(text: str) -> str:
    """Lower-case, accent-folded, punctuation-free, single-spaced text: the key for exact duplicates."""
    if text.isascii():  # the common case; same result without the per-character accent folding
        return " ".join(_NORMAL_DROP_RE.sub(" ", text.lower()).split())
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = _NORMAL_DROP_RE.sub(" ", folded)
    return " ".join(folded.split())


def text_hash(text: str) -> str:
    """Stable hash of the normalised text (exact-duplicate key)."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:32]


def stable_id(*parts: object) -> str:
    """A short stable id from parts (None-safe); used for review ids and content hashes."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


def words(text: str) -> list[str]:
    """Word tokens of a text, apostrophes kept inside words."""
    return _WORD_RE.findall(text)


def word_count(text: str) -> int:
    """Number of words in a text."""
    return len(_WORD_RE.findall(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over the text, each stripped of surrounding space; no empty spans."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(text):
        end = match.end()
        if text[match.start()] == "." and _ends_with_abbreviation(text, match.start()):
            continue
        _append_span(spans, text, start, end)
        start = end
    _append_span(spans, text, start, len(text))
    return spans


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    tail = text[max(0, dot - 6):dot].rsplit(None, 1)[-1:] or [""]
    word = tail[0].lower().lstrip("(\"'")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _append_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    part = text[start:end]
    stripped = part.strip()  # strip() removes exactly the characters isspace() is true of
    if stripped and _ALNUM_RE.search(stripped):
        start += len(part) - len(part.lstrip())
        spans.append((start, start + len(stripped)))


def sentences(text: str) -> list[str]:
    """The sentences of a text, as strings."""
    return [text[s:e] for s, e in split_sentences(text)]
