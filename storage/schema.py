"""Versioned migrations of the internal store (`plaudit.db`). Append new migrations; never edit applied ones.

Every query the pipeline and the staff tools run has an index here.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlite_utils.migrations import Migrations

internal_migrations = Migrations("plaudit-internal")


@internal_migrations()
def m001_reviews(db):
    """Reviews as collected, their versions, and what scoring and dedupe derived from them."""
    db["reviews"].create({
        "id": str, "source": str, "external_id": str, "location": str,
        "author": str, "email": str, "phone": str, "rating": float, "title": str, "text": str,
        "text_hash": str, "content_hash": str, "url": str, "published": str, "published_raw": str,
        "is_excerpt": int, "consent_given": int, "consent_version": str, "consent_at": str,
        "consent_text": str, "version": int, "first_seen": str, "last_seen": str, "last_seen_run": int,
        "missing_sweeps": int, "deleted_at": str, "text_purged_at": str,
        "needs_score": int, "compound": float, "sentences": str, "flags": str, "language": str,
        "needs_dedupe": int, "signature": bytes, "cluster_id": str, "is_canonical": int,
    }, pk="id", not_null={"source", "version"}, defaults={"missing_sweeps": 0, "needs_score": 1,
                                                         "needs_dedupe": 1, "is_canonical": 1})
    db["reviews"].create_index(["source", "last_seen_run"])
    db["reviews"].create_index(["text_hash"])
    db["reviews"].create_index(["cluster_id"])
    db.execute("CREATE INDEX idx_reviews_needs_score ON reviews(id) WHERE needs_score = 1")
    db.execute("CREATE INDEX idx_reviews_needs_dedupe ON reviews(id) WHERE needs_dedupe = 1")
    db["review_versions"].create({
        "review_id": str, "version": int, "content_hash": str, "text": str, "rating": float,
        "author": str, "title": str, "recorded_at": str, "run_id": int,
    }, pk=("review_id", "version"), foreign_keys=[("review_id", "reviews", "id")])
    db["duplicate_pairs"].create({
        "a": str, "b": str, "kind": str, "similarity": float, "same_author": int, "found_at": str,
    }, pk=("a", "b"))
    db["duplicate_pairs"].create_index(["b"])


@internal_migrations()
def m002_quotes(db):
    """Suggested and decided quotes, authorizations, and the hash-chained audit log."""
    db["quotes"].create({
        "id": int, "review_id": str, "status": str, "suggested_excerpt": str, "excerpt": str,
        "suggested_attribution": str, "attribution": str, "tags": str, "review_version": int,
        "created_at": str, "updated_at": str, "decided_by": str, "decided_at": str,
        "published_at": str, "note": str,
    }, pk="id", not_null={"review_id", "status"}, foreign_keys=[("review_id", "reviews", "id")])
    db["quotes"].create_index(["review_id"], unique=True)
    db["quotes"].create_index(["status", "id"])
    db["authorizations"].create({
        "id": int, "review_id": str, "kind": str, "reference": str, "text_version": str,
        "given_at": str, "expires_at": str, "revoked_at": str, "recorded_by": str, "recorded_at": str,
    }, pk="id", not_null={"review_id", "kind"}, foreign_keys=[("review_id", "reviews", "id")])
    db["authorizations"].create_index(["review_id"])
    db["audit_log"].create({
        "id": int, "at": str, "actor": str, "action": str, "object": str, "details": str,
        "prev_hash": str, "hash": str,
    }, pk="id", not_null={"at", "actor", "action", "hash"})


@internal_migrations()
def m003_runs(db):
    """Per-source cursors and state, and one row per run with its counts-only report."""
    db["source_state"].create({
        "source": str, "cursor": str, "last_attempt": str, "last_success": str, "last_error": str,
        "consecutive_failures": int, "stated_rating": float, "stated_count": int,
    }, pk="source", defaults={"consecutive_failures": 0})
    db["runs"].create({
        "id": int, "started_at": str, "finished_at": str, "status": str, "trigger": str, "report": str,
    }, pk="id")
    db["runs"].create_index(["started_at"])


@internal_migrations()
def m004_claims_disclosures_scope(db):
    """Clinician sign-off for health claims, disclosures of material connections, authorization scope."""
    db["quotes"].add_column("clinician_approved_by", str)
    db["quotes"].add_column("clinician_approved_at", str)
    db["quotes"].add_column("disclosure", str)
    db["authorizations"].add_column("scope_attribution", str)
    db["authorizations"].add_column("scope_excerpt", str)
    db["authorizations"].add_column("revoked_by", str)
    db["authorizations"].create_index(["expires_at"])


@internal_migrations()
def m005_audit_append_only(db):
    """Refuse updates and deletes on the audit log at the database level (the hash chain detects the rest)."""
    for action in ("UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER audit_log_no_{action.lower()} BEFORE {action} ON audit_log "
                   f"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


@internal_migrations()
def m006_holds(db):
    """Reviews held back from suggestion (crisis, mismatch, language, spam, copies): listed for a person."""
    db["reviews"].add_column("needs_hold", int)
    db.execute("UPDATE reviews SET needs_hold = 1 WHERE needs_score = 0")
    db.execute("CREATE INDEX idx_reviews_needs_hold ON reviews(id) WHERE needs_hold = 1")
    db["holds"].create({
        "id": int, "review_id": str, "reason": str, "detail": str, "review_version": int, "held_at": str,
        "state": str, "decided_by": str, "decided_at": str, "note": str,
    }, pk="id", not_null={"review_id", "reason", "state"}, foreign_keys=[("review_id", "reviews", "id")])
    db["holds"].create_index(["review_id", "reason"], unique=True)
    db["holds"].create_index(["state", "reason"])


@internal_migrations()
def m007_expiry_as_utc_instants(db):
    """Authorization expiries typed before dates were checked, rewritten as UTC instants where they are dates.

    A value that is not a date is left as it was: the publish gate counts it as expired and says so.
    """
    # The parsing is repeated here rather than imported: storage never imports pipeline, and an applied
    # migration must not change when pipeline.dates does.
    for row_id, raw in db.execute("SELECT id, expires_at FROM authorizations WHERE expires_at IS NOT NULL").fetchall():
        value = raw.strip()
        try:
            if len(value) == 10:
                moment = datetime.combine(date.fromisoformat(value), time(23, 59, 59), timezone.utc)
            else:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
                moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        db.execute("UPDATE authorizations SET expires_at = ? WHERE id = ?",
                   [moment.astimezone(timezone.utc).isoformat(timespec="seconds"), row_id])


@internal_migrations()
def m008_quote_public_state(db):
    """Whether each quote is on the website after the last publish, and why an approved one is held back."""
    db["quotes"].add_column("live", int)
    db["quotes"].add_column("held_reasons", str)
    db.execute("UPDATE quotes SET live = 0")


@internal_migrations()
def m_staff_app_1_users_sessions(db):
    """Staff app: accounts, server-side sessions, login failures (lockout), and an edit counter on quotes.

    `quotes.edits` grows with every change a person could be looking at (a decision, an excerpt, an
    authorization), so two staff deciding at once can tell that the quote changed under them.
    """
    db["staff_users"].create({
        "id": int, "name": str, "role": str, "password_hash": str, "totp_secret": str, "totp_pending": str,
        "created_at": str, "updated_at": str, "disabled_at": str,
    }, pk="id", not_null={"name", "role", "password_hash"})
    db["staff_users"].create_index(["name"], unique=True)
    db["staff_sessions"].create({
        "id": str, "user_id": int, "stage": str, "csrf": str, "created_at": float, "last_seen": float,
        "flash": str, "queue_filters": str,
    }, pk="id", not_null={"user_id", "stage", "csrf"}, foreign_keys=[("user_id", "staff_users", "id")])
    db["staff_sessions"].create_index(["user_id"])
    db["staff_login_failures"].create({"key": str, "failures": int, "last_failure": float, "locked_until": float},
                                      pk="key")
    db["quotes"].add_column("edits", int, not_null_default=0)
    db.execute("CREATE TRIGGER quotes_edits AFTER UPDATE OF status, excerpt, attribution, tags, disclosure, "
               "clinician_approved_by, suggested_excerpt, note ON quotes "
               "BEGIN UPDATE quotes SET edits = edits + 1 WHERE id = NEW.id; END")
    for event in ("INSERT", "UPDATE OF revoked_at, expires_at"):
        name = event.split()[0].lower()
        db.execute(f"CREATE TRIGGER authorizations_quote_edits_{name} AFTER {event} ON authorizations "
                   f"BEGIN UPDATE quotes SET edits = edits + 1 WHERE review_id = NEW.review_id; END")


@internal_migrations()
def m_staff_app_2_queue_indexes(db):
    """Covering indexes for the staff queue: its filters read these instead of the (large) review rows.

    bench/staff_queue.py at 100k reviews: counting a filtered queue went from 80-150 ms to 11-18 ms.
    """
    db.execute("CREATE UNIQUE INDEX idx_staff_queue_reviews ON reviews(id, source, location, rating, compound, "
               "published, first_seen, flags)")
    db.execute("CREATE INDEX idx_staff_quotes_status_review ON quotes(status, id, review_id)")


@internal_migrations()
def m_judgement_improvement_answers(db):
    """Answers to "what could we do better?" (feedback for staff, never quoted), their score and kind."""
    db["reviews"].add_column("improvement", str)
    db["reviews"].add_column("improvement_compound", float)
    db["reviews"].add_column("improvement_kind", str)  # crisis, complaint, suggestion, satisfied or other
    db["review_versions"].add_column("improvement", str)
    db.execute("CREATE INDEX idx_reviews_improvement ON reviews(improvement_kind, first_seen) "
               "WHERE improvement IS NOT NULL")


@internal_migrations()
def m_public_app_quote_provider(db):
    """The provider (clinician) a quote is about, chosen at approval and published with it (issue 8)."""
    db["quotes"].add_column("provider", str)


@internal_migrations()
def m_sources_sweeps_and_health(db):
    """Resumable sweeps (which run began the sweep in progress, what it has seen) and each source's health."""
    for column, kind in (("sweep_run", int), ("sweep_full", int), ("sweep_seen", int), ("sweep_pages", int),
                         ("last_full_sweep", str), ("baseline_count", int), ("error_kind", str),
                         ("last_pages", int), ("statuses", str), ("selector_health", str), ("last_counts", str)):
        db["source_state"].add_column(column, kind)


