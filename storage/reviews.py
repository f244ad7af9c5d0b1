"""Reviews in the internal store: idempotent upserts with versions, missing-review sweeps, derived fields.

Rows arrive as plain dicts keyed by column name (the pipeline builds them). Upserts compare the content hash:
new ids are inserted, changed content becomes a new version, unchanged rows only record that they were seen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from storage.db import chunked

REVIEW_FIELDS = (
    "id", "source", "external_id", "location", "author", "email", "phone", "rating", "title", "text",
    "text_hash", "content_hash", "url", "published", "published_raw", "is_excerpt", "consent_given",
    "consent_version", "consent_at", "consent_text", "improvement",
)
_VERSIONED = ("content_hash", "text", "rating", "author", "title", "improvement")


@dataclass
class UpsertCounts:
    """What an upsert did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    restored: int = 0  # seen again after being counted deleted

    def __add__(self, other: UpsertCounts) -> UpsertCounts:
        return UpsertCounts(self.new + other.new, self.updated + other.updated, self.unchanged + other.unchanged,
                            self.restored + other.restored)


def existing_hashes(db: sqlite_utils.Database, ids: list[str]) -> dict[str, tuple[str, int]]:
    """id -> (content_hash, version) for the ids already stored."""
    found: dict[str, tuple[str, int]] = {}
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        for row in db.execute(f"SELECT id, content_hash, version FROM reviews WHERE id IN ({marks})", part):
            found[row[0]] = (row[1], row[2])
    return found


def upsert_reviews(db: sqlite_utils.Database, rows: list[dict[str, Any]], run_id: int, now: str) -> UpsertCounts:
    """Insert new reviews, version changed ones, mark all as seen in this run. Call inside a transaction."""
    rows = list({row["id"]: row for row in rows}.values())  # a source listing one review twice
    known = existing_hashes(db, [r["id"] for r in rows])
    new = [r for r in rows if r["id"] not in known]
    changed = [r for r in rows if r["id"] in known and known[r["id"]][0] != r["content_hash"]]
    _insert_new(db, new, run_id, now)
    _update_changed(db, changed, known, run_id, now)
    seen = [r["id"] for r in rows if r["id"] in known]
    restored = _record_seen(db, seen, run_id, now)
    return UpsertCounts(new=len(new), updated=len(changed), unchanged=len(seen) - len(changed), restored=restored)


def mark_seen(db: sqlite_utils.Database, ids: list[str], run_id: int, now: str) -> UpsertCounts:
    """Stored reviews a source vouched for as unchanged (a page that answered 304): seen in this run."""
    unique = list(dict.fromkeys(ids))
    stored = existing_hashes(db, unique)
    ids = [rid for rid in unique if rid in stored]
    restored = _record_seen(db, ids, run_id, now)
    return UpsertCounts(unchanged=len(ids), restored=restored)


def unchanged_among(db: sqlite_utils.Database, pairs: list[tuple[str, str]]) -> list[bool]:
    """For (id, content_hash) pairs: whether the store already holds that review with that content."""
    stored = existing_hashes(db, [rid for rid, _ in pairs])
    return [rid in stored and stored[rid][0] == digest for rid, digest in pairs]


def _record_seen(db: sqlite_utils.Database, ids: list[str], run_id: int, now: str) -> int:
    """Mark reviews seen in this run; returns how many of them had been counted deleted (now restored)."""
    restored = 0
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        restored += db.execute(f"SELECT count(*) FROM reviews WHERE id IN ({marks}) AND deleted_at IS NOT NULL",
                               part).fetchone()[0]
    db.conn.executemany(
        "UPDATE reviews SET last_seen = ?, last_seen_run = ?, missing_sweeps = 0, deleted_at = NULL WHERE id = ?",
        [(now, run_id, rid) for rid in ids])
    return restored


def _insert_new(db: sqlite_utils.Database, rows: list[dict[str, Any]], run_id: int, now: str) -> None:
    cols = REVIEW_FIELDS + ("version", "first_seen", "last_seen", "last_seen_run", "cluster_id")
    sql = f"INSERT INTO reviews ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    db.conn.executemany(sql, [tuple(r.get(c) for c in REVIEW_FIELDS) + (1, now, now, run_id, r["id"]) for r in rows])


def _update_changed(db, rows, known, run_id: int, now: str) -> None:
    _archive_current(db, [r["id"] for r in rows], run_id, now)
    settable = [c for c in REVIEW_FIELDS if c != "id"]
    assignments = ", ".join(f"{c} = ?" for c in settable)
    sql = (f"UPDATE reviews SET {assignments}, version = ?, needs_score = 1, needs_dedupe = 1, "
           f"text_purged_at = NULL WHERE id = ?")
    versioned = [(r, known[r["id"]][1] + 1) for r in rows]
    db.conn.executemany(sql, [tuple(r.get(c) for c in settable) + (v, r["id"]) for r, v in versioned])


