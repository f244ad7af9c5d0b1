"""Backfill benchmark: N synthetic ~80-word reviews from CSV exports through collect, score, dedupe, suggest,
publish, against a naive per-review loop measured in the same run, and against a baseline commit.

    python bench/backfill.py                 # N = 10,000
    python bench/backfill.py --n 100000      # the issue's target size
    python bench/backfill.py --n 1000000     # memory check
    python bench/backfill.py --n 100000 --baseline main --rounds 3   # today's code against main's, alternately

Prints reviews/s per stage and end to end (collect from files, score, flag, deduplicate, store), the naive
loop's reviews/s (whole-text VADER, one transaction per review, pairwise comparison against every earlier
review) on a smaller N, their ratio, and peak memory; then the score stage and end to end against the targets
of issue 12 and against the baseline: the same benchmark run from a `git archive` of that commit in a child
process, alternating with this code round by round (the machine is shared: compare runs made side by side).
"""

from __future__ import annotations

import argparse
import io
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import iter_reviews, reviews, write_csv_exports  # noqa: E402
from pipeline import steps  # noqa: E402
from pipeline.judge.flags import flags_for  # noqa: E402
from pipeline.runs import begin_run  # noqa: E402
from pipeline.judge.sentiment import score_whole  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.text import words  # noqa: E402

# Issue 12's targets (reviews/s at N = 100,000 on a 2-core machine), and the figures it started from (main at
# b51279e, measured on an idle machine for the issue).
TARGETS = {"score": 6_000, "end to end": 3_500}
ISSUE_START = {"score": "about 3,600", "end to end": "2,200-2,700"}
_STAGE_LINE = re.compile(r"^\s+(collect|score|dedupe)\s+([\d.]+) s\s+[\d,]+ reviews/s\s+cpu\s+([\d.]+) s",
                         re.MULTILINE)

CONFIG = """
[plaudit]
data_dir = "data"
score_workers = {workers}

[[sources]]
name = "bench-form"
kind = "csv"
path = "exports/*.csv"
preset = "gravityforms"
columns = {{ text = "Review", rating = "Rating", consent = "Consent" }}
consent_version = "bench"
"""


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the scoring workers, once their pool is shut)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, func, n: int, results: dict) -> dict:
    """Run one stage, print its rate and CPU time, keep its seconds (and CPU seconds as "<label> cpu")."""
    start, cpu = time.perf_counter(), cpu_seconds()
    counts = func()
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    results[label], results[f"{label} cpu"] = seconds, cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<10} {seconds:8.2f} s  {n / seconds:10,.0f} reviews/s  cpu {cpu:7.2f} s  peak {peak:6,.0f} MB  "
          f"{counts}")
    return counts


def corpus_line(rows: list[dict[str, str]], pairs: int = 2000) -> str:
    """Words per review, share of sentences with no sentiment word, and how alike unrelated reviews are."""
    from pipeline.dedupe.matching import _grams
    from pipeline.judge.sentiment import _tuned, _without_sentiment_words
    from pipeline.text import sentences

    rng = random.Random(5)
    sample = rng.sample(rows, min(len(rows), 2000))
    words_per = sum(len(r["Review"].split()) for r in sample) / len(sample)
    lexicon = _tuned().analyzer.lexicon
    spoken = [s for r in sample for s in sentences(r["Review"])]
    neutral = sum(_without_sentiment_words(s, lexicon) for s in spoken) / len(spoken)
    sims = sorted(_jaccard(_grams(a["Review"])[1], _grams(b["Review"])[1])
                  for a, b in (rng.sample(sample, 2) for _ in range(pairs)))
    return (f"corpus: {words_per:.0f} words per review, {neutral:.0%} of sentences carry no sentiment word, "
            f"median 5-gram Jaccard of unrelated reviews {sims[len(sims) // 2]:.3f} (real long reviews: ~0.03)")


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def run_pipeline(n: int, workers: int, folder: Path) -> dict[str, float]:
    """The real stages over a fresh store in `folder`; returns seconds per stage."""
    print(corpus_line(reviews(min(n, 2000))))
    write_csv_exports(iter_reviews(n), folder / "exports")  # streamed: the corpus is never all in memory
    (folder / "plaudit.toml").write_text(CONFIG.format(workers=workers))
    settings = load_settings(folder / "plaudit.toml", env={})
    run_id = begin_run(settings, "bench")
    results: dict[str, float] = {}
    print(f"pipeline, N = {n:,} (score_workers = {workers or 'one per CPU'})")
    timed("collect", lambda: steps.collect_source(settings, "bench-form", None, run_id)["new"], n, results)
    timed("score", lambda: steps.score_new(settings), n, results)
    timed("dedupe", lambda: steps.dedupe_new(settings), n, results)
    timed("suggest", lambda: steps.suggest(settings), n, results)
    timed("publish", lambda: steps.publish_now(settings, "bench"), n, results)
    return results


