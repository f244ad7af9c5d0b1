"""Deduplication on templated form reviews (issue 12, part 4): time, pairs stored, clusters, peak memory.

Corpus (generated): N form reviews, each made of 5 of the same 12 sentences (a form's checkbox answers, in
form order, so 792 distinct texts), each under a different author. Every review is ~45 words, so identical texts
under different names are copies to flag, and reviews sharing 4 of their 5 sentences are near misses
(5-gram Jaccard ~0.67) that LSH puts together but the rule rejects. The reviews go into a fresh internal
store and one dedupe stage runs over them, as a backfill would.

Each size runs in its own process so its peak resident memory is its own.

    python bench/dedupe_templated.py                  # N = 30,000 and 300,000
    python bench/dedupe_templated.py --n 6000 --n 12000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import FIRST, LAST  # noqa: E402
from pipeline.dedupe.clustering import dedupe_store  # noqa: E402
from pipeline.text import stable_id, text_hash  # noqa: E402
from storage import reviews as review_store  # noqa: E402
from storage.db import open_db, utc_now, write_transaction  # noqa: E402
from storage.schema import internal_migrations  # noqa: E402

SENTENCES = (
    "The front desk staff were friendly and checked me in quickly.",
    "The doctor listened carefully and explained everything clearly.",
    "My appointment started on time and I did not wait long.",
    "The nurse was gentle and made me feel comfortable.",
    "The clinic was very clean and well organised.",
    "Billing was straightforward and there were no surprises.",
    "I got a follow up call the next day to see how I was doing.",
    "Booking online was easy and I got a slot the same week.",
    "The treatment plan was explained with all the options.",
    "Parking was easy and the building was easy to find.",
    "I would recommend this practice to my family and friends.",
    "Overall an excellent experience from start to finish.",
)


def _suffix(i: int) -> str:
    """Letters making the i-th surname distinct ("Lopez" + "bc"), so no two reviews share a full name."""
    out = ""
    while i:
        i, k = divmod(i, 26)
        out += "abcdefghijklmnopqrstuvwxyz"[k]
    return out


def templated_rows(n: int, seed: int = 12) -> list[dict]:
    """n form reviews, each 5 of the 12 sentences in form order, each under its own author."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        picked = sorted(rng.sample(range(len(SENTENCES)), 5))
        text = " ".join(SENTENCES[k] for k in picked)
        author = f"{rng.choice(FIRST)} {rng.choice(LAST)}{_suffix(i)}"  # a different author each
        rows.append({"id": stable_id("templated", i), "source": "templated-form", "author": author,
                     "text": text, "text_hash": text_hash(text), "content_hash": stable_id(text, author),
                     "rating": 5.0, "published": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                     "consent_given": 1})
    return rows


def run_one(n: int, folder: Path) -> dict:
    """Store n templated reviews, run the dedupe stage once; figures as a dict."""
    db = open_db(folder / "plaudit.db", internal_migrations)
    with write_transaction(db):
        review_store.upsert_reviews(db, templated_rows(n), 1, utc_now())
    start = time.perf_counter()
    counts = dedupe_store(db)
    seconds = time.perf_counter() - start
    pairs = db.execute("SELECT count(*) FROM duplicate_pairs").fetchone()[0]
    clusters = db.execute("SELECT count(*) FROM (SELECT cluster_id FROM reviews GROUP BY cluster_id "
                          "HAVING count(*) > 1)").fetchone()[0]
    flagged = db.execute("SELECT count(*) FROM reviews WHERE instr(flags, 'same_text_different_author')")\
        .fetchone()[0]
    return {"n": n, "seconds": seconds, "pairs": pairs, "clusters": clusters, "flagged": flagged,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "counts": counts}


def main(argv: list[str] | None = None) -> None:
    """Run each size in a child process and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="reviews (repeatable; default 30,000 and 300,000)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = args.n or [30_000, 300_000]
    if args.child:
        with tempfile.TemporaryDirectory(prefix="plaudit-templated-") as tmp:
            print(json.dumps(run_one(sizes[0], Path(tmp))))
        return
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", "--n", str(n)], check=True,
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results.append(r)
        print(f"N = {n:>9,}: dedupe {r['seconds']:7.2f} s  pairs stored {r['pairs']:>9,} "
              f"({r['pairs'] / n:.2f} per review)  clusters {r['clusters']:>6,}  flagged {r['flagged']:>7,}  "
              f"peak {r['peak_mb']:6,.0f} MB")
    for a, b in zip(results, results[1:]):
        grow = b["n"] / a["n"]
        print(f"{a['n']:,} -> {b['n']:,} ({grow:.0f}x reviews): time {b['seconds'] / a['seconds']:.1f}x, "
              f"pairs {b['pairs'] / max(a['pairs'], 1):.1f}x (linear: {grow:.0f}x)")


if __name__ == "__main__":
    main()
