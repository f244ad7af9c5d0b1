"""Staff queue benchmark: a store of N synthetic reviews (100,000 by default) through the real stages, then the
queue page over real HTTP (uvicorn on 127.0.0.1) for its common filters, p50 and p99 in milliseconds.

    python bench/staff_queue.py              # N = 100,000
    python bench/staff_queue.py --n 20000    # quicker

The same pages are timed again over the plain join (the planner's own choice, without the queue's covering
indexes), as the baseline of this run.
Target: every common filter under 200 ms at p99.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
import uvicorn  # noqa: E402

from bench.backfill import CONFIG  # noqa: E402
from bench.synthetic import iter_reviews, write_csv_exports  # noqa: E402
from pipeline import steps  # noqa: E402
from pipeline.accounts.users import add_user  # noqa: E402
from pipeline.runs import begin_run  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from storage import queue as queue_store  # noqa: E402
from web.staff.app import create_app  # noqa: E402

PASSWORD = "queue timing secret 1"
FILTERS = {
    "no filter": {},
    "source": {"source": "bench-form"},
    "rating >= 5": {"min_rating": "5"},
    "positive": {"sentiment": "positive"},
    "flag: patient detail": {"flag": "patient_detail"},
    "no flags": {"flag": "none"},
    "date range": {"date_from": "2026-03-01", "date_to": "2026-04-30"},
    "text search": {"text": "infusion nurse"},
    "all together": {"source": "bench-form", "min_rating": "4", "sentiment": "positive", "flag": "none",
                     "date_from": "2026-02-01", "date_to": "2026-10-31"},
    "approved": {"status": "approved"},
}
PLAIN_JOIN = "FROM quotes q JOIN reviews r ON r.id = q.review_id"


def fill(folder: Path, n: int):
    """N synthetic form reviews through collect, score, dedupe, hold and suggest."""
    write_csv_exports(iter_reviews(n), folder / "exports")
    (folder / "plaudit.toml").write_text(CONFIG.format(workers=0))
    settings = load_settings(folder / "plaudit.toml", env={})
    run_id = begin_run(settings, "bench")
    for name, stage in (("collect", lambda: steps.collect_source(settings, "bench-form", None, run_id)),
                        ("score", lambda: steps.score_new(settings)), ("dedupe", lambda: steps.dedupe_new(settings)),
                        ("hold", lambda: steps.hold(settings)), ("suggest", lambda: steps.suggest(settings))):
        start = time.perf_counter()
        stage()
        print(f"  {name:<8} {time.perf_counter() - start:6.1f} s")
    with steps.open_store(settings) as db:
        add_user(db, "bench", "viewer", PASSWORD, "bench")
        db.execute("UPDATE quotes SET status = 'approved' WHERE id % 10 = 0")
        print(f"store: {db['reviews'].count:,} reviews, {db['quotes'].count:,} quotes")
    return settings


def serve(settings):
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def sign_in(base: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    token = re.search(r'name="csrf" value="([^"]+)"', session.get(base + "/login").text).group(1)
    session.post(base + "/login", data={"csrf": token, "name": "bench", "password": PASSWORD},
                 headers={"Origin": base})
    return session, re.search(r'name="csrf" value="([^"]+)"', session.get(base + "/queue").text).group(1)


def time_filters(base: str, repeats: int) -> dict[str, tuple[float, float, int]]:
    """p50 and p99 of GET /queue (page 1 and page 20) per filter, in ms, and the matching count."""
    session, csrf = sign_in(base)
    results = {}
    for name, values in FILTERS.items():
        session.post(base + "/queue/filter", data={"csrf": csrf, **values}, headers={"Origin": base})
        times = []
        for i in range(repeats):
            start = time.perf_counter()
            response = session.get(base + ("/queue?page=20" if i % 2 else "/queue"))
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        count = int(re.search(r"quotes \((\d+)\)", session.get(base + "/queue").text).group(1))
        times.sort()
        results[name] = (statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], count)
    return results


def main(argv: list[str] | None = None) -> None:
    """Fill the store, time the queue with and without its indexes, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--store", help="keep the filled store in this folder and reuse it on the next run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="plaudit-bench-") as tmp:
        folder = Path(args.store or tmp)
        if (folder / "plaudit.toml").exists():
            settings = load_settings(folder / "plaudit.toml", env={})
            print(f"reusing the store in {folder}")
        else:
            print(f"filling a store with {args.n:,} synthetic reviews")
            folder.mkdir(parents=True, exist_ok=True)
            settings = fill(folder, args.n)
        server, base = serve(settings)
        indexed = time_filters(base, args.repeats)
        queue_store._FROM = PLAIN_JOIN  # the baseline: the same queries as the planner would run them unguided
        plain = time_filters(base, max(10, args.repeats // 3))
        server.should_exit = True
    print(f"\nqueue page over HTTP, {args.n:,} reviews (ms; target p99 < 200)")
    print(f"  {'filter':<22} {'matches':>8} {'p50':>7} {'p99':>7}   plain join (baseline): {'p50':>7} {'p99':>7}  ratio")
    for name, (p50, p99, count) in indexed.items():
        b50, b99, _ = plain[name]
        print(f"  {name:<22} {count:>8,} {p50:7.1f} {p99:7.1f}   {'':>22}{b50:7.1f} {b99:7.1f}  {b50 / p50:5.1f}x")
    worst = max(p99 for _, p99, _ in indexed.values())
    print(f"worst p99: {worst:.1f} ms ({'within' if worst < 200 else 'OVER'} the 200 ms target)")


if __name__ == "__main__":
    main()
