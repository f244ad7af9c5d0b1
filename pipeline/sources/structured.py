"""Schema.org `Review` and `AggregateRating` from a listing page's JSON-LD and microdata.

Driven by a source's `name` (stamped on every review) and `rating_scale` (the best rating assumed when the
markup states no `bestRating`); a `schema_org` source in plaudit.toml needs nothing else.

The page is parsed once with lxml; JSON-LD blocks are read from that tree one by one and microdata through
extruct (`syntaxes=["microdata"]`, `uniform=True`) on the same tree. JSON-LD is not left to extruct because
one broken block makes extruct drop every JSON-LD block of the page; here a broken block becomes a `Skipped`
entry and the rest of the page is still read. extruct does not flatten `@graph` either: every node is
walked, so reviews nested under `@graph`, `mainEntity`, `itemReviewed`, `review` or `reviews` are all found,
and `{"@id": …}` references are resolved.

Values (numbers, counts, dates and author names are read by `values.py`, shared with `selectors.py`):
- ratings map linearly from [worstRating (default 1), bestRating (default `rating_scale`)] onto 1–5, to two
  decimals; unparseable or out of range → None. An AggregateRating is read the same way, with `reviewCount`
  (else `ratingCount`) as its count;
- dates become ISO `YYYY-MM-DD` when unambiguous (see `values.parse_date`); the string as written is kept
  as `published_raw`;
- `external_id` is the review's `@id` (microdata `itemid`), else its `url`, as written, so it stays the same
  whichever page the review is on; blank nodes (`_:b0`) have no identity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import extruct
import jstyleson  # extruct's own lenient JSON parser (comments, trailing commas)
import lxml.etree
import lxml.html

from pipeline.errors import ParseError
from pipeline.models import AggregateRating, RawReview, Skipped, unusable
from pipeline.sources.values import (
    MAX_VALUE_DEPTH,
    as_text,
    clean_author,
    normalise_rating,
    parse_count,
    parse_date,
    parse_number,
)
from pipeline.text import MAX_TEXT_CHARS, clean_text, decode_bytes

REVIEW_TYPES = frozenset({"Review", "UserReview", "CriticReview", "EmployerReview"})
AGGREGATE_TYPES = frozenset({"AggregateRating"})

_COMMENT_LINE_RE = re.compile(r"^\s*(?://.*|<!--.*?-->)\s*$", re.MULTILINE)
_WRAPPER_RE = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?://\s*\]\]>|\]\]>|-->)\s*$")
_META_CHARSET_RE = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]{1,40})", re.IGNORECASE)
_BREAK_TAG_RE = re.compile(r"<br\s*/?>|</p\s*>", re.IGNORECASE)


@dataclass
class PageExtract:
    """What one page yielded: reviews with text, what was skipped and why, the page's own rating summary."""

    reviews: list[RawReview] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    aggregate: AggregateRating | None = None
    found: int = 0  # review items seen, with or without text; 0 on a listing page suggests a changed layout
    health: dict[str, list[int]] = field(default_factory=dict)  # selector -> [items it matched, items tried]
    empty_reason: str = ""  # items were found but none can be read (a required selector matched nothing)

    def add(self, review: RawReview, page_url: str, number: int) -> None:
        """Keep a review with text; note one without (a normal rating-only review) or too long as skipped."""
        skip = unusable(review, f"{page_url} review {number}")
        if skip:
            self.skipped.append(skip)
        else:
            self.reviews.append(review)


@dataclass
class SchemaData:
    """Every schema.org node of a page: top-level items (`@graph` flattened) and blocks that could not be read."""

    items: list[Any]
    skipped: list[Skipped]

    def reviews(self) -> list[dict[str, Any]]:
        """All Review nodes, nested ones included, with or without a body (merged by `@id`)."""
        return find_typed(self.items, REVIEW_TYPES)

    def aggregates(self) -> list[dict[str, Any]]:
        """All AggregateRating nodes, nested ones included (merged by `@id`)."""
        return find_typed(self.items, AGGREGATE_TYPES)


# --- parsing -------------------------------------------------------------------------------------------


def decode_html(body: bytes | str, declared: str | None = None) -> str:
    """Page text from response bytes: BOM, the declared charset, a `<meta charset>`, UTF-8, then cp1252."""
    if isinstance(body, str):
        return body
    if not declared:
        match = _META_CHARSET_RE.search(body[:4096])
        declared = match.group(1).decode("ascii", "ignore") if match else None
    return decode_bytes(body, declared)