def _archive_current(db, ids: list[str], run_id: int, now: str) -> None:
    """Copy the current version of these reviews into review_versions before they change.

    The current version lives only in `reviews`; history holds the versions it replaced, so a backfill
    writes each text once.
    """
    cols = ", ".join(_VERSIONED)
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        db.conn.execute(
            f"INSERT OR REPLACE INTO review_versions (review_id, version, {cols}, recorded_at, run_id) "
            f"SELECT id, version, {cols}, ?, ? FROM reviews WHERE id IN ({marks})", [now, run_id] + part)


def record_missing(db: sqlite_utils.Database, source: str, since_run: int, now: str, sweeps_to_delete: int) -> int:
    """After a complete sweep that began in run `since_run`: count a miss for the source's reviews not seen since
    then; soft-delete after enough misses (a review seen again is restored by the upsert)."""
    db.conn.execute(
        "UPDATE reviews SET missing_sweeps = missing_sweeps + 1 "
        "WHERE source = ? AND last_seen_run < ? AND deleted_at IS NULL", (source, since_run))
    cur = db.conn.execute(
        "UPDATE reviews SET deleted_at = ? WHERE source = ? AND deleted_at IS NULL AND missing_sweeps >= ?",
        (now, source, sweeps_to_delete))
    return cur.rowcount


def ids_needing(db: sqlite_utils.Database, column: str, limit: int, after: str = "",
                through: str | None = None) -> list[str]:
    """Ids with needs_score/needs_dedupe/needs_hold/needs_suggest set, in id order after `after` and up to `through`."""
    if column not in ("needs_score", "needs_dedupe", "needs_hold", "needs_suggest"):
        raise ValueError(column)
    upto = " AND id <= ?" if through is not None else ""
    sql = f"SELECT id FROM reviews WHERE {column} = 1 AND id > ?{upto} ORDER BY id LIMIT ?"
    return [row[0] for row in db.execute(sql, (after, through, limit) if upto else (after, limit))]


def count_needing(db: sqlite_utils.Database, column: str) -> int:
    """How many reviews have needs_score/needs_dedupe/needs_hold/needs_suggest set (partial indexes: cheap)."""
    if column not in ("needs_score", "needs_dedupe", "needs_hold", "needs_suggest"):
        raise ValueError(column)
    return db.execute(f"SELECT count(*) FROM reviews WHERE {column} = 1").fetchone()[0]


def fetch(db: sqlite_utils.Database, ids: list[str], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows for these ids with the given columns, in the order of `ids`."""
    found: dict[str, dict[str, Any]] = {}
    cols = ", ".join(("id",) + tuple(c for c in columns if c != "id"))
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        cur = db.execute(f"SELECT {cols} FROM reviews WHERE id IN ({marks})", part)
        names = [d[0] for d in cur.description]
        for row in cur:
            found[row[0]] = dict(zip(names, row))
    return [found[i] for i in ids if i in found]


def save_scores(db: sqlite_utils.Database, scores: list[tuple]) -> None:
    """Store (id, compound, sentences JSON, flags JSON, language, improvement compound, improvement kind), clear
    needs_score, ask for a hold check."""
    db.conn.executemany(
        "UPDATE reviews SET compound = ?, sentences = ?, flags = ?, language = ?, improvement_compound = ?, "
        "improvement_kind = ?, needs_score = 0, needs_hold = 1 WHERE id = ?",
        [(c, s, f, lang, ic, ik, rid) for rid, c, s, f, lang, ic, ik in scores])


def improvement_answers(db: sqlite_utils.Database, kind: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Answers to "what could we do better?" (newest first), optionally of one kind, with their review's context."""
    where = "improvement IS NOT NULL AND deleted_at IS NULL" + (" AND improvement_kind = ?" if kind else "")
    return list(db.query(
        f"SELECT id, source, location, rating, published, first_seen, improvement, improvement_compound, "
        f"improvement_kind FROM reviews WHERE {where} ORDER BY first_seen DESC, id LIMIT ?",
        [kind, limit] if kind else [limit]))


def improvement_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Stored answers to "what could we do better?" per kind."""
    return dict(db.execute("SELECT improvement_kind, count(*) FROM reviews WHERE improvement IS NOT NULL "
                           "AND deleted_at IS NULL AND improvement_kind IS NOT NULL GROUP BY improvement_kind"))


def save_signatures(db: sqlite_utils.Database, signatures: list[tuple[str, bytes]]) -> None:
    """Store MinHash signatures and clear needs_dedupe."""
    db.conn.executemany("UPDATE reviews SET signature = ?, needs_dedupe = 0 WHERE id = ?",
                        [(sig, rid) for rid, sig in signatures])


def save_pairs(db: sqlite_utils.Database, pairs: list[tuple[str, str, str, float, bool]], now: str) -> None:
    """Store duplicate pairs (a, b, kind, similarity, same_author); existing pairs are refreshed."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO duplicate_pairs (a, b, kind, similarity, same_author, found_at) "
        "VALUES (?, ?, ?, ?, ?, ?)", [(a, b, k, s, int(same), now) for a, b, k, s, same in pairs])


