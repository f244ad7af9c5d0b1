r"""Reviews from a listing page by configured CSS selectors (BeautifulSoup with the lxml parser).

Driven by a `selectors` source's `selectors` table, `rating_scale` (the best rating the page shows; DealerRater's
0–50 scale is 50) and `name`. Example for plaudit.toml:

    [[sources]]
    name = "dealerrater"
    kind = "selectors"
    url = "https://www.dealerrater.com/dealer/Example-review-123/"
    rating_scale = 50
    [sources.selectors]
    item = "div.review-entry"                      # one element per review (required)
    text = "span.review-title, span.review-whole"  # every match in the item, in order, joined (required)
    author = "span.notranslate"                    # a leading "— ", "-" or "by " is dropped
    date = "div.review-date div.italic"
    rating = "div.rating-static@class"             # `…@name` reads attribute `name` instead of the text
    rating_pattern = 'rating-(\d+)'                 # `<field>_pattern`: a regex applied to the value;
                                                   # group 1 is kept (the whole match if it has no group)
    id = "a[name]@name"                            # the page's own review id, used as external_id
    # title = "h3", url = "a.permalink@href"       # optional too; a url is resolved against the page
    # "@data-id" alone reads the item element's own attribute
    # date_format = "%d/%m/%Y"                     # strptime format, for pages with ambiguous numeric dates

Selectors are evaluated inside each item; a selector list ("a, b") matches both, in document order. For
`text` every match is read (block elements joined by a blank line, inline ones by a space); for the other
fields the first match. Script and style content is never read. Every value goes through `clean_text`.
Text wrapped in one pair of quotation marks is unwrapped; a trailing "… Read more" is dropped and marks the
review as an excerpt. A rating is the first number in the value (a decimal comma is read as a point, so
"5,0 su 5 stelle" is 5.0), else the number of "★"; it becomes value / rating_scale × 5. Dates are read as
`values.parse_date` reads them unless `date_format` is set. An unparseable rating or date is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, NavigableString, Tag

from pipeline.errors import ConfigError
from pipeline.models import RawReview
from pipeline.sources.structured import PageExtract, decode_html
from pipeline.sources.values import clean_author, normalise_rating, parse_date, parse_number
from pipeline.text import MAX_TEXT_CHARS, clean_text

FIELDS = ("text", "author", "rating", "date", "id", "title", "url")
_ATTRIBUTE_RE = re.compile(r"^(?P<css>.*?)@(?P<attr>[A-Za-z_:][-\w:.]*)$", re.DOTALL)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg", "head"})
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "
    "main nav ol p pre section table tr ul".split()
)
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_TRUNCATED_RE = re.compile(r"\s*(?:(?:…|\.\.\.)\s*(?:(?:read|see|show)\s+)?more|(?:read|see|show)\s+more)\s*$",
                           re.IGNORECASE)
_QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'", "「": "」", "”": "”"}
_CSS = BeautifulSoup("", "lxml").css  # only used to compile selectors


@dataclass(frozen=True)
class FieldRule:
    """How one field is read inside an item: a compiled selector (None: the item), an attribute, a regex."""

    css: Any | None
    attribute: str | None = None
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True)
class SelectorSpec:
    """A source's `selectors` table, validated and compiled."""

    item: Any
    fields: dict[str, FieldRule]
    date_format: str | None = None