@internal_migrations()
def m_dedupe_anchor_index(db):
    """Dedupe keeps its candidate index between runs: cluster anchors under their keys (storage.dedupe_index).

    An upgraded store indexes its anchors (every review whose cluster_id is its own id) on the next dedupe
    run; `dedupe_dirty` collects, by trigger, clusters whose canonical may move when a member is deleted,
    restored or purged, so a run refreshes those clusters only.
    """
    db.execute("CREATE TABLE dedupe_anchors (n INTEGER PRIMARY KEY, review_id TEXT NOT NULL UNIQUE)")
    db.execute("CREATE TABLE dedupe_keys (key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n)) "
               "WITHOUT ROWID")
    db.execute("CREATE TABLE stage_state (name TEXT PRIMARY KEY, value TEXT)")  # what a stage keeps between runs
    db.execute("CREATE TABLE dedupe_dirty (cluster_id TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("CREATE TRIGGER reviews_cluster_dirty AFTER UPDATE OF deleted_at, text ON reviews "
               "WHEN NEW.cluster_id IS NOT NULL AND ((OLD.deleted_at IS NULL) != (NEW.deleted_at IS NULL) "
               "OR (OLD.text IS NULL) != (NEW.text IS NULL)) "
               "BEGIN INSERT OR IGNORE INTO dedupe_dirty (cluster_id) VALUES (NEW.cluster_id); END")


