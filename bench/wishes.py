"""The wish/suggestion detector: precision and recall on our labelled sentences, and what it costs.

    python bench/wishes.py                  # figures, and the development rows it gets wrong
    python bench/wishes.py --show-heldout   # also the held-out rows it gets wrong

Labelled set: bench/data/wishes_labelled.jsonl, sentences we wrote in the style of clinic feedback (none copied
from real reviews): requests, wishes, counterfactuals and improvement suggestions ("wish") against praise,
advice to other patients, "nothing to improve" answers, complaints and plain statements ("other"). The "h"
rows (`"holdout": true`) were written before the first rule and measured before any rule was tuned on them;
their first figures are in the README ("How reviews are judged").

Printed per split: precision and recall of `wish_kind`, recall per kind, and recall among the wish sentences
that plain VADER reads as praise (compound >= 0.3, the excerpt bar): the ones that would be quoted without the
detector. Cost: sentences/s of `wish_kind` (one process, CPU time) on the labelled sentences, on the sentences
of bench/synthetic.py reviews, and the share of those sentences that pass the trigger gate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import reviews as synthetic_reviews  # noqa: E402
from pipeline.judge.detectors import wishes  # noqa: E402
from pipeline.judge.sentiment import score_whole  # noqa: E402
from pipeline.publish.quotes import MIN_SENTENCE_COMPOUND  # noqa: E402
from pipeline.text import sentences  # noqa: E402

LABELLED = ROOT / "bench" / "data" / "wishes_labelled.jsonl"


def load(path: Path = LABELLED) -> list[dict]:
    """The labelled sentences."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def measure(rows: list[dict]) -> dict:
    """Precision, recall, recall per kind and recall on VADER-positive wishes for these rows."""
    found = [wishes.wish_kind(r["text"]) is not None for r in rows]
    gold = [r["label"] == "wish" for r in rows]
    tp = sum(f and g for f, g in zip(found, gold))
    per_kind: Counter = Counter()
    total_kind: Counter = Counter()
    positive_hits = positive = 0
    for row, hit, wish in zip(rows, found, gold):
        if wish:
            total_kind[row["kind"]] += 1
            per_kind[row["kind"]] += hit
            if score_whole(row["text"]) >= MIN_SENTENCE_COMPOUND:
                positive += 1
                positive_hits += hit
    return {"n": len(rows), "wishes": sum(gold), "precision": tp / max(1, sum(found)),
            "recall": tp / max(1, sum(gold)), "kinds": {k: (per_kind[k], n) for k, n in total_kind.items()},
            "positive_recall": positive_hits / max(1, positive), "positive": positive}


def rate(texts: list[str], min_seconds: float = 0.3) -> float:
    """Sentences/s of wish_kind in CPU time."""
    done, spent = 0, 0.0
    while spent < min_seconds:
        start = time.process_time()
        for text in texts:
            wishes.wish_kind(text)
        spent += time.process_time() - start
        done += len(texts)
    return done / spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-heldout", action="store_true", help="also list the held-out rows it gets wrong")
    args = parser.parse_args(argv)
    rows = load()
    splits = {"development": [r for r in rows if not r.get("holdout")],
              "held out": [r for r in rows if r.get("holdout")], "all": rows}
    print(f"{LABELLED.name}: {len(rows)} sentences, {sum(r['label'] == 'wish' for r in rows)} wishes\n")
    print(f"{'split':<12} {'sentences':>9} {'wishes':>6} {'precision':>9} {'recall':>6} "
          f"{'recall, VADER-positive':>22}  recall per kind")
    for name, part in splits.items():
        m = measure(part)
        kinds = ", ".join(f"{k} {hit}/{n}" for k, (hit, n) in sorted(m["kinds"].items()))
        print(f"{name:<12} {m['n']:>9} {m['wishes']:>6} {m['precision']:>9.3f} {m['recall']:>6.3f} "
              f"{m['positive_recall']:>15.3f} of {m['positive']:<3}  {kinds}")
    _errors(splits["development"] + (splits["held out"] if args.show_heldout else []))
    _cost(rows)
    return 0


def _errors(rows: list[dict]) -> None:
    wrong = [r for r in rows if (wishes.wish_kind(r["text"]) is not None) != (r["label"] == "wish")]
    print(f"\nwrong ({len(wrong)}):" if wrong else "\nwrong: none")
    for r in wrong:
        print(f"  {r['id']} {'missed' if r['label'] == 'wish' else 'false '} {r['kind']:<14} {r['text']}")


def _cost(rows: list[dict]) -> None:
    synthetic = [s for r in synthetic_reviews(2000) for s in sentences(r["Review"])]
    gate = sum(wishes.has_trigger_words(s) for s in synthetic) / len(synthetic)
    labelled = [r["text"] for r in rows]
    print(f"\ncost, one process, CPU time: {rate(labelled):,.0f} labelled sentences/s; "
          f"{rate(synthetic):,.0f} synthetic review sentences/s ({gate:.0%} of them hold a trigger word)")


if __name__ == "__main__":
    sys.exit(main())
