"""The texts whose judgement is pinned, and what the score stage made of each (issue 12: faster, same outputs).

A case is a review text with its rating, author, staff roster and improvement answer; its judgement is
everything the score stage stores (compound, sentence scores, flags with spans, language, the improvement
answer's score and kind) and whether it would be suggested, with which excerpt (default settings).
`tests/test_judgement_unchanged.py` recomputes every case and compares with the golden file.

The corpus: the labelled sets in bench/data, the hostile corpus, the CSV form fixtures, every string of three
or more words in the judging tests, and synthetic reviews for a fixed seed, plus upper- and lower-cased copies of
some (shouting and all-lower-case text take other paths). Texts are frozen in the golden file, so later edits to
those sources do not change what is pinned. Regenerate only when an output is meant to change:

    python -m tests.judgement_corpus --write          # from the code as it is
    python -m tests.judgement_corpus --realworld OUT  # results on ../shared/realworld texts, to diff two trees
"""

from __future__ import annotations

import argparse
import ast
import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "fixtures" / "judgement" / "golden.jsonl.gz"
REALWORLD = ROOT.parent / "shared" / "realworld"
SUGGEST = SimpleNamespace(suggest_min_compound=0.5, suggest_min_rating=4.0, excerpt_max_chars=240)
_TEST_FILES = ("sentiment", "sentiment_classes", "sentiment_clinic", "flags", "risk", "patient_details",
               "detail_classes", "wishes", "improvement_feedback", "sales_spam", "shouting", "addresses", "excerpts",
               "quotes", "holds", "text")


def case(text: str, rating: float | None = None, author: str | None = None, staff: list[str] | None = None,
         improvement: str | None = None) -> dict[str, Any]:
    """One case: the score stage's inputs for a review."""
    return {"text": text, "rating": rating, "author": author, "staff": staff or [], "improvement": improvement}


def judge(item: dict[str, Any]) -> dict[str, Any]:
    """What the score stage stores for a case, and its suggested excerpt (None when not suggested)."""
    from pipeline.judge.scoring import score_record
    from pipeline.publish.suggest import eligible, suggestion

    scored = score_record(item["text"], item["rating"], item["author"], tuple(item["staff"]), item["improvement"])
    out = {"compound": scored.compound, "sentences": scored.sentences, "flags": scored.flags,
           "language": scored.language, "improvement": [scored.improvement_compound, scored.improvement_kind]}
    out = json.loads(json.dumps(out))  # as stored: tuples become lists
    row = {"id": "x", "text": item["text"], "rating": item["rating"], "author": item["author"], "version": 1,
           "compound": out["compound"], "sentences": out["sentences"], "flags": out["flags"]}
    found = suggestion(row, SUGGEST) if item["text"] and eligible(row, SUGGEST) else None
    out["suggested"] = found["suggested_excerpt"] if found else None
    return out


def key(item: dict[str, Any]) -> str:
    """A short stable id of a case (its inputs hashed)."""
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()[:16]


def build_corpus() -> list[dict[str, Any]]:
    """Every case, deduplicated, in a stable order."""
    items = _labelled() + _hostile() + _forms() + _test_strings() + _synthetic(1000)
    items += [case(i["text"].upper(), i["rating"], i["author"], i["staff"]) for i in items[::7] if i["text"]]
    items += [case(i["text"].lower(), i["rating"], i["author"], i["staff"]) for i in items[3::11] if i["text"]]
    items += [case(i["text"], None, None, [], i["text"]) for i in items[::5] if i["text"]]  # as improvement answers
    items += [case("", None, None, [], i["text"]) for i in items[::13] if i["text"]]
    return list({key(i): i for i in items}.values())


def _labelled() -> list[dict[str, Any]]:
    items = []
    for path in sorted((ROOT / "bench" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            items.append(case(row["text"], row.get("rating"), row.get("author"), row.get("staff")))
    return items


def _hostile() -> list[dict[str, Any]]:
    from pipeline.text import clean_text
    from tests.hostile import HOSTILE, KIND

    return [case(t, 5) for t in HOSTILE] + [case(clean_text(t) + KIND, 5) for t in HOSTILE]


def _forms() -> list[dict[str, Any]]:
    from pipeline.text import decode_bytes

    items = []
    for path in sorted((Path(__file__).parent / "fixtures" / "forms").glob("*.csv")):
        for row in csv.reader(decode_bytes(path.read_bytes()).splitlines()):
            items += [case(cell) for cell in row if len(cell.split()) >= 3]
    return items


def _test_strings() -> list[dict[str, Any]]:
    items = []
    for name in _TEST_FILES:
        path = Path(__file__).parent / f"test_{name}.py"
        if path.exists():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            items += [case(node.value) for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and len(node.value.split()) >= 3 and len(node.value) < 20_000]
    return items


def _synthetic(n: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from bench.synthetic import reviews

    return [case(r["Review"], float(r["Rating"]), f"{r['Name (First)']} {r['Name (Last)']}", ["Dr. Alvarez"])
            for r in reviews(n, seed=12)]


def realworld_cases() -> list[dict[str, Any]]:
    """Cases from the real public review texts beside the checkout (never copied into the project)."""
    items = []
    with open(REALWORLD / "hospital-reviews-bengaluru" / "hospital.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rating = row.get("Ratings") or ""
            items.append(case(row["Feedback"], float(rating) if rating.strip() else None))
    for path in sorted((REALWORLD / "vader-icwsm2014").glob("*_GroundTruth.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) >= 3:
                items.append(case(parts[2]))
    return items


def write_golden() -> int:
    """Judge the corpus with the code as it is and write the golden file; returns the number of cases."""
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    items = build_corpus()
    with gzip.open(GOLDEN, "wt", encoding="utf-8", compresslevel=9) as out:
        for item in items:
            out.write(json.dumps({"key": key(item), "case": item, "judgement": judge(item)}, ensure_ascii=False) + "\n")
    return len(items)


def read_golden() -> list[dict[str, Any]]:
    """The golden records: key, case, judgement."""
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def main(argv: list[str] | None = None) -> None:
    """Write the golden file, or the judgements of the real-world texts (one JSON line each) to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the golden file from the current code")
    parser.add_argument("--realworld", type=Path, help="write judgements of ../shared/realworld texts here")
    args = parser.parse_args(argv)
    if args.write:
        print(f"{write_golden()} cases written to {GOLDEN}")
    if args.realworld:
        with open(args.realworld, "w", encoding="utf-8") as out:
            for item in realworld_cases():
                out.write(json.dumps({"key": key(item), "judgement": judge(item)}) + "\n")


if __name__ == "__main__":
    main()