def drop_pairs_of(db: sqlite_utils.Database, ids: list[str]) -> None:
    """Forget duplicate pairs touching these ids (their text changed and is compared again)."""
    for part in chunked(ids, 450):
        marks = ",".join("?" * len(part))
        db.conn.execute(f"DELETE FROM duplicate_pairs WHERE a IN ({marks}) OR b IN ({marks})", part + part)


def set_flag(db: sqlite_utils.Database, ids: list[str], flag: dict[str, Any], present: set[str]) -> None:
    """Make these reviews carry the flag exactly when their id is in `present` (other flags untouched)."""
    changed = []
    for rid, raw in fetch_flags(db, ids):
        flags = json.loads(raw) if raw else []
        kept = [f for f in flags if not (f["name"] == flag["name"] and f.get("detail") == flag["detail"])]
        wanted = kept + [flag] if rid in present else kept
        if wanted != flags:
            changed.append((json.dumps(wanted), rid))
    db.conn.executemany("UPDATE reviews SET flags = ?, needs_hold = 1 WHERE id = ?", changed)


def ids_with_flag_detail(db: sqlite_utils.Database, ids: list[str], detail: str) -> set[str]:
    """Which of these reviews carry a flag with this detail (a cheap pre-filter before decoding flags)."""
    found: set[str] = set()
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        found.update(r[0] for r in db.execute(
            f"SELECT id FROM reviews WHERE id IN ({marks}) AND instr(flags, ?) > 0", part + [detail]))
    return found


def fetch_flags(db: sqlite_utils.Database, ids: list[str]) -> list[tuple[str, str | None]]:
    """(id, flags JSON) of these reviews."""
    found = []
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        found += list(db.execute(f"SELECT id, flags FROM reviews WHERE id IN ({marks})", part))
    return found


def save_clusters(db: sqlite_utils.Database, assignments: list[tuple[str, str, bool]]) -> None:
    """Store (id, cluster_id, is_canonical) for reviews."""
    db.conn.executemany("UPDATE reviews SET cluster_id = ?, is_canonical = ? WHERE id = ?",
                        [(cid, int(canon), rid) for rid, cid, canon in assignments])


def purge_text(db: sqlite_utils.Database, source: str, collected_before: str, now: str) -> int:
    """Remove text (and earlier versions' text) of a source's reviews first seen before a time; keep the rest."""
    ids = [r[0] for r in db.execute(
        "SELECT id FROM reviews WHERE source = ? AND first_seen < ? AND text_purged_at IS NULL",
        (source, collected_before))]
    for part in chunked(ids):
        marks = ",".join("?" * len(part))
        db.conn.execute(f"UPDATE reviews SET text = NULL, title = NULL, sentences = NULL, signature = NULL, "
                        f"improvement = NULL, text_purged_at = ? WHERE id IN ({marks})", [now] + part)
        db.conn.execute(f"UPDATE review_versions SET text = NULL, title = NULL, improvement = NULL "
                        f"WHERE review_id IN ({marks})", part)
        db.conn.execute(f"UPDATE quotes SET suggested_excerpt = NULL, excerpt = NULL WHERE review_id IN ({marks})",
                        part)
    return len(ids)


def totals(db: sqlite_utils.Database) -> list[tuple[str, str | None, int, int, float]]:
    """(source, location, live reviews, rated, rating sum) from the trigger-kept totals (no scan of reviews)."""
    return db.execute("SELECT source, nullif(location, ''), reviews, rated, rating_sum FROM review_totals "
                      "WHERE reviews > 0").fetchall()


def distinct_totals(db: sqlite_utils.Database) -> list[tuple[str, int, int, float]]:
    """(source, canonical live reviews, rated, rating sum) per source: one review per duplicate cluster."""
    return db.execute("SELECT source, sum(distinct_reviews), sum(distinct_rated), sum(distinct_rating_sum) "
                      "FROM review_totals GROUP BY source").fetchall()