_TOTAL_COLUMNS = "source, location, reviews, rated, rating_sum, distinct_reviews, distinct_rated, distinct_rating_sum"


def _totals_values(row: str, sign: int) -> str:
    """The SELECT list adding (sign 1) or removing (sign -1) one review row (NEW or OLD) from the totals."""
    canonical = f"({row}.is_canonical = 1)"
    return (f"{row}.source, coalesce({row}.location, ''), {sign}, {sign} * ({row}.rating IS NOT NULL), "
            f"{sign} * coalesce({row}.rating, 0), {sign} * {canonical}, "
            f"{sign} * ({canonical} AND {row}.rating IS NOT NULL), {sign} * {canonical} * coalesce({row}.rating, 0)")


def _totals_upsert(row: str, sign: int) -> str:
    sums = ", ".join(f"{c} = {c} + excluded.{c}" for c in _TOTAL_COLUMNS.split(", ")[2:])
    return (f"INSERT INTO review_totals ({_TOTAL_COLUMNS}) SELECT {_totals_values(row, sign)} "
            f"WHERE {row}.deleted_at IS NULL ON CONFLICT (source, location) DO UPDATE SET {sums};")


@internal_migrations()
def m_nightly_cost_follows_new_work(db):
    """Public summary totals kept by triggers, and a flag for the reviews whose suggestion may change (issue 11).

    `review_totals` holds, per source and location, the count, rated count and rating sum of live reviews, and
    the same over canonical ones (one per duplicate cluster): the publish step reads these few rows instead of
    counting every review each night. `needs_suggest` is raised by triggers whenever what decides a suggestion
    changes (score, flags, version, canonical, deletion, text, a removed quote), so the suggest stage reads
    only those reviews; existing rows start raised, so the first run after the upgrade looks at all once.
    """
    db.execute("CREATE TABLE review_totals (source TEXT NOT NULL, location TEXT NOT NULL, "
               "reviews INTEGER NOT NULL, rated INTEGER NOT NULL, rating_sum REAL NOT NULL, "
               "distinct_reviews INTEGER NOT NULL, distinct_rated INTEGER NOT NULL, "
               "distinct_rating_sum REAL NOT NULL, PRIMARY KEY (source, location))")
    db.execute(f"INSERT INTO review_totals ({_TOTAL_COLUMNS}) SELECT source, coalesce(location, ''), count(*), "
               f"count(rating), coalesce(sum(rating), 0), sum(is_canonical = 1), "
               f"sum(is_canonical = 1 AND rating IS NOT NULL), coalesce(sum(CASE WHEN is_canonical = 1 THEN rating "
               f"END), 0) FROM reviews WHERE deleted_at IS NULL GROUP BY source, coalesce(location, '')")
    db.execute(f"CREATE TRIGGER review_totals_insert AFTER INSERT ON reviews BEGIN {_totals_upsert('NEW', 1)} END")
    db.execute(f"CREATE TRIGGER review_totals_delete AFTER DELETE ON reviews BEGIN {_totals_upsert('OLD', -1)} END")
    db.execute("CREATE TRIGGER review_totals_update AFTER UPDATE OF source, location, rating, deleted_at, "
               "is_canonical ON reviews WHEN OLD.source IS NOT NEW.source OR OLD.location IS NOT NEW.location "
               "OR OLD.rating IS NOT NEW.rating OR OLD.deleted_at IS NOT NEW.deleted_at "
               "OR OLD.is_canonical IS NOT NEW.is_canonical "
               f"BEGIN {_totals_upsert('OLD', -1)} {_totals_upsert('NEW', 1)} END")
    db["reviews"].add_column("needs_suggest", int, not_null_default=1)
    db.execute("CREATE INDEX idx_reviews_needs_suggest ON reviews(id) WHERE needs_suggest = 1")
    db.execute("CREATE TRIGGER reviews_needs_suggest AFTER UPDATE OF needs_score, flags, version, is_canonical, "
               "deleted_at, text ON reviews WHEN NEW.needs_suggest = 0 AND (OLD.needs_score IS NOT NEW.needs_score "
               "OR OLD.flags IS NOT NEW.flags OR OLD.version IS NOT NEW.version "
               "OR OLD.is_canonical IS NOT NEW.is_canonical OR OLD.deleted_at IS NOT NEW.deleted_at "
               "OR OLD.text IS NOT NEW.text) "
               "BEGIN UPDATE reviews SET needs_suggest = 1 WHERE id = NEW.id; END")
    db.execute("CREATE TRIGGER quotes_removed_needs_suggest AFTER DELETE ON quotes "
               "BEGIN UPDATE reviews SET needs_suggest = 1 WHERE id = OLD.review_id; END")