def compile_selectors(selectors: dict[str, str], source: str = "") -> SelectorSpec:
    """Validate and compile a `selectors` table; raises ConfigError naming the bad key."""
    where = f"source {source!r}: selectors" if source else "selectors"
    known = {"item", "date_format", *FIELDS, *(f"{name}_pattern" for name in FIELDS)}
    unknown = sorted(set(selectors) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    if not selectors.get("item") or not selectors.get("text"):
        raise ConfigError(f"{where}: 'item' and 'text' are required")
    orphans = [f"{name}_pattern" for name in FIELDS if selectors.get(f"{name}_pattern") and not selectors.get(name)]
    if orphans:
        raise ConfigError(f"{where}: {', '.join(orphans)} set without the selector it narrows")
    fields = {name: _field_rule(selectors, name, where) for name in FIELDS if selectors.get(name)}
    return SelectorSpec(_compile_css(selectors["item"], f"{where}.item"), fields, selectors.get("date_format"))


def _field_rule(selectors: dict[str, str], name: str, where: str) -> FieldRule:
    css, attribute = split_attribute(selectors[name])
    pattern = selectors.get(f"{name}_pattern")
    try:
        compiled = re.compile(pattern) if pattern else None
    except re.error as exc:
        raise ConfigError(f"{where}.{name}_pattern: not a valid regular expression ({exc})") from exc
    return FieldRule(_compile_css(css, f"{where}.{name}") if css else None, attribute, compiled)


def _compile_css(css: str, where: str) -> Any:
    try:
        return _CSS.compile(css)
    except Exception as exc:  # soupsieve's SelectorSyntaxError, or worse on odd input
        raise ConfigError(f"{where}: not a valid CSS selector {css!r} ({exc})") from exc


def split_attribute(selector: str) -> tuple[str, str | None]:
    """Split "css@attr" into ("css", "attr"); a selector without a trailing @attr reads text."""
    match = _ATTRIBUTE_RE.match(selector.strip())
    if match and match["css"].count("[") == match["css"].count("]"):
        return match["css"].strip(), match["attr"]
    return selector.strip(), None


def parse_soup(body: bytes | str, encoding: str | None = None) -> BeautifulSoup:
    """Parse a page with BeautifulSoup and the lxml parser."""
    return BeautifulSoup(decode_html(body, encoding), "lxml")


def extract_page(soup: BeautifulSoup, page_url: str, spec: SelectorSpec, source: str,
                 rating_scale: float = 5.0) -> PageExtract:
    """Reviews with text and skipped items of a parsed page."""
    items = spec.item.select(soup)
    page = PageExtract(found=len(items), health=selector_health(items, spec))
    for number, item in enumerate(items, 1):
        page.add(review_from_item(item, spec, source, page_url, rating_scale), page_url, number)
    if items and page.health["text"][0] == 0:
        page.empty_reason = f"the text selector matched nothing in {len(items)} review item(s) (layout changed?)"
    return page


def selector_health(items: list[Tag], spec: SelectorSpec) -> dict[str, list[int]]:
    """How many of the page's items each selector matched: {"item": [1 if any, 1], field: [matched, items]}."""
    health = {"item": [int(bool(items)), 1]}
    for name, rule in spec.fields.items():
        if rule.css is not None:
            health[name] = [sum(rule.css.select_one(item) is not None for item in items), len(items)]
    return health


def extract_selected(body: bytes | str, page_url: str, selectors: dict[str, str], source: str,
                     rating_scale: float = 5.0, encoding: str | None = None) -> PageExtract:
    """Reviews from page bytes with a `selectors` table (compile, parse and extract in one call)."""
    return extract_page(parse_soup(body, encoding), page_url, compile_selectors(selectors, source), source,
                        rating_scale)


def review_from_item(item: Tag, spec: SelectorSpec, source: str, page_url: str,
                     rating_scale: float = 5.0) -> RawReview:
    """One item element as a RawReview; its text is "" when nothing readable was found."""
    def read(name: str) -> str:
        rule = spec.fields.get(name)
        return read_value(item, rule) if rule else ""

    text, is_excerpt = unwrap_text(clean_text(read_all(item, spec.fields["text"]), MAX_TEXT_CHARS + 1, markup=False))
    displayed_date = clean_text(read("date"), max_chars=200, markup=False) or None
    link = clean_text(read("url"), max_chars=2000, markup=False)
    return RawReview(
        source=source,
        external_id=clean_text(read("id"), max_chars=500, markup=False) or None,
        text=text,
        rating=parse_rating(read("rating"), rating_scale),
        author=clean_author(read("author")),
        published=parse_date(displayed_date, spec.date_format),
        published_raw=displayed_date,
        title=clean_text(read("title"), max_chars=500, markup=False) or None,
        url=urljoin(page_url, link) if link else None,
        is_excerpt=is_excerpt,
    )


def read_value(item: Tag, rule: FieldRule) -> str:
    """The first match's text or attribute, narrowed by the rule's pattern; "" when absent."""
    element = item if rule.css is None else rule.css.select_one(item)
    return _narrow(_value_of(element, rule.attribute), rule.pattern) if element is not None else ""


def read_all(item: Tag, rule: FieldRule) -> str:
    """Every match's text (or attribute) in document order, nested matches read once, joined."""
    elements = [item] if rule.css is None else rule.css.select(item)
    chosen = set(map(id, elements))
    parts: list[str] = []
    for element in elements:
        if any(id(parent) in chosen for parent in element.parents):
            continue
        if parts:
            parts.append("\n\n" if element.name in _BLOCK_TAGS else " ")
        parts.append(_narrow(_value_of(element, rule.attribute), rule.pattern))
    return "".join(parts)


def _value_of(element: Tag, attribute: str | None) -> str:
    if attribute is None:
        return element_text(element)
    value = element.get(attribute)
    return " ".join(value) if isinstance(value, list) else (value or "")


def _narrow(value: str, pattern: re.Pattern[str] | None) -> str:
    if pattern is None:
        return value
    match = pattern.search(value)
    if not match:
        return ""
    return (match.group(1) or "") if pattern.groups else match.group(0)


def element_text(element: Tag) -> str:
    """Visible text of an element: source whitespace collapsed, <br> and block ends as line breaks."""
    parts: list[str] = []
    stack: list[Any] = list(reversed(element.contents))
    while stack:  # iterative: hostile nesting cannot exhaust the recursion limit
        node = stack.pop()
        if type(node) is str:  # a closing line break queued below
            parts.append(node)
        elif type(node) is NavigableString:  # comments, CDATA and script strings are subclasses: skipped
            parts.append(_HTML_SPACE_RE.sub(" ", node))
        elif isinstance(node, Tag) and node.name not in _SKIP_TAGS:
            if node.name == "br":
                parts.append("\n")
                continue
            if node.name in _BLOCK_TAGS:
                parts.append("\n")
                stack.append("\n")
            stack.extend(reversed(node.contents))
    return "".join(parts)


def unwrap_text(text: str) -> tuple[str, bool]:
    """Text without enclosing quotation marks or a trailing "… Read more"; True when it was cut short."""
    match = _TRUNCATED_RE.search(text)
    if match and match.start() > 0:
        return unwrap_text(text[:match.start()].rstrip())[0], True
    if len(text) > 2 and _QUOTE_PAIRS.get(text[0]) == text[-1]:
        inner = text[1:-1]
        if text[0] not in inner and text[-1] not in inner:
            return inner.strip(), False
    return text, False


def parse_rating(value: str, rating_scale: float = 5.0) -> float | None:
    """A displayed rating (first number, else count of "★") as value / rating_scale × 5; None if unreadable."""
    number = parse_number(value)
    if number is None:
        number = float(value.count("★")) or None
    if number is None or number <= 0 or rating_scale <= 0:
        return None
    return normalise_rating(max(number / rating_scale * 5.0, 1.0), 5.0, 1.0)
