"""One review as the staff review page shows it: its fields, its duplicate cluster, its earlier versions."""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

_COLUMNS = ("id, source, location, author, rating, title, text, url, published, first_seen, last_seen, version, "
            "compound, sentences, flags, language, cluster_id, is_canonical, consent_given, consent_version, "
            "consent_at, deleted_at, text_purged_at, is_excerpt, improvement, improvement_compound, improvement_kind")


def _dicts(cur) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur]


def review(db: sqlite_utils.Database, review_id: str) -> dict[str, Any] | None:
    """A review with its scores decoded (sentences as [start, end, compound], flags as dicts)."""
    rows = _dicts(db.execute(f"SELECT {_COLUMNS} FROM reviews WHERE id = ?", (review_id,)))
    if not rows:
        return None
    row = rows[0]
    row["sentences"] = json.loads(row["sentences"]) if row["sentences"] else []
    row["flags"] = json.loads(row["flags"]) if row["flags"] else []
    return row


def quote_id_for(db: sqlite_utils.Database, review_id: str) -> int | None:
    """The id of the review's quote, if it has one."""
    row = db.execute("SELECT id FROM quotes WHERE review_id = ?", (review_id,)).fetchone()
    return row[0] if row else None


def cluster_members(db: sqlite_utils.Database, review: dict[str, Any]) -> list[dict[str, Any]]:
    """The other reviews in the review's duplicate cluster, with how each was matched."""
    if not review.get("cluster_id"):
        return []
    members = _dicts(db.execute(
        "SELECT id, source, author, url, published, first_seen, is_canonical, rating FROM reviews "
        "WHERE cluster_id = ? AND id != ? ORDER BY first_seen", (review["cluster_id"], review["id"])))
    for member in members:
        pair = db.execute("SELECT kind, similarity, same_author FROM duplicate_pairs WHERE (a = ? AND b = ?) "
                          "OR (a = ? AND b = ?)", (review["id"], member["id"], member["id"], review["id"])).fetchone()
        member["match"] = {"kind": pair[0], "similarity": pair[1], "same_author": bool(pair[2])} if pair else None
    return members


def versions(db: sqlite_utils.Database, review_id: str) -> list[dict[str, Any]]:
    """Earlier versions of the review (the current one is the review itself), oldest first."""
    return _dicts(db.execute("SELECT version, text, rating, author, title, recorded_at FROM review_versions "
                             "WHERE review_id = ? ORDER BY version", (review_id,)))
