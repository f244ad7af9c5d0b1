"""Nightly cost against store size (issue 11): a run that adds 100 new reviews to a store of 10k and of 1M.

Each store is built once and cached (--cache): synthetic ~80-word reviews from bench.synthetic with their
signatures, scores, clusters, dedupe index and summary totals bulk-inserted as a finished backfill leaves them,
suggested quotes for 40% of them and approved, signed quotes for 100. A nightly run then works on a copy:
100 new submissions arrive in the hosted form's inbox and every stage of `pipeline.runs.run_nightly` runs in
process (no Prefect start-up, no network), each timed: collect (run record and the inbox source), score,
dedupe, hold, retention, suggest, publish (public store, summary, export), report (run record, counts).
Printed: seconds per stage for each size (best of --repeat, with the range), and the 1M / 10k ratio of the
totals against the target (<= 2: cost follows new work, not the store).

    python bench/nightly_scale.py --cache /tmp/plaudit-nightly          # 10k and 1M (the 1M build: minutes)
    python bench/nightly_scale.py --cache /tmp/plaudit-nightly --sizes 10000 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import iter_reviews  # noqa: E402
from pipeline import runs, steps  # noqa: E402
from pipeline.dedupe.clustering import build_index  # noqa: E402
from pipeline.dedupe.minhash import signature_bytes  # noqa: E402
from pipeline.publish.suggest import _look_at_all_when_settings_changed  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.text import stable_id, text_hash  # noqa: E402
from storage.db import open_db, write_transaction  # noqa: E402
from storage.inbox import append, open_inbox  # noqa: E402
from storage.schema import internal_migrations  # noqa: E402

CONFIG = """
[plaudit]
data_dir = "data"
score_workers = 1
practice_name = "Bench Clinic"

[[sources]]
name = "hosted-form"
kind = "inbox"
label = "Our review form"
"""
CHUNK = 50_000
STAGES = ("collect", *runs.STAGES, "report")
_COLUMNS = ("id", "source", "external_id", "author", "rating", "text", "text_hash", "content_hash", "published",
            "consent_given", "consent_version", "version", "first_seen", "last_seen", "last_seen_run",
            "needs_score", "compound", "sentences", "flags", "language", "needs_dedupe", "signature",
            "cluster_id", "is_canonical", "needs_hold", "needs_suggest")


def _row(entry: dict[str, str], signature: bytes) -> tuple:
    """One stored review as a finished backfill leaves it."""
    rid = stable_id("bench", entry["Entry Id"])
    rating = float(entry["Rating"])
    text = entry["Review"]
    return (rid, "hosted-form", entry["Entry Id"], f"{entry['Name (First)']} {entry['Name (Last)']}", rating,
            text, text_hash(text), stable_id(text, rating), entry["Entry Date"], int(bool(entry["Consent"])),
            "bench", 1, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", 0, 0, (rating - 3) / 2.5,
            json.dumps([[0, len(text), (rating - 3) / 2.5]]), "[]", "en", 0, signature, rid, 1, 0, 0)


def build_store(n: int, folder: Path) -> Path:
    """The cached store of n reviews (built on first use)."""
    path = folder / f"store-{n}.db"
    if path.exists():  # upgrade a store cached by older code once here, so no timed stage runs a migration
        db = open_db(path, internal_migrations)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        return path
    work = path.with_suffix(".building")
    work.unlink(missing_ok=True)
    db = open_db(work, internal_migrations)
    start, done = time.perf_counter(), 0
    entries = iter_reviews(n, seed=21)
    while chunk := [e for _, e in zip(range(CHUNK), entries)]:
        sigs = signature_bytes([e["Review"] for e in chunk])
        rows = [_row(e, s) for e, s in zip(chunk, sigs)]
        with write_transaction(db):
            db.conn.executemany(f"INSERT INTO reviews ({', '.join(_COLUMNS)}) "
                                f"VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
            _quotes(db, rows, done)
        done += len(rows)
        print(f"  building {n:,}: {done:,} reviews, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    build_index(db)
    _settle(db, folder)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    work.rename(path)
    print(f"  built {n:,} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return path


def _quotes(db, rows: list[tuple], offset: int) -> None:
    """Suggested quotes for 40% of the reviews, approved and signed ones for the first 100."""
    rng = random.Random(offset)
    quotes, auths = [], []
    for i, row in enumerate(rows):
        rid, text, approved = row[0], row[5], offset + i < 100
        if approved or rng.random() < 0.4:
            excerpt = text.split(". ")[0] + "."
            quotes.append((rid, "approved" if approved else "suggested", excerpt, excerpt if approved else None,
                           "Verified patient", "Verified patient" if approved else None, "[]", 1))
            if approved:
                auths.append((rid, "signed", f"bench-{rid}", "2026-01-01T00:00:00+00:00", "bench"))
    db.conn.executemany("INSERT INTO quotes (review_id, status, suggested_excerpt, excerpt, suggested_attribution, "
                        "attribution, tags, review_version, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01', '2026-01-01')", quotes)
    db.conn.executemany("INSERT INTO authorizations (review_id, kind, reference, given_at, recorded_by) "
                        "VALUES (?, ?, ?, ?, ?)", auths)
    db.conn.execute("UPDATE reviews SET needs_suggest = 0 WHERE needs_suggest = 1")  # raised by the quote triggers


def _settle(db, folder: Path) -> None:
    """Record the suggest settings as the bench's, so a nightly run is an ordinary one, not a first one."""
    settings = _settings(folder / "settle")
    _look_at_all_when_settings_changed(db, settings)
    db.execute("UPDATE reviews SET needs_suggest = 0 WHERE needs_suggest = 1")