def parse_document(body: bytes | str, encoding: str | None = None) -> lxml.html.HtmlElement:
    """Parse a page once with lxml; raises ParseError when the bytes hold no HTML document."""
    data = decode_html(body, encoding).encode("utf-8")
    try:
        return lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError("page", f"not an HTML document ({exc})") from exc


def schema_data(doc: lxml.html.HtmlElement, page_url: str) -> SchemaData:
    """The page's JSON-LD and microdata items; a broken block is reported, never fatal."""
    items, skipped = json_ld_items(doc, page_url)
    try:
        found = extruct.extract(doc, base_url=page_url, syntaxes=["microdata"], uniform=True, errors="strict")
        items.extend(found.get("microdata", []))
    except Exception as exc:  # extruct raises whatever its parsers raise; the JSON-LD is still good
        skipped.append(Skipped(f"{page_url} microdata", f"microdata could not be read: {exc}"))
    return SchemaData(items, skipped)


def json_ld_items(doc: lxml.html.HtmlElement, page_url: str) -> tuple[list[Any], list[Skipped]]:
    """Top-level items of every JSON-LD block (arrays and `@graph` flattened), and the blocks that failed."""
    items: list[Any] = []
    skipped: list[Skipped] = []
    scripts = (s for s in doc.iter("script") if _is_json_ld(s.get("type")))
    for number, script in enumerate(scripts, 1):
        try:
            values = parse_json_ld(script.text or "")
        except ValueError as exc:
            skipped.append(Skipped(f"{page_url} JSON-LD block {number}", f"invalid JSON-LD: {exc}"))
            continue
        items.extend(_flatten_graph(values))
    return items, skipped


def parse_json_ld(text: str) -> list[Any]:
    """The values in one JSON-LD block, read leniently (comment wrappers, trailing commas); ValueError if hopeless."""
    text = _WRAPPER_RE.sub("", text.strip()).strip()
    if not text:
        raise ValueError("empty block")
    try:
        return _decode_all(text)
    except (ValueError, RecursionError) as first:
        try:
            return _as_list(jstyleson.loads(_COMMENT_LINE_RE.sub("", text), strict=False))
        except Exception:  # jstyleson raises ValueError or worse on garbage; report the clearer first error
            raise ValueError(str(first)) from None


def _decode_all(text: str) -> list[Any]:
    # Some sites put several objects in one block ("{…}{…}") or end it with ";".
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    position = 0
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        values.extend(_as_list(value))
        while position < len(text) and (text[position].isspace() or text[position] in ";,"):
            position += 1
    return values


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_json_ld(script_type: str | None) -> bool:
    return (script_type or "").split(";")[0].strip().lower() == "application/ld+json"


def _flatten_graph(values: list[Any]) -> Iterator[Any]:
    stack = list(reversed(values))
    while stack:  # iterative: hostile nesting cannot exhaust the recursion limit
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict) and "@graph" in value:
            rest = {k: v for k, v in value.items() if k not in ("@graph", "@context")}
            if len(rest) > 1 or (rest and "@id" not in rest):
                yield rest
            stack.extend(reversed(_as_list(value["@graph"])))
        else:
            yield value


# --- finding nodes -------------------------------------------------------------------------------------


def walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict inside a JSON value, in document order (iterative: hostile nesting cannot overflow)."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def node_types(node: dict[str, Any]) -> set[str]:
    """A node's schema.org types without vocabulary prefixes ("http://schema.org/Review" → "Review")."""
    types = node.get("@type") or []
    types = types if isinstance(types, list) else [types]
    return {t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in types if isinstance(t, str)}


def node_id(node: dict[str, Any]) -> str | None:
    """The node's `@id` (JSON-LD) or `id` (extruct's uniform microdata itemid); blank nodes have none."""
    value = node.get("@id") or node.get("id")
    if not isinstance(value, str) or not value.strip() or value.startswith("_:"):
        return None
    return value.strip()


def find_typed(items: list[Any], types: frozenset[str]) -> list[dict[str, Any]]:
    """Nodes of any of these types anywhere in the items; nodes sharing an `@id` are merged into one."""
    found: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for node in walk(items):
        if not node_types(node) & types:
            continue
        ident = node_id(node)
        if ident is None or ident not in by_id:
            node = dict(node)
            found.append(node)
            if ident:
                by_id[ident] = node
        else:
            by_id[ident].update({k: v for k, v in node.items() if v and not by_id[ident].get(k)})
    return found


