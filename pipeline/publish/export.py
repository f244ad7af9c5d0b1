"""The static export the website can serve as files: testimonials.json, summary.json, an HTML fragment, the
widget (`widget.js`, reading the JSON files beside it) and a sample host page (`example.html`).

Each file is written to a temporary name and renamed into place, so a web server never serves half a file.
Every text is escaped for HTML; the fragment carries the "Selected testimonials" label and links to the full
listings. With these files a website needs no running app at all.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pipeline.publish.widget import sample_page, widget_script


def write_export(folder: Path, testimonials: list[dict[str, Any]], summary: list[dict[str, Any]],
                 meta: dict[str, Any]) -> None:
    """Write the export files atomically: the data, the HTML fragment, the widget and a sample host page."""
    folder.mkdir(parents=True, exist_ok=True)
    label = meta["disclosure_label"]
    _atomic_write(folder / "testimonials.json", _json({
        "label": label, "published_at": meta["published_at"], "publish_id": meta["publish_id"],
        "practice_name": meta["practice_name"],
        "full_reviews": full_review_links(summary), "testimonials": testimonials}))
    _atomic_write(folder / "summary.json", _json({
        "published_at": meta["published_at"], "total_reviews": meta["total_reviews"],
        "rated_reviews": meta["rated_reviews"], "average_rating": meta["average_rating"],
        "note": "Counts and averages cover every collected review, not only the selected testimonials.",
        "sources": summary}))
    _atomic_write(folder / "testimonials.html", render_fragment(testimonials, summary, meta))
    _atomic_write(folder / "widget.js", widget_script("static"))
    _atomic_write(folder / "example.html", sample_page(meta["practice_name"]))


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s); anything else (javascript:, data:, relative) never reaches the public side."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def full_review_links(summary: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One link per listing with an http(s) URL, for "see all reviews" (never javascript: or data:)."""
    seen, links = set(), []
    for row in summary:
        url = safe_url(row["source_url"])
        if url and url not in seen:
            seen.add(url)
            links.append({"label": row["source_label"], "url": url})
    return links


def render_fragment(testimonials: list[dict[str, Any]], summary: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    """The HTML fragment: labelled section, escaped quotes, links to every full listing."""
    e = html.escape
    label = e(meta["disclosure_label"])
    quotes = "\n".join(
        f'  <figure class="plaudit-quote">\n    <blockquote><p>{e(t["excerpt"])}</p></blockquote>\n'
        f'    <figcaption>— {e(t["attribution"])}{_source_suffix(t)}{_disclosure(t)}</figcaption>\n  </figure>'
        for t in testimonials)
    links = ", ".join(f'<a href="{e(link["url"])}" rel="noopener nofollow">{e(link["label"])}</a>'
                      for link in full_review_links(summary))
    see_all = f'\n  <p class="plaudit-all-reviews">See all reviews: {links}</p>' if links else ""
    return (f'<section class="plaudit-testimonials" aria-label="{label}">\n'
            f'  <h2 class="plaudit-label">{label}</h2>\n'
            f'  <p class="plaudit-disclosure">{label} from {e(meta["practice_name"])}\'s patients; '
            f'not a representative sample of all reviews.</p>\n{quotes}{see_all}\n</section>\n')


def _source_suffix(testimonial: dict[str, Any]) -> str:
    label = testimonial.get("source_label")
    return f', <span class="plaudit-source">{html.escape(label)}</span>' if label else ""


def _disclosure(testimonial: dict[str, Any]) -> str:
    text = testimonial.get("disclosure")
    return f' <span class="plaudit-disclosure-note">({html.escape(text)})</span>' if text else ""


def _json(data: Any) -> str:
    """JSON safe to inline in a <script> block too: <, > and & are written as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def _atomic_write(path: Path, content: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
