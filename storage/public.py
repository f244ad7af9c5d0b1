"""The public store (`published.db`): only approved quotes' public fields and an honest summary of all reviews.

It is rebuilt from scratch by each publish into a new file and swapped in with an atomic rename, so a reader
sees either the old or the new publish, never half of one. Only the columns named below can ever be written.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from storage.db import open_readonly

TESTIMONIAL_FIELDS = ("id", "excerpt", "attribution", "rating", "source_label", "source_url", "location",
                      "location_name", "tags", "disclosure", "published_at", "position", "provider")
SUMMARY_FIELDS = ("source_label", "source_url", "location", "review_count", "rated_count", "average_rating",
                  "stated_count", "stated_rating", "location_name")
META_FIELDS = ("publish_id", "published_at", "disclosure_label", "practice_name", "total_reviews",
               "rated_reviews", "average_rating", "testimonial_count")

_SCHEMA = """
CREATE TABLE testimonials (
    id TEXT PRIMARY KEY, excerpt TEXT NOT NULL, attribution TEXT NOT NULL, rating REAL, source_label TEXT,
    source_url TEXT, location TEXT, location_name TEXT, tags TEXT, disclosure TEXT, published_at TEXT,
    position INTEGER, provider TEXT);
CREATE INDEX idx_testimonials_position ON testimonials(position);
CREATE INDEX idx_testimonials_location ON testimonials(location, position);
CREATE INDEX idx_testimonials_rating ON testimonials(rating, position);
CREATE TABLE summary (
    source_label TEXT, source_url TEXT, location TEXT, review_count INTEGER, rated_count INTEGER,
    average_rating REAL, stated_count INTEGER, stated_rating REAL, location_name TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
PRAGMA user_version = 2;
"""


def write_public_store(path: Path, testimonials: list[dict[str, Any]], summary: list[dict[str, Any]],
                       meta: dict[str, Any]) -> None:
    """Build a fresh public store next to `path` and atomically replace `path` with it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".published-", suffix=".db", dir=path.parent)
    os.close(fd)
    try:
        _fill(Path(tmp_name), testimonials, summary, meta)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _fill(tmp: Path, testimonials, summary, meta) -> None:
    conn = sqlite3.connect(str(tmp))
    try:
        conn.executescript(_SCHEMA)
        conn.executemany(f"INSERT INTO testimonials VALUES ({','.join('?' * len(TESTIMONIAL_FIELDS))})",
                         [_only(TESTIMONIAL_FIELDS, t) for t in testimonials])
        conn.executemany(f"INSERT INTO summary VALUES ({','.join('?' * len(SUMMARY_FIELDS))})",
                         [_only(SUMMARY_FIELDS, s) for s in summary])
        conn.executemany("INSERT INTO meta VALUES (?, ?)",
                         [(k, json.dumps(meta.get(k))) for k in META_FIELDS])
        conn.commit()
    finally:
        conn.close()


def _only(fields: tuple[str, ...], row: dict[str, Any]) -> tuple:
    """The allowlisted fields of a row, in schema order; anything else in the row is dropped."""
    return tuple(json.dumps(row.get(f)) if f == "tags" else row.get(f) for f in fields)


def read_public_store(path: Path) -> dict[str, Any]:
    """Everything in the public store, as the website would read it."""
    conn = open_readonly(path)
    try:
        testimonials = [dict(r) for r in conn.execute("SELECT * FROM testimonials ORDER BY position")]
        for t in testimonials:
            t["tags"] = json.loads(t["tags"]) if t["tags"] else []
        summary = [dict(r) for r in conn.execute("SELECT * FROM summary ORDER BY source_label")]
        meta = {r["key"]: json.loads(r["value"]) for r in conn.execute("SELECT key, value FROM meta")}
    finally:
        conn.close()
    return {"testimonials": testimonials, "summary": summary, "meta": meta}