def _settings(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plaudit.toml").write_text(CONFIG)
    return load_settings(folder / "plaudit.toml", env={})


def _submit(settings, count: int, seed: int) -> None:
    """`count` new hosted-form submissions in the inbox."""
    inbox = open_inbox(settings.inbox_db)
    for entry in iter_reviews(count, seed=seed):
        append(inbox, "hosted-form", {"text": entry["Review"], "rating": entry["Rating"],
                                      "name": f"{entry['Name (First)']} {entry['Name (Last)'][0]}.",
                                      "email": None, "location": None, "consent": "yes",
                                      "consent_version": "bench", "submitted_at": "2026-12-01T00:00:00+00:00"})
    inbox.close()


def nightly(store: Path, folder: Path, new: int, seed: int) -> dict[str, float]:
    """One nightly run adding `new` reviews to a copy of the store; seconds per stage."""
    shutil.rmtree(folder, ignore_errors=True)
    settings = _settings(folder)
    settings.internal_db.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(store, settings.internal_db)
    _submit(settings, new, seed)
    _warm(settings.internal_db)
    seconds: dict[str, float] = {}
    report: dict = {"sources": {}}
    start = time.perf_counter()
    run_id = runs.begin_run(settings, "bench")
    report["sources"]["hosted-form"] = steps.collect_source(settings, "hosted-form", None, run_id)
    seconds["collect"] = time.perf_counter() - start
    for name in runs.STAGES:
        start = time.perf_counter()
        runs.record_stage(report, name, runs.run_stage(name, settings))
        seconds[name] = time.perf_counter() - start
    start = time.perf_counter()
    final = runs.end_run(settings, run_id, report)
    seconds["report"] = time.perf_counter() - start
    if final["status"] != "ok" or final["sources"]["hosted-form"].get("new") != new:
        raise SystemExit(f"the nightly run did not go as planned: {json.dumps(final)[:600]}")
    seconds["published"] = final["publish"]["published"]
    return seconds


def _warm(path: Path) -> None:
    """Flush the copied file to disk and read it once, so no stage pays for the copy: without the fsync the
    first connection to close (SQLite syncs the store then) took 0.9 s at 1M for the copy's dirty pages."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())
        while handle.read(1 << 24):
            pass
    sqlite3.connect(path).close()


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the stores, run the nightly on each, print stages and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True, help="folder for the built stores (kept)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--new", type=int, default=100, help="new reviews per nightly run (default 100)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    stores = {n: build_store(n, args.cache) for n in args.sizes}
    runs_by_size: dict[int, list[dict[str, float]]] = {n: [] for n in args.sizes}
    for k in range(args.repeat):  # sizes interleaved, so a noisy neighbour hits both alike
        for n in args.sizes:
            runs_by_size[n].append(nightly(stores[n], args.cache / "run", args.new, seed=1000 + k))
    print(f"nightly run adding {args.new} reviews, best of {args.repeat} (range), seconds per stage:")
    print(f"{'stage':<10}" + "".join(f"{n:>24,}" for n in args.sizes))
    best = {n: {s: min(r[s] for r in runs_by_size[n]) for s in STAGES} for n in args.sizes}
    for stage in STAGES:
        cells = [f"{best[n][stage]:7.3f} ({min(r[stage] for r in runs_by_size[n]):.3f}-"
                 f"{max(r[stage] for r in runs_by_size[n]):.3f})" for n in args.sizes]
        print(f"{stage:<10}" + "".join(f"{c:>24}" for c in cells))
    totals = {n: [sum(r[s] for s in STAGES) for r in runs_by_size[n]] for n in args.sizes}
    print(f"{'total':<10}" + "".join(f"{min(t):7.3f} ({min(t):.3f}-{max(t):.3f})".rjust(24) for t in totals.values()))
    print("published testimonials: " + ", ".join(f"{n:,}: {int(runs_by_size[n][0]['published'])}" for n in args.sizes))
    small, large = min(args.sizes), max(args.sizes)
    ratio = min(totals[large]) / min(totals[small])
    print(f"ratio {large:,} / {small:,}: {ratio:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