def naive_loop(n: int, folder: Path) -> float:
    """Per review: whole-text VADER, flags, its own transaction, and a comparison with every earlier review."""
    rows = reviews(n, seed=11)
    conn = sqlite3.connect(folder / "naive.db")
    conn.execute("CREATE TABLE r (id TEXT PRIMARY KEY, text TEXT, compound REAL, dup_of TEXT)")
    seen: list[tuple[str, set[str]]] = []
    start = time.perf_counter()
    for row in rows:
        text = row["Review"]
        compound = score_whole(text)
        flags_for(text, float(row["Rating"]), compound)
        tokens = set(words(text.lower()))
        dup = next((rid for rid, other in seen if len(tokens & other) / len(tokens | other) > 0.8), None)
        seen.append((row["Entry Id"], tokens))
        with conn:
            conn.execute("INSERT INTO r VALUES (?, ?, ?, ?)", (row["Entry Id"], text, compound, dup))
    seconds = time.perf_counter() - start
    conn.close()
    return n / seconds


def peak_memory_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (scoring workers), in MB."""
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def rates(n: int, seconds: dict[str, float]) -> dict[str, float]:
    """Reviews/s of the score stage and end to end (collect + score + dedupe) from a run's stage seconds."""
    return {"score": n / seconds["score"],
            "end to end": n / (seconds["collect"] + seconds["score"] + seconds["dedupe"])}


def baseline_run(ref: str, n: int, workers: int) -> dict[str, float]:
    """Stage seconds (and CPU seconds) of this benchmark over the code of commit `ref`: a `git archive` in a
    temporary folder with this benchmark script copied in, run by the same Python in a child process."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory(prefix="plaudit-baseline-") as tmp:
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(tmp, filter="data")
        Path(tmp, "bench", "backfill.py").write_text(Path(__file__).read_text())  # same benchmark, older code
        out = subprocess.run([sys.executable, "bench/backfill.py", "--n", str(n), "--workers", str(workers),
                              "--naive-n", "10"], cwd=tmp, capture_output=True, text=True, check=True).stdout
    found = {stage: (float(s), float(c)) for stage, s, c in _STAGE_LINE.findall(out)}
    print(f"  baseline {ref}: " + ", ".join(f"{k} {s:.2f} s (cpu {c:.2f} s)" for k, (s, c) in found.items()))
    return {**{k: s for k, (s, _) in found.items()}, **{f"{k} cpu": c for k, (_, c) in found.items()}}


def _span(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low:,.0f}" if len(values) == 1 else f"{low:,.0f}-{high:,.0f}"


def compare(n: int, now: list[dict[str, float]], baseline: list[dict[str, float]], ref: str | None) -> None:
    """Print the score stage and end to end against the targets and the baseline (ranges over the rounds)."""
    print(f"issue 12, N = {n:,}, {len(now)} round(s):")
    for figure, target in TARGETS.items():
        mine = [rates(n, r)[figure] for r in now]
        line = f"  {figure:<11} now {_span(mine)} reviews/s, target {target:,}"
        if baseline:
            base = [rates(n, r)[figure] for r in baseline]
            paired = [m / b for m, b in zip(mine, base)]  # each round's runs ran side by side
            line += f"; baseline {ref} {_span(base)}, now/baseline per round {min(paired):.2f}-{max(paired):.2f}x"
        else:
            line += f"; when the issue was opened: {ISSUE_START[figure]} (idle machine)"
        print(line)
    # CPU time moves much less than wall time when other work shares the machine
    mine = [r["score cpu"] / n * 1e6 for r in now]
    line = f"  score stage CPU (main process and workers): now {_span(mine)} us per review"
    if baseline:
        base = [r["score cpu"] / n * 1e6 for r in baseline]
        less = [b / m for m, b in zip(mine, base)]
        line += f"; baseline {ref} {_span(base)}, baseline/now per round {min(less):.2f}-{max(less):.2f}x"
    print(line)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="synthetic reviews (default 10,000)")
    parser.add_argument("--naive-n", type=int, default=2_000, help="reviews for the naive loop (default 2,000)")
    parser.add_argument("--workers", type=int, default=0, help="scoring processes (0: one per CPU)")
    parser.add_argument("--baseline", metavar="REF", help="also run this benchmark at a git commit, e.g. main")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each, alternating (default 1)")
    args = parser.parse_args(argv)
    now, baseline = [], []
    for _ in range(args.rounds):
        if args.baseline:
            baseline.append(baseline_run(args.baseline, args.n, args.workers))
        with tempfile.TemporaryDirectory(prefix="plaudit-bench-") as tmp:
            now.append(run_pipeline(args.n, args.workers, Path(tmp)))
    with tempfile.TemporaryDirectory(prefix="plaudit-bench-") as tmp:
        naive = naive_loop(args.naive_n, Path(tmp))
    end_to_end = rates(args.n, now[-1])["end to end"]
    own, child = peak_memory_mb()
    print(f"end to end (collect + score + flag + dedupe + store): {end_to_end:,.0f} reviews/s")
    print(f"naive per-review loop, N = {args.naive_n:,}: {naive:,.0f} reviews/s")
    print(f"ratio pipeline / naive: {end_to_end / naive:.1f}x")
    print(f"peak memory: {own:,.0f} MB main process, {child:,.0f} MB largest worker")
    compare(args.n, now, baseline, args.baseline)


if __name__ == "__main__":
    main()
