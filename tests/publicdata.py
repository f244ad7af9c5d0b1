"""Deterministic public stores for tests of the public app: testimonials across locations, providers, tags and
ratings (some with hostile text), a summary, and the settings that point the app at them."""

from __future__ import annotations

from pathlib import Path

from pipeline.publish.build import in_public_order
from pipeline.settings import load_settings
from storage.public import write_public_store

HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload="window.__xss=1">',
    "</p></blockquote><a href=javascript:window.__xss=1>click</a>",
    '<div itemscope itemtype="https://schema.org/Review">&amp; 😊 ünïcödé</div>',
]
META = {"publish_id": "pub1", "published_at": "2026-11-25T10:00:00+00:00", "disclosure_label": "Selected testimonials",
        "practice_name": "Sunrise <Pain> & Wellness", "total_reviews": 240, "rated_reviews": 200,
        "average_rating": 3.9, "testimonial_count": 0}
SUMMARY = [
    {"source_label": "Health Directory", "source_url": "https://directory.example.com/sunrise", "location": "tampa",
     "review_count": 120, "rated_count": 110, "average_rating": 3.7, "stated_count": 187, "stated_rating": 4.1,
     "location_name": "Tampa"},
    {"source_label": "Orlando Listing", "source_url": "https://listing.example.com/orlando", "location": "orlando",
     "review_count": 80, "rated_count": 70, "average_rating": 4.0, "stated_count": None, "stated_rating": None,
     "location_name": "Orlando"},
    {"source_label": "Patient feedback form", "source_url": None, "location": None, "location_name": None,
     "review_count": 40, "rated_count": 20, "average_rating": 4.4, "stated_count": None, "stated_rating": None},
]


def make_testimonial(i: int, **extra) -> dict:
    """Testimonial number i: two locations, a provider for every third, tags and ratings that vary."""
    row = {"id": f"t_{i:04d}", "excerpt": f"Kind staff and a clean office, visit {i}.", "attribution": f"Patient {i}",
           "rating": float(1 + i % 5), "source_label": "Patient feedback form", "source_url": None,
           "location": "tampa" if i % 2 else "orlando", "location_name": "Tampa" if i % 2 else "Orlando",
           "tags": ["staff"] if i % 3 == 0 else ["billing", "staff"] if i % 3 == 1 else [],
           "disclosure": None, "published_at": f"2026-11-{1 + i % 20:02d}T10:00:00+00:00",
           "provider": "Dr. Alvarez" if i % 3 == 0 else None, "position": 0}
    row.update(extra)
    return row


def write_store(path: Path, rows: list[dict], summary: list[dict] | None = None, **meta) -> None:
    """Publish these testimonials (in the public order) with a summary, as the publish step would."""
    ordered = in_public_order(rows)
    write_public_store(path, ordered, SUMMARY if summary is None else summary,
                       {**META, "testimonial_count": len(ordered), **meta})


def public_settings(folder: Path, **overrides):
    """Settings whose data folder is `folder`, with two locations."""
    config = folder / "plaudit.toml"
    config.write_text('[plaudit]\ndata_dir = "."\npractice_name = "Sunrise <Pain> & Wellness"\n\n'
                      '[[locations]]\nid = "tampa"\nname = "Tampa"\n\n[[locations]]\nid = "orlando"\nname = "Orlando"\n',
                      encoding="utf-8")
    return load_settings(config, env={}, **overrides)