def references(items: list[Any]) -> dict[str, dict[str, Any]]:
    """Nodes by `@id`, for resolving `{"@id": …}` references (bare references themselves are left out)."""
    return {ident: node for node in walk(items) if len(node) > 1 and (ident := node_id(node))}


def _resolve(value: Any, refs: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and len(value) == 1 and (ident := node_id(value)):
        return refs.get(ident, value)
    return value


# --- reviews -------------------------------------------------------------------------------------------


def extract_page(doc: lxml.html.HtmlElement, page_url: str, source: str, rating_scale: float = 5.0) -> PageExtract:
    """Reviews with text, skipped items and the first AggregateRating of a parsed page."""
    data = schema_data(doc, page_url)
    refs = references(data.items)
    nodes = data.reviews()
    page = PageExtract(skipped=list(data.skipped), found=len(nodes))
    for number, node in enumerate(nodes, 1):
        page.add(review_from_node(node, source, page_url, refs, rating_scale), page_url, number)
    aggregates = data.aggregates()
    page.aggregate = aggregate_from_node(aggregates[0], rating_scale) if aggregates else None
    return page


def extract_structured(body: bytes | str, page_url: str, source: str, rating_scale: float = 5.0,
                       encoding: str | None = None) -> PageExtract:
    """Reviews from page bytes (parse and extract in one call)."""
    return extract_page(parse_document(body, encoding), page_url, source, rating_scale)


def review_from_node(node: dict[str, Any], source: str, page_url: str,
                     refs: dict[str, dict[str, Any]] | None = None, rating_scale: float = 5.0) -> RawReview:
    """One Review node as a RawReview; its text is "" when the node has no body."""
    refs = refs or {}
    body = first_text(node, ("reviewBody", "description", "text"), refs)
    displayed = clean_text(first_text(node, ("datePublished", "dateCreated"), refs), max_chars=200) or None
    link = first_text(node, ("url",), refs)
    return RawReview(
        source=source,
        external_id=node_id(node) or (link.strip() or None),
        text=clean_text(_BREAK_TAG_RE.sub("\n", body[: MAX_TEXT_CHARS * 4]), MAX_TEXT_CHARS + 1),
        rating=_rating(_resolve(node.get("reviewRating"), refs), rating_scale),
        author=clean_author(person_name(node.get("author"), refs)),
        published=parse_date(displayed),
        published_raw=displayed,
        title=clean_text(first_text(node, ("name", "headline"), refs)) or None,
        url=urljoin(page_url, link.strip()) if link.strip() else None,
    )


def aggregate_from_node(node: dict[str, Any], rating_scale: float = 5.0) -> AggregateRating:
    """A schema.org AggregateRating as the 1–5 model."""
    count = parse_count(node.get("reviewCount"))
    if count is None:
        count = parse_count(node.get("ratingCount"))
    return AggregateRating(_rating(node, rating_scale), count)


def _rating(value: Any, rating_scale: float) -> float | None:
    if isinstance(value, dict):
        best = parse_number(value.get("bestRating"))
        worst = parse_number(value.get("worstRating"))
        return normalise_rating(parse_number(value.get("ratingValue")), best or rating_scale,
                                1.0 if worst is None else worst)
    return normalise_rating(parse_number(value), rating_scale, 1.0)


def first_text(node: dict[str, Any], keys: tuple[str, ...], refs: dict[str, dict[str, Any]]) -> str:
    """The first non-empty text among these properties (strings, numbers, `@value` objects, lists)."""
    for key in keys:
        text = as_text(_resolve(node.get(key), refs))
        if text.strip():
            return text
    return ""


def person_name(value: Any, refs: dict[str, dict[str, Any]] | None = None, depth: int = 0) -> str:
    """An author's display name: a string, or a Person/Organization's `name` (or given + family name)."""
    value = _resolve(value, refs or {})
    if isinstance(value, list) and depth <= MAX_VALUE_DEPTH:
        return next((name for item in value if (name := person_name(item, refs, depth + 1)).strip()), "")
    if isinstance(value, dict):
        parts = (as_text(value.get("givenName")), as_text(value.get("familyName")))
        return as_text(value.get("name")) or " ".join(p for p in parts if p) or as_text(value)
    return as_text(value)