@internal_migrations()
def m_quotes_public_state_index(db):
    """The quotes on the website or held back, found without reading every quote (each publish resets them)."""
    db.execute("CREATE INDEX idx_quotes_public_state ON quotes(id) WHERE live = 1 OR held_reasons IS NOT NULL")


@internal_migrations()
def m_quote_status_counts(db):
    """Quotes per status kept by triggers: the run report's count of suggestions waiting reads one row, not every
    suggested quote (there can be hundreds of thousands after a backfill)."""
    db.execute("CREATE TABLE quote_status_counts (status TEXT PRIMARY KEY, quotes INTEGER NOT NULL) WITHOUT ROWID")
    db.execute("INSERT INTO quote_status_counts (status, quotes) SELECT status, count(*) FROM quotes GROUP BY status")
    add = ("INSERT INTO quote_status_counts (status, quotes) VALUES (NEW.status, 1) "
           "ON CONFLICT (status) DO UPDATE SET quotes = quotes + 1;")
    remove = "UPDATE quote_status_counts SET quotes = quotes - 1 WHERE status = OLD.status;"
    db.execute(f"CREATE TRIGGER quote_status_counts_insert AFTER INSERT ON quotes BEGIN {add} END")
    db.execute(f"CREATE TRIGGER quote_status_counts_delete AFTER DELETE ON quotes BEGIN {remove} END")
    db.execute(f"CREATE TRIGGER quote_status_counts_update AFTER UPDATE OF status ON quotes "
               f"WHEN OLD.status IS NOT NEW.status BEGIN {remove} {add} END")
